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
import { LATEST_SESSION_VERSION, MODERN_PROTOCOL_VERSIONS, isSupportedVersion } from "../protocol/versions.js";
import { META, type DiscoverResult, type SubscriptionFilter } from "../protocol/types.js";
import type { McpHeaderDeclaration } from "../protocol/mcp-headers.js";
import type { Transport } from "../protocol/transport.js";
import {
  answerInputs,
  correctiveVersion,
  envelope,
  modernCapabilities,
  pickModernVersion,
  toolsWithHeaders,
  withEnvelope,
  type Subscription,
} from "./modern.js";
import { ToolTask } from "./tasks.js";
import { TASKS_EXTENSION, type CreateTaskResult } from "../protocol/tasks.js";
import type { CallOptions, ClientOptions, ElicitationRequest, LogMessage } from "./options.js";

export type { CallOptions, ClientOptions, ElicitationRequest, LogMessage, ProtocolEra } from "./options.js";

/**
 * An MCP client for the session-era protocol: connects over any transport, walks
 * every page of lists, and answers the server's sampling, elicitation and roots requests.
 */
export class McpClient {
  readonly peer: Peer;
  private init?: InitializeResult;
  /** The era spoken since connect: "modern" after a server/discover that offered 2026-07-28. */
  private eraValue: "legacy" | "modern" = "legacy";
  private discovered?: DiscoverResult;
  private transport?: Transport;
  /** 2026-07-28: the log level sent in each request's `_meta` (none: no log messages). */
  private logLevel?: LoggingLevel;
  /** Listens waiting for their acknowledgement, oldest first (one at a time). */
  private readonly listenWaiters: ((id: string | number | undefined, filter: SubscriptionFilter) => void)[] = [];
  private listenChain: Promise<unknown> = Promise.resolve();
  /** 2026-07-28: the tools listing that taught the transport the Mcp-Param headers. */
  private toolsListed?: Promise<void>;

  constructor(
    readonly info: Implementation,
    private readonly options: ClientOptions = {},
  ) {
    this.peer = new Peer({ defaultTimeoutMs: options.timeoutMs ?? 60_000 });
    const o = options;
    if (o.onSampling) this.peer.requestHandlers.set("sampling/createMessage", (p, req) => o.onSampling!(p as unknown as CreateMessageParams, req.signal));
    if (o.onElicitation) {
      this.peer.requestHandlers.set("elicitation/create", (p, req) => this.answerElicitation(p as unknown as ElicitationRequest, req.signal));
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
      this.peer.notificationHandlers.set(method, (p) => {
        if (method === "notifications/tools/list_changed") this.toolsListed = undefined;
        o.onNotification?.(method, p);
      });
    }
    this.peer.notificationHandlers.set("notifications/subscriptions/acknowledged", (p) => {
      const meta = p._meta as Record<string, unknown> | undefined;
      this.listenWaiters.shift()?.(meta?.[META.subscriptionId] as string | number | undefined, (p.notifications ?? {}) as SubscriptionFilter);
      o.onNotification?.("notifications/subscriptions/acknowledged", p);
    });
  }

  private async answerElicitation(request: ElicitationRequest, signal: AbortSignal): Promise<ElicitResult> {
    const o = this.options;
    if (!o.onElicitation) throw new McpError(ErrorCode.InvalidRequest, "The server asked for elicitation, which this client cannot give: set the 'onElicitation' client option");
    const result = await o.onElicitation(request, signal);
    return o.elicitationDefaults === false ? result : withElicitationDefaults(request, result);
  }

