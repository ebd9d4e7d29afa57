/**
 * The client side of the 2026-07-28 era: the probe that picks the era, the per-request
 * `_meta` envelope, answering `input_required` results from the app's callbacks, and
 * `subscriptions/listen`. McpClient uses these when `protocolEra` is "auto" or "modern".
 */
import { ErrorCode, McpError } from "../protocol/jsonrpc.js";
import { scanMcpHeaders, type McpHeaderDeclaration } from "../protocol/mcp-headers.js";
import {
  META,
  type ClientCapabilities,
  type CreateMessageParams,
  type DiscoverResult,
  type Implementation,
  type InputRequest,
  type LoggingLevel,
  type Root,
  type SubscriptionFilter,
  type Tool,
} from "../protocol/types.js";
import { MODERN_PROTOCOL_VERSIONS, isModernVersion } from "../protocol/versions.js";
import type { ClientOptions, ElicitationRequest, ProtocolEra } from "./options.js";

/** Which era a client speaks: "legacy" (initialize), "modern" (2026-07-28 only), "auto" (probe, fall back). */
export type { ProtocolEra };

/** The `_meta` every 2026-07-28 request carries. */
export function envelope(version: string, capabilities: ClientCapabilities, info: Implementation, logLevel?: LoggingLevel): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    [META.protocolVersion]: version,
    [META.clientCapabilities]: capabilities,
    [META.clientInfo]: info,
  };
  if (logLevel !== undefined) meta[META.logLevel] = logLevel;
  return meta;
}

/** Params with the envelope added to their `_meta` (the caller's own keys kept). */
export function withEnvelope(params: Record<string, unknown> | undefined, meta: Record<string, unknown>): Record<string, unknown> {
  const own = params?._meta && typeof params._meta === "object" ? (params._meta as Record<string, unknown>) : {};
  return { ...params, _meta: { ...meta, ...own } };
}

/** Whether a server/discover result offers a revision this client speaks; which one. */
export function pickModernVersion(result: unknown): string | undefined {
  const offered = (result as DiscoverResult | undefined)?.supportedVersions;
  if (!Array.isArray(offered)) return undefined;
  return MODERN_PROTOCOL_VERSIONS.find((v) => offered.includes(v));
}

/** Whether an error answering the probe says "this server is 2026-07-28 but wants another version". */
export function correctiveVersion(error: unknown): string | undefined {
  if (!(error instanceof McpError) || error.code !== ErrorCode.UnsupportedProtocolVersion) return undefined;
  const supported = (error.data as { supported?: unknown } | undefined)?.supported;
  return Array.isArray(supported) ? supported.find((v) => isModernVersion(v)) : undefined;
}

/** Capabilities as 2026-07-28 words them (roots has no listChanged there: no roots notifications). */
export function modernCapabilities(caps: ClientCapabilities): ClientCapabilities {
  if (!caps.roots) return caps;
  const { listChanged: _dropped, ...roots } = caps.roots;
  return { ...caps, roots };
}

/** The answers to one round of input requests, from the app's callbacks. */
export async function answerInputs(
  requests: Record<string, InputRequest>,
  options: ClientOptions,
  signal: AbortSignal,
  elicit: (request: ElicitationRequest, signal: AbortSignal) => Promise<unknown>,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, request] of Object.entries(requests ?? {})) {
    const params = (request?.params ?? {}) as Record<string, unknown>;
    switch (request?.method) {
      case "elicitation/create":
        out[key] = await elicit(params as unknown as ElicitationRequest, signal);
        break;
      case "sampling/createMessage":
        if (!options.onSampling) throw cannotAnswer(key, request.method, "onSampling");
        out[key] = await options.onSampling(params as unknown as CreateMessageParams, signal);
        break;
      case "roots/list": {
        const roots = options.roots;
        if (!roots) throw cannotAnswer(key, request.method, "roots");
        out[key] = { roots: typeof roots === "function" ? await roots() : (roots as Root[]) };
        break;
      }
      default:
        throw new McpError(ErrorCode.InvalidRequest, `The server asked for input '${key}' with an unknown method ${JSON.stringify(request?.method)}`);
    }
  }
  return out;
}

const cannotAnswer = (key: string, method: string, option: string) =>
  new McpError(ErrorCode.InvalidRequest, `The server asked for input '${key}' (${method}), which this client cannot give: set the '${option}' client option`);

/**
 * Tools whose `x-mcp-header` annotations are valid, with their declarations; a tool with
 * invalid ones is left out (a client must not call it), and reported to `onInvalid`.
 */
export function toolsWithHeaders(tools: Tool[], onInvalid?: (tool: Tool, reason: string) => void): { tools: Tool[]; headers: Map<string, McpHeaderDeclaration[]> } {
  const kept: Tool[] = [];
  const headers = new Map<string, McpHeaderDeclaration[]>();
  for (const tool of tools) {
    const scan = scanMcpHeaders(tool.inputSchema);
    if (!scan.valid) {
      onInvalid?.(tool, scan.reason);
      continue;
    }
    kept.push(tool);
    if (scan.declarations.length > 0) headers.set(tool.name, scan.declarations);
  }
  return { tools: kept, headers };
}

/** A `subscriptions/listen` stream the client has open. */
export interface Subscription {
  /** The subscription id (the listen request's id, as notifications carry it). */
  readonly id: string | number | undefined;
  /** What the server agreed to send (its acknowledgement). */
  readonly acknowledged: Promise<SubscriptionFilter>;
  /** Settles when the stream ends (closed by either side). */
  readonly closed: Promise<void>;
  /** Ends the stream (cancels the listen request). */
  close(): void;
}

export type { SubscriptionFilter };
