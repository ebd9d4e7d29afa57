import type { FetchWeatherHandler } from "../../generated/contract.js";

/**
 * The README's `fetch_weather` calls a weather API over HTTP. This demo must work offline
 * (and in tests), so it answers from a fixed table; a real server would do something like
 * `return (await fetch(`https://api.weather.example/${encodeURIComponent(city)}`)).text();`
 */
const REPORTS: Record<string, string> = {
  london: "London: 14°C, light rain",
  paris: "Paris: 18°C, partly cloudy",
  tokyo: "Tokyo: 22°C, sunny",
};

/** Fetch current weather for a city. */
export const handler: FetchWeatherHandler = async ({ city }) =>
  REPORTS[city.trim().toLowerCase()] ?? `${city}: no report available (demo data covers London, Paris and Tokyo)`;
