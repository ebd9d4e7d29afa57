import type { TestElicitationHandler } from "../../generated/contract.js";

/** Tests server-initiated elicitation (user input request) */
export const handler: TestElicitationHandler = async ({ message }, ctx) => {
  // The question is declared in mcp.yaml; the caller's message replaces its default text.
  const answer = await ctx.elicit.userInfo(message);
  return `User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
};
