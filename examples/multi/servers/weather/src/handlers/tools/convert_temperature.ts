import type { ConvertTemperatureHandler } from "../../generated/contract.js";
import { convert } from "../../lib/climate.js";

/** Convert a temperature between Celsius, Fahrenheit and Kelvin. */
export const handler: ConvertTemperatureHandler = async ({ value, from, to }) => convert(value, from, to);
