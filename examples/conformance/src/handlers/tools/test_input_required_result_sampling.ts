import type { TestInputRequiredResultSamplingHandler } from "../../generated/contract.js";

/** Asks the client's model a question (input_required with one sampling request) */
export const handler: TestInputRequiredResultSamplingHandler = async (_input, ctx) => {
  const reply = await ctx.sample(
    { messages: [{ role: "user", content: { type: "text", text: "What is the capital of France?" } }], maxTokens: 100 },
    { key: "capital_question" },
  );
  const content = Array.isArray(reply.content) ? reply.content[0] : reply.content;
  return `Model answered: ${content?.type === "text" ? content.text : JSON.stringify(content)}`;
};
