import type { GeneratePoemHandler } from "../../generated/contract.js";

/** Generate a poem by asking the client's model (the README's "Sampling" example). */
export const handler: GeneratePoemHandler = async ({ topic }, ctx) => {
  const result = await ctx.sample({
    messages: [{ role: "user", content: { type: "text", text: `Write a short poem about ${topic}` } }],
    maxTokens: 100,
  });
  return result.content?.type === "text" ? result.content.text : JSON.stringify(result.content);
};
