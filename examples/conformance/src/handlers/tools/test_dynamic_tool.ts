import type { TestDynamicToolHandler } from "../../generated/contract.js";

/** A tool that appears 2 seconds after the server starts */
export const handler: TestDynamicToolHandler = async () => {
  return "This tool appeared 2 seconds after the server started.";
};
