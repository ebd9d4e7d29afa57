import type { CalculateBmiHandler } from "../../generated/contract.js";

/** Calculate BMI given weight in kg and height in meters. */
export const handler: CalculateBmiHandler = async ({ weight_kg, height_m }) => weight_kg / height_m ** 2;
