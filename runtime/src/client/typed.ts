import type { CallToolResult } from "../protocol/types.js";

/** A tool answered with `isError: true`; the result is kept for inspection. */
export class ToolCallError extends Error {
  constructor(
    readonly tool: string,
    readonly result: CallToolResult,
  ) {
    const text = result.content
      ?.filter((c) => c.type === "text")
      .map((c) => (c as { text: string }).text)
      .join("\n");
    super(text || `Tool '${tool}' failed`);
    this.name = "ToolCallError";
  }
}

/**
 * The structured value of a tool result, as generated typed clients return it:
 * `structuredContent` (unwrapped from `{result}` for non-object outputs), or the JSON
 * text block from servers that only send text.
 */
export function structuredOf<T>(tool: string, result: CallToolResult, wrapped: boolean): T {
  if (result.isError) throw new ToolCallError(tool, result);
  const value: unknown = result.structuredContent;
  if (value !== undefined) return (wrapped ? (value as { result: unknown }).result : value) as T;
  const text = result.content?.find((c) => c.type === "text") as { text: string } | undefined;
  if (!text) throw new ToolCallError(tool, result);
  const parsed: unknown = JSON.parse(text.text);
  // A wrapped output's text is the bare value (`5`); servers before that sent `{"result":5}`.
  if (wrapped && typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && "result" in parsed) return (parsed as { result: unknown }).result as T;
  return parsed as T;
}

/** Throws ToolCallError for an error result, else returns it unchanged. */
export function checkToolResult(tool: string, result: CallToolResult): CallToolResult {
  if (result.isError) throw new ToolCallError(tool, result);
  return result;
}
