import type { TestInputRequiredResultMultiRoundHandler } from "../../generated/contract.js";

/** Asks two questions in two rounds (the first answer travels in requestState) */
export const handler: TestInputRequiredResultMultiRoundHandler = async (_input, ctx) => {
  // Round 1 asks step1; round 2 (answer in hand) asks step2; round 3 has both and completes.
  const step1 = await ctx.elicit.step1();
  const step2 = await ctx.elicit.step2();
  return `name=${step1.content?.name ?? step1.action}, color=${step2.content?.color ?? step2.action}`;
};
