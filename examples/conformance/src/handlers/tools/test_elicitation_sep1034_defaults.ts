import type { TestElicitationSep1034DefaultsHandler } from "../../generated/contract.js";

/** Tests elicitation with default values per SEP-1034 */
export const handler: TestElicitationSep1034DefaultsHandler = async (_input, ctx) => {
  const answer = await ctx.elicit.defaults();
  return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
};
