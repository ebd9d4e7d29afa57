import { ErrorCode, McpError, invalidParams } from "../protocol/jsonrpc.js";
import type { CompleteResult, ContentBlock, GetPromptResult, Prompt, PromptMessage } from "../protocol/types.js";
import type { Features } from "../protocol/versions.js";
import type { Context } from "./context.js";
import type { CompletionReturn, PromptReturn } from "./definitions.js";
import type { ServerCatalog } from "./catalog.js";
import type { PromptEntry } from "./entries.js";
import { blockProblem } from "./result-check.js";
import { contentForVersion } from "./content-version.js";

export function promptView(d: PromptEntry, f: Features): Prompt {
  const p: Prompt = { name: d.name };
  if (d.title !== undefined && f.titles) p.title = d.title;
  if (d.description !== undefined) p.description = d.description;
  if (d.arguments !== undefined) {
    p.arguments = f.titles ? d.arguments : d.arguments.map(({ title: _t, ...rest }) => rest);
  }
  if (d.icons !== undefined && f.icons) p.icons = d.icons;
  if (d._meta !== undefined) p._meta = d._meta;
  return p;
}

export async function getPrompt(server: ServerCatalog, params: Record<string, unknown>, ctx: Context<any>): Promise<GetPromptResult> {
  const name = params.name;
  if (typeof name !== "string") throw invalidParams("prompts/get needs a string 'name'");
  const p = server.prompts.get(name);
  if (!p) throw invalidParams(`Unknown prompt: ${name}`);
  const sent = params.arguments ?? {};
  if (typeof sent !== "object" || sent === null || Array.isArray(sent)) throw invalidParams("prompt arguments must be an object of strings");
  // A null-prototype copy: an argument named `constructor` or `toString` that the client left
  // out must read as missing, not as Object.prototype's member (templates read `args[name]`).
  const args: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(sent)) {
    if (typeof v !== "string") throw invalidParams(`Prompt argument '${k}' must be a string`);
    Object.defineProperty(args, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  const missing = (p.arguments ?? []).filter((a) => a.required && args[a.name] === undefined);
  if (missing.length > 0) {
    throw invalidParams(`Missing required argument${missing.length > 1 ? "s" : ""} for prompt '${name}': ${missing.map((a) => a.name).join(", ")}`);
  }
  const result = normalizePrompt(await p.get(args, ctx), p.description);
  const problem = messagesProblem(result.messages);
  if (problem) throw new McpError(ErrorCode.InternalError, `Prompt '${name}' returned invalid messages: ${problem}`);
  const f = ctx.session.features;
  if (f.resourceLinks && f.audio) return result;
  // A copy: the handler may return a shared object that newer sessions must see unchanged.
  return { ...result, messages: result.messages.map((m) => ({ ...m, content: contentForVersion(m.content, f) })) };
}

/** Why prompt messages are not valid (roles, content shapes); undefined when they are. */
function messagesProblem(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return "messages is not an array";
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as { role?: unknown; content?: unknown } | null;
    if (m === null || typeof m !== "object") return `messages[${i}] is not a message object`;
    if (m.role !== "user" && m.role !== "assistant") return `messages[${i}] needs role user or assistant`;
    const problem = blockProblem(m.content);
    if (problem) return `messages[${i}].content ${problem}`;
  }
  return undefined;
}

function normalizePrompt(value: PromptReturn, description: string | undefined): GetPromptResult {
  if (typeof value === "string") return withDescription({ messages: [{ role: "user", content: { type: "text", text: value } }] }, description);
  if (Array.isArray(value)) {
    const messages: PromptMessage[] = value.map((m) => ({
      role: m.role,
      content: typeof m.content === "string" ? { type: "text", text: m.content } : (m.content as ContentBlock),
    }));
    return withDescription({ messages }, description);
  }
  return value.description === undefined ? withDescription(value, description) : value;
}

function withDescription(r: GetPromptResult, description: string | undefined): GetPromptResult {
  if (description !== undefined) r.description = description;
  return r;
}

const MAX_COMPLETIONS = 100;

/** completion/complete for prompt arguments and template variables. */
export async function complete(server: ServerCatalog, params: Record<string, unknown>, ctx: Context<any>): Promise<CompleteResult> {
  const ref = params.ref as { type?: string; name?: string; uri?: string } | undefined;
  const argument = params.argument as { name?: unknown; value?: unknown } | undefined;
  if (!ref || typeof ref !== "object" || typeof ref.type !== "string") throw invalidParams("completion/complete needs a 'ref'");
  if (!argument || typeof argument.name !== "string") throw invalidParams("completion/complete needs 'argument.name'");
  const handler = server.completionHandler(ref as { type: string }, argument.name);
  if (handler === null) throw invalidParams(`Unknown reference: ${ref.type} ${ref.name ?? ref.uri}`);
  if (!handler) return { completion: { values: [] } };
  const contextArgs = ((params.context as { arguments?: Record<string, string> } | undefined)?.arguments ?? {}) as Record<string, string>;
  const result: CompletionReturn = await handler(String(argument.value ?? ""), { arguments: contextArgs }, ctx);
  const values = Array.isArray(result) ? result : result.values;
  const total = Array.isArray(result) ? values.length : result.total ?? values.length;
  const completion: CompleteResult["completion"] = { values: values.slice(0, MAX_COMPLETIONS), total };
  completion.hasMore = Array.isArray(result) ? values.length > MAX_COMPLETIONS : result.hasMore ?? values.length > MAX_COMPLETIONS;
  return { completion };
}
