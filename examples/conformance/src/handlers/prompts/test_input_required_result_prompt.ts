import type { TestInputRequiredResultPromptGet } from "../../generated/contract.js";

/** Asks the user for context (input_required on prompts/get), then builds the prompt with it */
export const get: TestInputRequiredResultPromptGet = async (_args, ctx) => {
  const answer = await ctx.elicitForm<{ context: string }>(
    "What context should the prompt use?",
    { type: "object", properties: { context: { type: "string" } }, required: ["context"] },
    { key: "user_context" },
  );
  const context = answer.action === "accept" ? answer.content!.context : "(none given)";
  return `Answer with this context in mind: ${context}`;
};
