import { setTimeout as sleep } from "node:timers/promises";
import type { SlowComputeHandler } from "../../generated/contract.js";

/** Works for `seconds` seconds, then reports; a task for clients that declare the tasks extension */
export const handler: SlowComputeHandler = async (input, ctx) => {
  const label = input.label ?? "job";
  // Reported as the task's statusMessage (a progress message in a plain call).
  await ctx.status(`${label}: working for ${input.seconds} s`);
  // ctx.signal aborts on tasks/cancel: the sleep ends at once and the task stays cancelled.
  if (input.seconds > 0) await sleep(input.seconds * 1000, undefined, { signal: ctx.signal });
  return `${label}: computed after ${input.seconds} s`;
};
