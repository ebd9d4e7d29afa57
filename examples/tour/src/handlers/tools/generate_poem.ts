import { notImplemented } from "@mcpgen/runtime";
import type { GeneratePoemHandler } from "../../generated/contract.js";

/** Generate a poem using the client's model (LLM sampling). */
export const handler: GeneratePoemHandler = async (input, ctx) => {
  throw notImplemented("Tool", "generate_poem", "src/handlers/tools/generate_poem.ts");
};
