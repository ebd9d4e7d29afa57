import type { TestInputRequiredResultMultipleInputsHandler } from "../../generated/contract.js";

/** Asks for a name, a greeting from the model and the roots in one round */
export const handler: TestInputRequiredResultMultipleInputsHandler = async (_input, ctx) => {
  // Inputs asked for together (before any is awaited) go out in one input_required result.
  const [name, greeting, roots] = await Promise.all([
    ctx.elicit.userName(),
    ctx.sample({ messages: [{ role: "user", content: { type: "text", text: "Generate a greeting" } }], maxTokens: 50 }, { key: "greeting" }),
    ctx.listRoots({ key: "client_roots" }),
  ]);
  const text = Array.isArray(greeting.content) ? greeting.content[0] : greeting.content;
  return [
    `name: ${name.action === "accept" ? name.content!.name : name.action}`,
    `greeting: ${text?.type === "text" ? text.text : JSON.stringify(text)}`,
    `roots: ${roots.length}`,
  ].join("; ");
};
