import { ErrorCode, McpError } from "@mcpgen/runtime";
import type { ProtocolErrorJobHandler } from "../../generated/contract.js";

/** Ends with a protocol error, so its task ends failed */
export const handler: ProtocolErrorJobHandler = async () => {
  // An McpError (other than -32603, which stays a tool error) is a protocol error: the task ends `failed` with it.
  throw new McpError(ErrorCode.InvalidRequest, "protocol_error_job fails at the protocol level, on purpose");
};
