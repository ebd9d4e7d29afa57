import type { TestSimpleTextHandler } from "../../generated/contract.js";

/** Tests simple text content response */
export const handler: TestSimpleTextHandler = async () => {
  return "This is a simple text response for testing.";
};
