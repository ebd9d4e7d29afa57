import type { TestMissingCapabilityHandler } from "../../generated/contract.js";

/** Needs the client's sampling capability; a client without it gets -32021 */
export const handler: TestMissingCapabilityHandler = async (_input, ctx) => {
  // Without the sampling capability this rejects: -32021 with requiredCapabilities {sampling: {}}
  // for a 2026-07-28 client, -32600 for a session-era one.
  const reply = await ctx.sample({
    messages: [{ role: "user", content: { type: "text", text: "Say hello" } }],
    maxTokens: 50,
  });
  return `Sampled: ${reply.content?.type === "text" ? reply.content.text : JSON.stringify(reply.content)}`;
};
