import type { TestInputRequiredResultElicitationHandler } from "../../generated/contract.js";

/** Asks the user's name (input_required with one elicitation), then greets them */
export const handler: TestInputRequiredResultElicitationHandler = async (_input, ctx) => {
  // 2026-07-28: the first call ends with inputRequests.user_name; the retry carries the answer.
  const answer = await ctx.elicit.userName();
  if (answer.action !== "accept") return `No name given (${answer.action})`;
  return `Hello, ${answer.content!.name}!`;
};
