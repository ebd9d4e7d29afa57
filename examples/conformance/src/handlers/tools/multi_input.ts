import type { MultiInputHandler } from "../../generated/contract.js";

/** Asks two questions at once (a task with two inputs pending) */
export const handler: MultiInputHandler = async (_input, ctx) => {
  // Both are pending together; each tasks/update answer releases its own.
  const [first, second] = await Promise.all([ctx.elicit.first(), ctx.elicit.second()]);
  const show = (a: typeof first) => (a.action === "accept" ? a.content?.name ?? "(no name)" : a.action);
  return `first: ${show(first)}; second: ${show(second)}`;
};
