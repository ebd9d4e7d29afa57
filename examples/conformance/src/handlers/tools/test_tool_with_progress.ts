import { setTimeout as sleep } from "node:timers/promises";
import type { TestToolWithProgressHandler } from "../../generated/contract.js";

/** Tests tool that reports progress notifications */
export const handler: TestToolWithProgressHandler = async (_input, ctx) => {
  // Sent only when the client asked for progress (a progressToken); the pauses always happen.
  for (const step of [0, 50, 100]) {
    if (step > 0) await sleep(50, undefined, { signal: ctx.signal });
    await ctx.progress(step, 100, `Completed step ${step} of 100`);
  }
  return "Tool with progress executed successfully";
};
