import { ToolError } from "@mcpgen/runtime";
import type { GetForecastHandler } from "../../generated/contract.js";
import { convert, dayIn, findCity } from "../../lib/climate.js";

/**
 * The forecast for the next days in a known city. Each day is one progress step: over
 * Streamable HTTP the notifications travel on the call's SSE stream before the result.
 */
export const handler: GetForecastHandler = async ({ city, days = 3, unit = "C" }, ctx) => {
  const known = findCity(city);
  if (!known) throw new ToolError(`Unknown city '${city}'; read weather://cities for the known ones`);
  const out = [];
  for (let day = 1; day <= days; day++) {
    const d = dayIn(known, day);
    out.push({ day, condition: d.condition, high: convert(d.high, "C", unit), low: convert(d.low, "C", unit) });
    await ctx.progress(day, days, `day ${day} of ${days}`);
  }
  return { city: known, unit, days: out };
};
