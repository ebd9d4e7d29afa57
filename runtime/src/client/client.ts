import { Peer, type Progress, type RequestOptions } from "../protocol/engine.js";
import { ErrorCode, McpError } from "../protocol/jsonrpc.js";
import type {
  CallToolResult,
  ClientCapabilities,
  CompleteResult,
  CompletionRef,
  CreateMessageParams,
  CreateMessageResult,
  ElicitResult,
  GetPromptResult,
  Implementation,
  InitializeResult,
  LoggingLevel,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  Root,
  ServerCapabilities,
  Tool,
} from "../protocol/types.js";
import { LATEST_SESSION_VERSION, isSupportedVersion } from "../protocol/versions.js";
import type { Transport } from "../transports/transport.js";

export interface ElicitationRequest {
  mode?: "form" | "url";
  message: string;
  requestedSchema?: Record<string, unknown>;
  url?: string;
  elicitationId?: string;
}

export interface LogMessage {
  level: LoggingLevel;
  logger?: string;
  data: unknown;
}

export interface ClientOptions {
  /** Protocol version to ask for (default: the latest session-era revision). */
  protocolVersion?: string;
  /** Extra capabilities; those implied by the callbacks below are added automatically. */
  capabilities?: ClientCapabilities;
  /** Answers sampling/createMessage; declares the sampling capability. */
  onSampling?: (params: CreateMessageParams, signal: AbortSignal) => CreateMessageResult | Promise<CreateMessageResult>;
  /** Whether the sampling callback accepts `tools` (declares sampling.tools). */
  samplingTools?: boolean;
  /** Answers elicitation/create; declares the elicitation capability (form, and url if `elicitationModes` says so). */
  onElicitation?: (params: ElicitationRequest, signal: AbortSignal) => ElicitResult | Promise<ElicitResult>;
  elicitationModes?: ("form" | "url")[];
  /**
   * Fill in what an accepted form leaves out from the `default`s of the requested schema,
   * as a form pre-filled with them would (SEP-1034; default true). False sends exactly
   * what `onElicitation` returned.
   */
  elicitationDefaults?: boolean;
  /** Roots offered to the server; declares the roots capability. */
  roots?: Root[] | (() => Root[] | Promise<Root[]>);
  onLog?: (message: LogMessage) => void;
  /** Any other server notification. */
  onNotification?: (method: string, params: Record<string, unknown>) => void;
  /** Default request timeout (ms); progress notifications restart it. */
  timeoutMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  onprogress?: (progress: Progress) => void;
}

/**
 * An MCP client for the session-era protocol: connects over any transport, walks
 * every page of lists, and answers the server's sampling, elicitation and roots requests.
 */
export class McpClient {
  readonly peer: Peer;
  private init?: InitializeResult;

