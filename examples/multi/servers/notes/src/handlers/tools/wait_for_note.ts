import type { WaitForNoteHandler } from "../../generated/contract.js";

/**
 * Long-poll: answers as soon as a note with this title exists (at once if it already
 * does), or after timeoutMs with found = false. Over Streamable HTTP the call holds its
 * POST's SSE stream open meanwhile; cancelling the call ends the wait.
 */
export const handler: WaitForNoteHandler = async ({ title, timeoutMs = 10_000 }, ctx) => {
  await ctx.progress(0, 1, `waiting for '${title}'`);
  const note = await ctx.app.notebook.waitFor(title, timeoutMs, ctx.signal);
  return note ? { found: true, note } : { found: false };
};
