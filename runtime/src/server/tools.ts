import { ErrorCode, McpError, invalidParams } from "../protocol/jsonrpc.js";
import type { CallToolResult, ContentBlock, Tool } from "../protocol/types.js";
import type { Features } from "../protocol/versions.js";
import { isToolResult, ToolError } from "./content.js";
import { contentProblem, jsonProblem } from "./result-check.js";
import type { Context } from "./context.js";
import type { ServerCatalog } from "./catalog.js";
import { contentForVersion } from "./content-version.js";
import type { ToolEntry } from "./entries.js";

/** The tools/list entry of a tool, shaped for what the negotiated revision knows. */
export function toolView(entry: ToolEntry, f: Features): Tool {
  const d = entry.def;
  const t: Tool = { name: d.name, inputSchema: d.inputSchema ?? { type: "object" } };
  if (d.title !== undefined && f.titles) t.title = d.title;
  if (d.description !== undefined) t.description = d.description;
  if (d.outputSchema !== undefined && f.structuredOutput) t.outputSchema = d.outputSchema;
  if (d.annotations !== undefined && f.annotations) t.annotations = d.annotations;
  if (d.icons !== undefined && f.icons) t.icons = d.icons;
  if (d.execution !== undefined && f.icons) t.execution = d.execution;
  if (d._meta !== undefined) t._meta = d._meta;
  return t;
}

const errorResult = (text: string, content?: ContentBlock[]): CallToolResult => ({
  content: content ?? [{ type: "text", text }],
  isError: true,
});

/**
 * tools/call: validation failures and handler exceptions become `isError` results the
 * model can read and act on; only an unknown tool is a protocol error. One async
 * frame, and no await on what is already a value: this is the hottest path there is.
 */
export async function callTool(server: ServerCatalog, params: Record<string, unknown>, ctx: Context<any>, f: Features): Promise<CallToolResult> {
  const name = params.name;
  if (typeof name !== "string") throw invalidParams("tools/call needs a string 'name'");
  const entry = server.tools.get(name);
  if (!entry) throw invalidParams(`Unknown tool: ${name}`);
  const args = params.arguments ?? {};
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    return forVersion(errorResult(`Input validation error: arguments of tool '${name}' must be an object`), f);
  }
  let inputProblem = entry.input.check(args);
  if (inputProblem instanceof Promise) inputProblem = await inputProblem;
  if (inputProblem) return forVersion(errorResult(`Input validation error for tool '${name}':\n${inputProblem}`), f);

  let value: unknown;
  try {
    value = entry.def.handler(args, ctx);
    if (isThenable(value)) value = await value;
  } catch (error) {
    if (error instanceof ToolError) {
      const problem = error.content === undefined ? undefined : contentProblem(error.content);
      if (problem) throw new McpError(ErrorCode.InternalError, `Tool '${name}' threw a ToolError with invalid content: ${problem}`);
      return forVersion(errorResult(error.message, error.content), f);
    }
    if (error instanceof McpError && error.code !== ErrorCode.InternalError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return forVersion(errorResult(`Error executing tool ${name}: ${message}`), f);
  }
  // Cheap shape checks: invalid content or non-JSON values never reach the wire.
  let result: CallToolResult;
  try {
    result = toResult(entry, value);
  } catch (error) {
    if (error instanceof InvalidResult) throw invalidResult(name, error.message);
    throw error;
  }
  // Structured output built here from the value was checked while its text was made.
  const problem = resultProblem(result, entry.def.outputSchema !== undefined && !isToolResult(value));
  if (problem) throw invalidResult(name, problem);
  // Error results are never checked against outputSchema.
  if (!result.isError && entry.output) {
    let outputProblem = entry.output.check(result.structuredContent);
    if (outputProblem instanceof Promise) outputProblem = await outputProblem;
    if (outputProblem) {
      throw new McpError(ErrorCode.InternalError, `Tool '${name}' returned output that does not match its outputSchema:\n${outputProblem}`);
    }
  }
  return forVersion(result, f);
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";

/** A result as the negotiated revision can carry it (error results included). */
function forVersion(result: CallToolResult, f: Features): CallToolResult {
  if (!f.structuredOutput && result.structuredContent !== undefined) delete result.structuredContent;
  if (!f.resourceLinks || !f.audio) result.content = result.content.map((block) => contentForVersion(block, f));
  return result;
}

/** Why a result may not be sent as is (content shapes, non-JSON structured output); undefined when it may. */
function resultProblem(result: CallToolResult, structuredChecked: boolean): string | undefined {
  const content = contentProblem(result.content);
  if (content || structuredChecked || result.structuredContent === undefined) return content;
  return jsonProblem(result.structuredContent, "structuredContent");
}

/** A handler's value that cannot be sent (thrown while building the result, answered -32603). */
class InvalidResult extends Error {}

const invalidResult = (tool: string, problem: string) => new McpError(ErrorCode.InternalError, `Tool '${tool}' returned an invalid result: ${problem}`);

/** The value's JSON text, or InvalidResult naming what JSON cannot carry. */
function jsonOf(value: unknown, what: string): string {
  const problem = jsonProblem(value, what);
  if (problem) throw new InvalidResult(problem);
  return JSON.stringify(value) ?? "null";
}

/**
 * The text block beside structured output: the value's own JSON, as the Python SDK
 * sends it (`add(2, 3)` → `5`, with structuredContent `{"result": 5}` when wrapped).
 */
const jsonText = (value: unknown): ContentBlock[] => [{ type: "text", text: jsonOf(value, "structuredContent") }];

function toResult(entry: ToolEntry, value: unknown): CallToolResult {
  const d = entry.def;
  if (isToolResult(value)) {
    const r = { ...value } as CallToolResult;
    const own = r.structuredContent;
    if (d.outputSchema && !r.isError && own !== undefined && d.wrapOutput) {
      r.structuredContent = { result: own };
    }
    if (d.outputSchema && !r.isError && own !== undefined && Array.isArray(r.content) && r.content.length === 0) {
      r.content = jsonText(own);
    }
    return r;
  }
  if (d.outputSchema) {
    const structured = (d.wrapOutput ? { result: value } : value) as Record<string, unknown>;
    // Older clients read the text block; newer ones read structuredContent.
    return { content: jsonText(value), structuredContent: structured };
  }
  // A plain CallToolResult (`{content: [...], isError?, structuredContent?, _meta?}`) is sent as is.
  if (isPlainResult(value)) return { ...value };
  return { content: toContent(value) };
}

function isPlainResult(value: unknown): value is CallToolResult {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Array.isArray((value as { content?: unknown }).content);
}

function toContent(value: unknown): ContentBlock[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [{ type: "text", text: value }];
  if (Array.isArray(value)) return value.flatMap(toContent);
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.content)) return o.content as ContentBlock[];
    if (typeof o.type === "string") return [o as unknown as ContentBlock];
  }
  if (typeof value === "object" || typeof value === "number" || typeof value === "boolean") return [{ type: "text", text: jsonOf(value, "the returned value") }];
  throw new InvalidResult(`the returned value is a ${typeof value}, which is neither content nor JSON`);
}
