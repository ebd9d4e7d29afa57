import type { GetStatisticsHandler } from "../../generated/contract.js";

/** Get statistics for a data type: a map of names to numbers (additionalProperties: number). */
export const handler: GetStatisticsHandler = async ({ data_type }) => {
  void data_type;
  return { mean: 42.5, median: 40.0, std_dev: 5.2 };
};
