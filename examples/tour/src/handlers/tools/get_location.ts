import { notImplemented } from "@mcpgen/runtime";
import type { GetLocationHandler } from "../../generated/contract.js";

/** Get location coordinates. */
export const handler: GetLocationHandler = async (input, ctx) => {
  throw notImplemented("Tool", "get_location", "src/handlers/tools/get_location.ts");
};
