import type { GetSchemaRead } from "../../generated/contract.js";

/** Contents of schema://main: the CREATE statements of the database (read in the query worker). */
export const read: GetSchemaRead = async (_uri, ctx) => ctx.app.db.schema(ctx.signal);
