import type { ConfirmDeleteHandler } from "../../generated/contract.js";

/** Asks the user to confirm, then pretends to delete the file (a task waiting for input) */
export const handler: ConfirmDeleteHandler = async (input, ctx) => {
  // In a task the question shows in tasks/get (input_required) until tasks/update answers it.
  const answer = await ctx.elicit.confirm(`Delete ${input.filename}?`);
  if (answer.action !== "accept" || !answer.content?.confirm) return `Kept ${input.filename}`;
  return `Deleted ${input.filename}`;
};
