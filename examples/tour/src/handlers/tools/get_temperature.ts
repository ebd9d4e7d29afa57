import type { GetTemperatureHandler } from "../../generated/contract.js";

/** Get temperature as a simple number. The output is a number, so clients receive {result: 22.5}. */
export const handler: GetTemperatureHandler = async ({ city }) => {
  void city;
  return 22.5;
};
