import type { JsonSchema202012ToolHandler } from "../../generated/contract.js";

/** Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613, SEP-2106) */
export const handler: JsonSchema202012ToolHandler = async (input) => {
  // Only arguments that passed the schema (if/then/else included) get here.
  return `JSON Schema 2020-12 tool called with: ${JSON.stringify(input)}`;
};
