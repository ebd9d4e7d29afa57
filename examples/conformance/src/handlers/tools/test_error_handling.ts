import { ToolError } from "@mcpgen/runtime";
import type { TestErrorHandlingHandler } from "../../generated/contract.js";

/** Tests error response handling */
export const handler: TestErrorHandlingHandler = async () => {
  // A ToolError becomes an `isError` result whose text is exactly this message.
  throw new ToolError("This tool intentionally returns an error for testing");
};
