import { notImplemented } from "@mcpgen/runtime";
import type { GetTemperatureHandler } from "../../generated/contract.js";

/** Get temperature as a simple number (Celsius). */
export const handler: GetTemperatureHandler = async (input, ctx) => {
  throw notImplemented("Tool", "get_temperature", "src/handlers/tools/get_temperature.ts");
};
