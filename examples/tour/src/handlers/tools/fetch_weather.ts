import { notImplemented } from "@mcpgen/runtime";
import type { FetchWeatherHandler } from "../../generated/contract.js";

/** Fetch current weather for a city. This demo answers from a built-in table; a real server would fetch it from a weather API. */
export const handler: FetchWeatherHandler = async (input, ctx) => {
  throw notImplemented("Tool", "fetch_weather", "src/handlers/tools/fetch_weather.ts");
};
