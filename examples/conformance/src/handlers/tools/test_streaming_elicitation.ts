import type { TestStreamingElicitationHandler } from "../../generated/contract.js";

/**
 * Elicits while the call is running: a session-era client gets an elicitation/create request
 * on the call's stream, a 2026-07-28 client an input_required result (never a request)
 */
export const handler: TestStreamingElicitationHandler = async (_input, ctx) => {
  await ctx.progress(0, 1, "Asking for a name");
  const answer = await ctx.elicit.userName();
  await ctx.progress(1, 1, "Done");
  return `Streaming elicitation answered: ${answer.content?.name ?? answer.action}`;
};
