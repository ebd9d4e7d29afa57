import type { TestInputRequiredResultTamperedStateHandler } from "../../generated/contract.js";

/** Round trip whose requestState is HMAC-sealed; an altered state is refused with -32602 */
export const handler: TestInputRequiredResultTamperedStateHandler = async (_input, ctx) => {
  // Nothing to do here: the runtime checks the state's HMAC before this runs again.
  const answer = await ctx.elicit.confirm();
  return `Confirmed: ${answer.content?.ok === true}`;
};
