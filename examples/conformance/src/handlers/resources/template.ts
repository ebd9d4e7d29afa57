import type { CompletionHandler, TemplateRead } from "../../generated/contract.js";

/** Contents of test://template/{id}/data. */
export const read: TemplateRead = async ({ id }) => {
  // Text is sent with the declared mimeType (application/json).
  return JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` });
};

/** A few example ids, for clients that offer completion. */
const EXAMPLE_IDS = ["123", "456", "789"];

/** Suggestions for {id}. */
export const completeId: CompletionHandler = async (value) => {
  return EXAMPLE_IDS.filter((id) => id.startsWith(value));
};
