import { notImplemented } from "@mcpgen/runtime";
import type { QueryDbHandler } from "../../generated/contract.js";

/** Run the demo query on the database opened at startup. */
export const handler: QueryDbHandler = async (input, ctx) => {
  throw notImplemented("Tool", "query_db", "src/handlers/tools/query_db.ts");
};