  /** The capabilities each 2026-07-28 request declares (with the tasks extension unless `tasks: false`). */
  private modernCaps(): ClientCapabilities {
    const caps = modernCapabilities(this.capabilities());
    if (this.options.tasks === false) return caps;
    return { ...caps, extensions: { ...((caps.extensions as Record<string, unknown> | undefined) ?? {}), [TASKS_EXTENSION]: {} } };
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

  /**
   * Connects: with `protocolEra` "auto" or "modern", asks `server/discover` first and
   * speaks 2026-07-28 when offered (the result then describes the discovery); otherwise,
   * or when "auto" finds a session-era server, runs the initialize handshake.
   */
  async connect(transport: Transport): Promise<InitializeResult> {
    await this.peer.connect(transport);
    this.transport = transport;
    const era = this.options.protocolEra ?? "legacy";
    if (era !== "legacy") {
      const modern = await this.probe(era === "modern");
      if (modern) return modern;
    }
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

  /** server/discover with the envelope: the era, if the server offers 2026-07-28. */
  private async probe(required: boolean): Promise<InitializeResult | undefined> {
    let version: string = MODERN_PROTOCOL_VERSIONS[0];
    for (let attempt = 0; attempt < 2; attempt++) {
      let result: DiscoverResult;
      try {
        result = await this.discover(version);
      } catch (error) {
        // -32022 names the versions the server serves: retry once with the one we speak
        // (even the one just sent: the server's list is what counts, and one retry ends it).
        const corrective = correctiveVersion(error);
        if (corrective && attempt === 0) {
          version = corrective;
          continue;
        }
        // Refused for want of authorization (after the auth provider had its turn): an
        // initialize to the same endpoint with the same credentials would be refused too.
        if (isAuthRefusal(error)) throw error;
        if (required) throw new McpError(ErrorCode.InvalidRequest, `The server does not speak protocol revision 2026-07-28: server/discover failed (${(error as Error).message})`);
        return undefined;
      }
      const picked = pickModernVersion(result);
      if (!picked) {
        if (required) throw new McpError(ErrorCode.InvalidRequest, `The server does not offer protocol revision 2026-07-28 (it offers ${JSON.stringify(result?.supportedVersions)})`);
        return undefined;
      }
      this.eraValue = "modern";
      this.discovered = result;
      const serverInfo = (result._meta?.[META.serverInfo] as Implementation | undefined) ?? { name: "", version: "" };
      this.init = { protocolVersion: picked, capabilities: result.capabilities ?? {}, serverInfo };
      if (result.instructions !== undefined) this.init.instructions = result.instructions;
      return this.init;
    }
    return undefined;
  }

  /**
   * The probe's server/discover. Its timeout (`probeTimeoutMs`) tells a server that never
   * answers an unknown request from a slow one, so it counts only the time the server
   * keeps the request waiting: time the transport spends authorizing (a person signing
   * in, a token being fetched) is added to the deadline.
   */
  private discover(version: string): Promise<DiscoverResult> {
    const limit = this.options.probeTimeoutMs ?? 10_000;
    const transport = this.transport as { authorizationMs?: () => number } | undefined;
    const authMs = () => transport?.authorizationMs?.() ?? 0;
    const start = Date.now();
    const authAtStart = authMs();
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const remaining = start + limit + (authMs() - authAtStart) - Date.now();
      if (remaining > 0) timer = setTimeout(check, remaining);
      else controller.abort(new McpError(ErrorCode.RequestTimeout, `Request timed out after ${limit} ms: server/discover`, { timeoutMs: limit }));
    };
    if (Number.isFinite(limit)) timer = setTimeout(check, limit);
    return this.peer
      .request<DiscoverResult>("server/discover", { _meta: envelope(version, this.modernCaps(), this.info) }, { timeoutMs: Infinity, signal: controller.signal })
      .finally(() => clearTimeout(timer));
  }

  /** The era spoken: "modern" (2026-07-28, stateless) or "legacy" (an initialized session). */
  get era(): "legacy" | "modern" {
    return this.eraValue;
  }

  /** The server/discover result (2026-07-28), with its cache hints. */
  get discovery(): DiscoverResult | undefined {
    return this.discovered;
  }

  /** The `_meta` envelope of the next 2026-07-28 request. */
  private meta(): Record<string, unknown> {
    return envelope(this.init!.protocolVersion, this.modernCaps(), this.info, this.logLevel);
  }

  /**
   * A 2026-07-28 request: the envelope added; an `input_required` result is answered
   * from the app's callbacks (onElicitation, onSampling, roots) and the request retried,
   * under a new id, with the answers and the server's requestState, until it completes.
   */
  private async modernRequest<T>(method: string, params: Record<string, unknown> | undefined, options: RequestOptions = {}): Promise<T> {
    let p = withEnvelope(params, this.meta());
    const maxRounds = this.options.maxInputRounds ?? 10;
    for (let round = 0; ; round++) {
      const result = await this.peer.request<Record<string, unknown>>(method, p, options);
      if (result?.resultType !== "input_required") return result as T;
      if (round >= maxRounds) throw new McpError(ErrorCode.InternalError, `${method}: the server still wanted input after ${maxRounds} rounds`);
      const signal = options.signal ?? new AbortController().signal;
      const answers = await answerInputs((result.inputRequests ?? {}) as Record<string, any>, this.options, signal, (r, s) => this.answerElicitation(r, s));
      p = { ...p, inputResponses: answers };
      if (typeof result.requestState === "string") p.requestState = result.requestState;
      else delete p.requestState;
    }
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

  /** Low level: any request (in 2026-07-28, with the `_meta` envelope and input rounds handled). */
  request<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>, options?: RequestOptions): Promise<T> {
    if (this.eraValue === "modern") return this.modernRequest<T>(method, params, options);
    return this.peer.request<T>(method, params, options);
  }

  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    return this.peer.notify(method, params);
  }

