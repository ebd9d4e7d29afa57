import { notImplemented } from "@mcpgen/runtime";
import type { GetWeatherHandler } from "../../generated/contract.js";

/** Get weather for a city - returns structured data. */
export const handler: GetWeatherHandler = async (input, ctx) => {
  throw notImplemented("Tool", "get_weather", "src/handlers/tools/get_weather.ts");
};
