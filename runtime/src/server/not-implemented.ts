import { ToolError } from "./content.js";

/**
 * What generated handler stubs throw until the author writes them. A tool answers
 * with an isError result naming the handler; other items answer -32603.
 */
export function notImplemented(kind: string, name: string, file?: string): ToolError {
  return new ToolError(`${kind} '${name}' is not implemented yet${file ? `: write it in ${file}` : ""}`);
}
