import type { TestLoggingToolHandler } from "../../generated/contract.js";

/**
 * Logs three messages; a 2026-07-28 client gets them only when its request's _meta sets
 * io.modelcontextprotocol/logLevel
 */
export const handler: TestLoggingToolHandler = async (_input, ctx) => {
  await ctx.log.info("Logging tool started");
  await ctx.log.debug({ step: "working", detail: "structured log data" });
  await ctx.log.info("Logging tool finished");
  return "Logged three messages (sent only at the level the client asked for)";
};
