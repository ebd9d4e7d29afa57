import type { TestCustomHeaderHandler } from "../../generated/contract.js";

/**
 * Mirrors its region argument into the Mcp-Param-Region header (x-mcp-header); a 2026-07-28
 * request whose header disagrees with the body is refused with -32020
 */
export const handler: TestCustomHeaderHandler = async ({ region }) => `Region: ${region}`;
