import type { TestInputRequiredResultRequestStateHandler } from "../../generated/contract.js";

/** Carries data across rounds in the sealed requestState and confirms it came back intact */
export const handler: TestInputRequiredResultRequestStateHandler = async (_input, ctx) => {
  // What the first run leaves in ctx.roundData travels in the HMAC-sealed requestState; the
  // runtime refuses a state that was altered, so the retry reads back exactly this.
  const carried = ctx.roundData as { askedAt?: string } | undefined;
  if (ctx.round === 0) ctx.roundData = { askedAt: new Date().toISOString() };
  const answer = await ctx.elicit.confirm();
  // A session-era client answered within this one call: there was no requestState.
  if (!ctx.isModern) return `Confirmed in one call (no requestState in the session era): ok=${answer.content?.ok === true}`;
  if (!carried?.askedAt) return "state-missing: the requestState carried no data";
  return `state-ok: asked at ${carried.askedAt}, confirmed=${answer.content?.ok === true}`;
};
