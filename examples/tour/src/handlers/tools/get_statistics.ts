import { notImplemented } from "@mcpgen/runtime";
import type { GetStatisticsHandler } from "../../generated/contract.js";

/** Get statistics for a data type. */
export const handler: GetStatisticsHandler = async (input, ctx) => {
  throw notImplemented("Tool", "get_statistics", "src/handlers/tools/get_statistics.ts");
};
