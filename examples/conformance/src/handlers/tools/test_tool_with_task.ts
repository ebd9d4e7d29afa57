import type { TestToolWithTaskHandler } from "../../generated/contract.js";

/** Asks the user's name in the request (input_required), then goes on as a task that greets them */
export const handler: TestToolWithTaskHandler = async (_input, ctx) => {
  // Before the task starts, a question is an input-required round: the client retries with the answer.
  const answer = await ctx.elicit.userName();
  if (answer.action !== "accept") return `No name given (${answer.action})`;
  // The client gets the task now; the rest runs in the background.
  await ctx.startTask();
  return `Hello, ${answer.content!.name}! (from task ${ctx.taskId})`;
};
