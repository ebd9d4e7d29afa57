import type { TestElicitationSep1330EnumsHandler } from "../../generated/contract.js";

/** Tests elicitation with enum schema improvements per SEP-1330 */
export const handler: TestElicitationSep1330EnumsHandler = async (_input, ctx) => {
  const answer = await ctx.elicit.enums();
  return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
};
