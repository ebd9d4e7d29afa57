import type { GetSchemaRead } from "../../generated/contract.js";

/** Contents of schema://main: the CREATE statements of the database. */
export const read: GetSchemaRead = async (_uri, ctx) => ctx.app.db.schema();
