import type { CompletionHandler } from "../../generated/contract.js";

/** Example values for arg1, for clients that offer completion. */
const ARG1_VALUES = ["paris", "park", "party", "test", "testing"];

/** Suggestions for the 'arg1' argument. */
export const completeArg1: CompletionHandler = async (value) => {
  return ARG1_VALUES.filter((v) => v.startsWith(value.toLowerCase()));
};
