import { setTimeout as sleep } from "node:timers/promises";
import { ToolError } from "@mcpgen/runtime";
import type { FailingJobHandler } from "../../generated/contract.js";

/** Fails as a tool (isError) after about a second; runs only as a task */
export const handler: FailingJobHandler = async (_input, ctx) => {
  await sleep(1000, undefined, { signal: ctx.signal });
  // A tool error: the task ends `completed` with an isError result (not `failed`).
  throw new ToolError("failing_job failed, as it always does");
};
