import { setTimeout as sleep } from "node:timers/promises";
import type { TestToolWithLoggingHandler } from "../../generated/contract.js";

/** Tests tool that emits log messages during execution */
export const handler: TestToolWithLoggingHandler = async (_input, ctx) => {
  // The pauses are part of the contract: clients must take log messages while a call runs.
  await ctx.log.info("Tool execution started");
  await sleep(50, undefined, { signal: ctx.signal });
  await ctx.log.info("Tool processing data");
  await sleep(50, undefined, { signal: ctx.signal });
  await ctx.log.info("Tool execution completed");
  return "Tool with logging executed successfully";
};
