import type { TestInputRequiredResultCapabilitiesHandler } from "../../generated/contract.js";

/** Asks only for what the client declared (elicitation, sampling, roots) */
export const handler: TestInputRequiredResultCapabilitiesHandler = async (_input, ctx) => {
  const caps = ctx.clientCapabilities;
  const [name, reply, roots] = await Promise.all([
    caps.elicitation ? ctx.elicit.userName() : undefined,
    caps.sampling ? ctx.sample({ messages: [{ role: "user", content: { type: "text", text: "Say hello" } }], maxTokens: 50 }) : undefined,
    caps.roots ? ctx.listRoots() : undefined,
  ]);
  const parts: string[] = [];
  if (name) parts.push(`name: ${name.content?.name ?? name.action}`);
  if (reply) parts.push(`model: ${reply.content?.type === "text" ? reply.content.text : "(non-text)"}`);
  if (roots) parts.push(`roots: ${roots.length}`);
  return parts.length > 0 ? parts.join("; ") : "The client declared no capability to ask with";
};
