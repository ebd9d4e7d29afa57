import { notImplemented } from "@mcpgen/runtime";
import type { CalculateBmiHandler } from "../../generated/contract.js";

/** Calculate BMI given weight in kg and height in meters. */
export const handler: CalculateBmiHandler = async (input, ctx) => {
  throw notImplemented("Tool", "calculate_bmi", "src/handlers/tools/calculate_bmi.ts");
};
