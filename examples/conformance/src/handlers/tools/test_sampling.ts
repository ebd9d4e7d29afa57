import type { TestSamplingHandler } from "../../generated/contract.js";

/** Tests server-initiated sampling (LLM completion request) */
export const handler: TestSamplingHandler = async ({ prompt }, ctx) => {
  const reply = await ctx.sample({
    messages: [{ role: "user", content: { type: "text", text: prompt } }],
    maxTokens: 100,
  });
  const content = Array.isArray(reply.content) ? reply.content[0] : reply.content;
  return `LLM response: ${content?.type === "text" ? content.text : JSON.stringify(content)}`;
};