  ping(): Promise<Record<string, never>> {
    // 2026-07-28 has no ping: a discovery round trip says the same.
    if (this.eraValue === "modern") return this.request("server/discover").then(() => ({}));
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

  async listTools(): Promise<Tool[]> {
    const tools = await this.listAll<Tool>("tools/list", "tools");
    if (this.eraValue !== "modern") return tools;
    // 2026-07-28: tools with invalid x-mcp-header annotations are left out; the others'
    // annotated arguments go out as Mcp-Param-* headers (HTTP).
    const checked = toolsWithHeaders(tools, this.options.onInvalidTool);
    (this.transport as { setToolHeaders?: (h: Map<string, McpHeaderDeclaration[]>) => void } | undefined)?.setToolHeaders?.(checked.headers);
    return checked.tools;
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

  async callTool(name: string, args: object = {}, options: CallOptions = {}): Promise<CallToolResult> {
    const result = await this.requestToolCall(name, args, options);
    // 2026-07-28 tasks extension: the server answered with a task; wait for its result.
    if (result?.resultType === "task") return this.taskOf(result).result(options);
    return result;
  }

  /** Sends tools/call; the result may be a task (2026-07-28 tasks extension). */
  private async requestToolCall(name: string, args: object, options: CallOptions): Promise<CallToolResult & { resultType?: string }> {
    // 2026-07-28 over HTTP: the tool's x-mcp-header arguments go out as headers, so its
    // schema must be known: list the tools once (again after a tools list change).
    if (this.eraValue === "modern" && typeof (this.transport as { setToolHeaders?: unknown } | undefined)?.setToolHeaders === "function") {
      this.toolsListed ??= this.listTools().then(
        () => undefined,
        () => void (this.toolsListed = undefined),
      );
      await this.toolsListed;
    }
    // `object` so generated input interfaces (no index signature) pass without casts.
    return this.request<CallToolResult & { resultType?: string }>("tools/call", { name, arguments: args as Record<string, unknown> }, options);
  }

  /**
   * Calls a tool and returns a handle on it: a ToolTask when the server answered with a
   * task (2026-07-28 tasks extension: poll, `result()`, `update()`, `cancel()`), or the
   * result itself when it answered at once.
   */
  async callToolAsTask(name: string, args: object = {}, options: CallOptions = {}): Promise<ToolTask | CallToolResult> {
    const result = await this.requestToolCall(name, args, options);
    return result?.resultType === "task" ? this.taskOf(result) : result;
  }

  /** A handle on a task this client (or an earlier run of it) started, by id: `(await client.task(id).poll())`. */
  task(taskId: string): ToolTask {
    const now = new Date().toISOString();
    return this.taskOf({ resultType: "task", taskId, status: "working", createdAt: now, lastUpdatedAt: now, ttlMs: null });
  }

  private taskOf(created: unknown): ToolTask {
    return new ToolTask(
      {
        request: (method, params, options) => this.request(method, params, options),
        answerInputs: (requests, signal) => answerInputs(requests, this.options, signal, (r, s) => this.answerElicitation(r, s)),
      },
      created as CreateTaskResult,
    );
  }

  readResource(uri: string, options: CallOptions = {}): Promise<ReadResourceResult> {
    return this.request<ReadResourceResult>("resources/read", { uri }, options);
  }

  subscribeResource(uri: string): Promise<unknown> {
    if (this.eraValue === "modern") {
      return Promise.reject(new McpError(ErrorCode.InvalidRequest, "resources/subscribe was removed in protocol revision 2026-07-28: use listen({ resourceSubscriptions: [uri] })"));
    }
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
    // 2026-07-28: the level travels in each request's _meta.
    if (this.eraValue === "modern") {
      this.logLevel = level;
      return Promise.resolve({});
    }
    return this.request("logging/setLevel", { level });
  }

  /** Tells the server the roots changed (nothing to tell in 2026-07-28: it asks each time). */
  sendRootsListChanged(): Promise<void> {
    if (this.eraValue === "modern") return Promise.resolve();
    return this.notify("notifications/roots/list_changed");
  }

  /**
   * 2026-07-28: opens a `subscriptions/listen` stream for list changes and resource
   * updates (they reach `onNotification`, tagged with the subscription id). Resolves once
   * the server acknowledged it; `close()` ends it.
   */
  async listen(filter: SubscriptionFilter, options: { signal?: AbortSignal } = {}): Promise<Subscription> {
    if (this.eraValue !== "modern") {
      throw new McpError(ErrorCode.InvalidRequest, "subscriptions/listen needs protocol revision 2026-07-28 (connect with protocolEra 'auto' or 'modern'); a session-era client gets notifications on its session");
    }
    // One listen at a time until acknowledged, so each acknowledgement finds its listen.
    const previous = this.listenChain;
    let release!: () => void;
    this.listenChain = new Promise<void>((r) => (release = r));
    await previous.catch(() => undefined);
    const controller = new AbortController();
    options.signal?.addEventListener("abort", () => controller.abort(options.signal!.reason), { once: true });
    let id: string | number | undefined;
    let ackResolve!: (filter: SubscriptionFilter) => void;
    let ackReject!: (error: unknown) => void;
    const acknowledged = new Promise<SubscriptionFilter>((resolve, reject) => ((ackResolve = resolve), (ackReject = reject)));
    const waiter = (subscriptionId: string | number | undefined, honoured: SubscriptionFilter) => {
      id = subscriptionId;
      ackResolve(honoured);
    };
    this.listenWaiters.push(waiter);
    const ended = this.peer.request("subscriptions/listen", withEnvelope({ notifications: filter }, this.meta()), { signal: controller.signal, timeoutMs: Infinity });
    const closed = ended.then(
      () => undefined,
      (error) => {
        const i = this.listenWaiters.indexOf(waiter);
        if (i >= 0) this.listenWaiters.splice(i, 1);
        ackReject(error);
      },
    );
    acknowledged.catch(() => undefined).finally(release);
    await acknowledged;
    return {
      get id() {
        return id;
      },
      acknowledged,
      closed,
      close: () => controller.abort(new McpError(ErrorCode.ConnectionClosed, "Subscription closed")),
    };
  }

  close(): Promise<void> {
    return this.peer.close();
  }
}

/** An HTTP 401 or 403 that the transport (and its auth provider) could not get past. */
function isAuthRefusal(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: unknown } } | undefined)?.data?.httpStatus;
  return error instanceof McpError && (status === 401 || status === 403);
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