  constructor(
    readonly info: Implementation,
    private readonly options: ClientOptions = {},
  ) {
    this.peer = new Peer({ defaultTimeoutMs: options.timeoutMs ?? 60_000 });
    const o = options;
    if (o.onSampling) this.peer.requestHandlers.set("sampling/createMessage", (p, req) => o.onSampling!(p as unknown as CreateMessageParams, req.signal));
    if (o.onElicitation) {
      this.peer.requestHandlers.set("elicitation/create", async (p, req) => {
        const request = p as unknown as ElicitationRequest;
        const result = await o.onElicitation!(request, req.signal);
        return o.elicitationDefaults === false ? result : withElicitationDefaults(request, result);
      });
    }
    if (o.roots) {
      this.peer.requestHandlers.set("roots/list", async () => ({
        roots: typeof o.roots === "function" ? await o.roots() : o.roots,
      }));
    }
    this.peer.requestHandlers.set("ping", () => ({}));
    this.peer.fallbackRequestHandler = (_p, req) => {
      throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${req.method}`);
    };
    this.peer.notificationHandlers.set("notifications/message", (p) => o.onLog?.(p as unknown as LogMessage));
    for (const method of [
      "notifications/tools/list_changed",
      "notifications/resources/list_changed",
      "notifications/prompts/list_changed",
      "notifications/resources/updated",
      "notifications/elicitation/complete",
      "notifications/progress",
      "notifications/cancelled",
    ]) {
      this.peer.notificationHandlers.set(method, (p) => o.onNotification?.(method, p));
    }
  }

  capabilities(): ClientCapabilities {
    const o = this.options;
    const caps: ClientCapabilities = { ...o.capabilities };
    if (o.onSampling) caps.sampling = o.samplingTools ? { tools: {} } : {};
    if (o.onElicitation) {
      const modes = o.elicitationModes ?? ["form"];
      caps.elicitation = Object.fromEntries(modes.map((m) => [m, {}]));
    }
    if (o.roots) caps.roots = { listChanged: true };
    return caps;
  }

  /** Connects and runs the initialize handshake. */
  async connect(transport: Transport): Promise<InitializeResult> {
    await this.peer.connect(transport);
    const result = await this.peer.request<InitializeResult>("initialize", {
      protocolVersion: this.options.protocolVersion ?? LATEST_SESSION_VERSION,
      capabilities: this.capabilities(),
      clientInfo: this.info,
    });
    if (!isSupportedVersion(result.protocolVersion)) {
      await this.close();
      throw new McpError(ErrorCode.InvalidRequest, `Server answered with unsupported protocol version ${result.protocolVersion}`);
    }
    this.init = result;
    transport.setProtocolVersion?.(result.protocolVersion);
    await this.peer.notify("notifications/initialized");
    return result;
  }

  get serverInfo(): Implementation | undefined {
    return this.init?.serverInfo;
  }
  get serverCapabilities(): ServerCapabilities | undefined {
    return this.init?.capabilities;
  }
  get protocolVersion(): string | undefined {
    return this.init?.protocolVersion;
  }
  get instructions(): string | undefined {
    return this.init?.instructions;
  }

  /** Low level: any request. */
  request<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>, options?: RequestOptions): Promise<T> {
    return this.peer.request<T>(method, params, options);
  }

  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    return this.peer.notify(method, params);
  }

  ping(): Promise<Record<string, never>> {
    return this.request("ping");
  }

  private async listAll<T>(method: string, key: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10_000; pages++) {
      const page = await this.request<Record<string, unknown>>(method, cursor ? { cursor } : {});
      items.push(...((page[key] as T[]) ?? []));
      cursor = page.nextCursor as string | undefined;
      if (!cursor) return items;
    }
    throw new McpError(ErrorCode.InternalError, `${method}: too many pages`);
  }

  listTools(): Promise<Tool[]> {
    return this.listAll("tools/list", "tools");
  }
  listResources(): Promise<Resource[]> {
    return this.listAll("resources/list", "resources");
  }
  listResourceTemplates(): Promise<ResourceTemplate[]> {
    return this.listAll("resources/templates/list", "resourceTemplates");
  }
  listPrompts(): Promise<Prompt[]> {
    return this.listAll("prompts/list", "prompts");
  }

  callTool(name: string, args: object = {}, options: CallOptions = {}): Promise<CallToolResult> {
    // `object` so generated input interfaces (no index signature) pass without casts.
    return this.request<CallToolResult>("tools/call", { name, arguments: args as Record<string, unknown> }, options);
  }

  readResource(uri: string, options: CallOptions = {}): Promise<ReadResourceResult> {
    return this.request<ReadResourceResult>("resources/read", { uri }, options);
  }

  subscribeResource(uri: string): Promise<unknown> {
    return this.request("resources/subscribe", { uri });
  }
  unsubscribeResource(uri: string): Promise<unknown> {
    return this.request("resources/unsubscribe", { uri });
  }

  getPrompt(name: string, args: Record<string, string> = {}, options: CallOptions = {}): Promise<GetPromptResult> {
    return this.request<GetPromptResult>("prompts/get", { name, arguments: args }, options);
  }

  async complete(ref: CompletionRef, argument: { name: string; value: string }, context?: Record<string, string>): Promise<CompleteResult["completion"]> {
    const params: Record<string, unknown> = { ref, argument };
    if (context) params.context = { arguments: context };
    const r = await this.request<CompleteResult>("completion/complete", params);
    return r.completion;
  }

  setLoggingLevel(level: LoggingLevel): Promise<unknown> {
    return this.request("logging/setLevel", { level });
  }

  /** Tells the server the roots changed. */
  sendRootsListChanged(): Promise<void> {
    return this.notify("notifications/roots/list_changed");
  }

  close(): Promise<void> {
    return this.peer.close();
  }
}

/**
 * An accepted form-mode answer with every field it left out (absent or undefined) set to
 * that field's `default` from the requested schema: what the person saw pre-filled and
 * did not change (SEP-1034). Anything else is returned as it is; the handler's object is
 * never modified.
 */
export function withElicitationDefaults(request: ElicitationRequest, result: ElicitResult): ElicitResult {
  if ((request.mode ?? "form") !== "form" || result?.action !== "accept") return result;
  const properties = (request.requestedSchema as { properties?: unknown } | undefined)?.properties;
  if (!properties || typeof properties !== "object") return result;
  const content = result.content;
  if (content !== undefined && (content === null || typeof content !== "object" || Array.isArray(content))) return result;
  let filled: Record<string, unknown> | undefined;
  for (const [name, field] of Object.entries(properties as Record<string, unknown>)) {
    if (!field || typeof field !== "object" || !Object.hasOwn(field, "default")) continue;
    if (content?.[name] !== undefined) continue;
    filled ??= { ...content };
    filled[name] = (field as { default: unknown }).default;
  }
  return filled ? { ...result, content: filled } : result;
}

/** The name to show a person: title, then annotations.title, then name. */
export function getDisplayName(item: { name: string; title?: string; annotations?: { title?: string } }): string {
  return item.title || item.annotations?.title || item.name;
}
