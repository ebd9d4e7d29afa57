/**
 * A small built-in climate table standing in for a weather API: each city has typical
 * highs and lows (Celsius) and a cycle of conditions, and day n of a forecast follows
 * them, so answers are deterministic.
 */
import type { Unit } from "../generated/types.js";

interface Climate {
  high: number;
  low: number;
  conditions: string[];
}

export const CLIMATE: Record<string, Climate> = {
  Lisbon: { high: 22, low: 14, conditions: ["sunny", "sunny", "partly cloudy"] },
  London: { high: 15, low: 8, conditions: ["cloudy", "rain", "partly cloudy", "rain"] },
  Oslo: { high: 9, low: 1, conditions: ["snow", "cloudy", "sunny"] },
  Tokyo: { high: 20, low: 12, conditions: ["partly cloudy", "rain", "sunny"] },
};

/** The known city matching `name`, ignoring case; undefined when unknown. */
export function findCity(name: string): string | undefined {
  return Object.keys(CLIMATE).find((city) => city.toLowerCase() === name.trim().toLowerCase());
}

/** Converts a temperature between units, rounded to one decimal. */
export function convert(value: number, from: Unit, to: Unit): number {
  const celsius = from === "C" ? value : from === "F" ? ((value - 32) * 5) / 9 : value - 273.15;
  const out = to === "C" ? celsius : to === "F" ? (celsius * 9) / 5 + 32 : celsius + 273.15;
  return Math.round(out * 10) / 10;
}

/** Day `day` (1 = tomorrow) in `city`, in Celsius: a swing of up to ±2° around the usual. */
export function dayIn(city: string, day: number): { condition: string; high: number; low: number } {
  const c = CLIMATE[city]!;
  const swing = [0, 1, 2, 1, 0, -1, -2][(day - 1) % 7]!;
  return { condition: c.conditions[(day - 1) % c.conditions.length]!, high: c.high + swing, low: c.low + swing };
}
