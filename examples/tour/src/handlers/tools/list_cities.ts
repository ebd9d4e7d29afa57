import { notImplemented } from "@mcpgen/runtime";
import type { ListCitiesHandler } from "../../generated/contract.js";

/** Get a list of cities. */
export const handler: ListCitiesHandler = async (input, ctx) => {
  throw notImplemented("Tool", "list_cities", "src/handlers/tools/list_cities.ts");
};
