import { Peer, type IncomingRequest } from "../protocol/engine.js";
import { ErrorCode, McpError, invalidParams, type RequestId } from "../protocol/jsonrpc.js";
import {
  LOGGING_LEVELS,
  type ClientCapabilities,
  type Implementation,
  type InitializeResult,
  type LoggingLevel,
  type ReadResourceResult,
  type ServerCapabilities,
} from "../protocol/types.js";
import {
  LATEST_SESSION_VERSION,
  featuresOf,
  isSupportedVersion,
  type Features,
} from "../protocol/versions.js";
import { Context } from "./context.js";
import { fairly } from "./fair-share.js";
import type { CatalogOptions } from "./catalog.js";
import type { Middleware } from "./handlers.js";
import type { HostedSession, ServerHost } from "./host.js";
import { dispatchModern, isModernRequest } from "./modern.js";
import type { ModernEnvelope } from "./modern-types.js";
import { paginate } from "./pagination.js";
import type { Registry } from "./registry.js";
import { checkItemScopes, hidesFrom, holds } from "./scopes.js";
import { complete, getPrompt, promptView } from "./prompts.js";
import { canSubscribe, listResources, readResource, templateView } from "./resources.js";
import { methodTable } from "./method-table.js";
import { callTool, toolView } from "./tools.js";

/** Most bytes of `capabilities` and `clientInfo` a session keeps from initialize. */
export const MAX_CLIENT_STATE_BYTES = 16 * 1024;

type Builtin = (s: ServerSession, params: Record<string, unknown>, ctx: Context<any>) => unknown;

/** Which capability a method needs the server to have advertised. */
const NEEDS = methodTable<"tools" | "resources" | "prompts" | "completions" | "logging">({
  "tools/list": "tools",
  "tools/call": "tools",
  "resources/list": "resources",
  "resources/templates/list": "resources",
  "resources/read": "resources",
  "resources/subscribe": "resources",
  "resources/unsubscribe": "resources",
  "prompts/list": "prompts",
  "prompts/get": "prompts",
  "completion/complete": "completions",
  "logging/setLevel": "logging",
});

const BUILTINS = methodTable<Builtin>({
  initialize: (s, p) => s.initialize(p),
  ping: () => ({}),
  "tools/list": (s, p, ctx) => s.list(p, "tools", s.visible(s.server.tools, ctx, (e) => toolView(e, s.features), (e) => e.def.scopes)),
  "tools/call": (s, p, ctx) => callTool(s.server, p, ctx, s.features),
  "resources/list": async (s, p, ctx) => s.list(p, "resources", await listResources(s.server, s.features, s.protocolVersion, ctx)),
  "resources/templates/list": (s, p, ctx) =>
    s.list(p, "resourceTemplates", s.visible(s.server.templates, ctx, (e) => templateView(e, s.features), (e) => e.def.scopes)),
  "resources/read": (s, p, ctx) => readResource(s.server, p.uri, ctx),
  "resources/subscribe": (s, p) => s.subscribe(p.uri, true),
  "resources/unsubscribe": (s, p) => s.subscribe(p.uri, false),
  "prompts/list": (s, p, ctx) => s.list(p, "prompts", s.visible(s.server.prompts, ctx, (d) => promptView(d, s.features), (d) => d.scopes)),
  "prompts/get": (s, p, ctx) => getPrompt(s.server, p, ctx),
  "completion/complete": (s, p, ctx) => complete(s.server, p, ctx),
  "logging/setLevel": (s, p) => s.setLogLevel(p.level),
});

/**
 * What a session must keep to survive a restart or move to another replica
 * (HTTP session stores persist it). Plain JSON.
 */
export interface SessionState {
  protocolVersion: string;
  clientCapabilities: ClientCapabilities;
  clientInfo?: Implementation;
  logLevel?: LoggingLevel;
  subscriptions?: string[];
}

export type RawNotificationHandler = (params: Record<string, unknown>, session: ServerSession) => void;

/**
 * What a session needs of its server. McpServer implements it; declared here because
 * the server module imports this one (it creates the sessions).
 */
export interface SessionServer extends ServerHost {
  readonly options: CatalogOptions & { onerror?: (error: Error) => void };
  readonly middleware: readonly Middleware[];
  readonly rawNotificationHandlers: ReadonlyMap<string, RawNotificationHandler>;
}

/**
 * One client's connection: the negotiated revision, its capabilities, log level and
 * subscriptions. Dispatches every request to the server's built-in handlers, the
 * author's raw handlers, and middleware.
 */
export class ServerSession implements HostedSession {
  readonly peer: Peer;
  protocolVersion: string = LATEST_SESSION_VERSION;
  features: Features = featuresOf(LATEST_SESSION_VERSION);
  clientInfo?: Implementation;
  clientCapabilities: ClientCapabilities = {};
  initialized = false;
  /** Whether the client sent notifications/initialized. */
  ready = false;
  private logLevelIndex = 0;
  private readonly subscriptions = new Set<string>();
  /** Serving one stateless HTTP request: nothing can be sent to the client outside its reply. */
  stateless = false;
  /** Set on the per-request view that serves a 2026-07-28 request (see modern.ts). */
  readonly modern?: ModernEnvelope;
  /** Called after anything in `state()` changes (HTTP transports persist it). */
  onStateChange?: (session: ServerSession) => void;

  constructor(
    readonly server: SessionServer,
    readonly id: string | undefined,
  ) {
    this.peer = new Peer({
      onerror: server.options.onerror ?? ((e) => console.error(`[mcp] ${e.stack ?? e.message}`)),
      allowBatch: () => this.features.batches,
    });
    this.peer.fallbackRequestHandler = (params, req) => this.dispatch(params, req);
    this.peer.notificationHandlers.set("notifications/initialized", (params) => {
      this.ready = true;
      this.rawNotification("notifications/initialized", params);
    });
    // Looked up per notification, so handlers added after connecting apply too.
    this.peer.fallbackNotificationHandler = (method, params) => this.rawNotification(method, params);
    this.peer.onClose(() => this.subscriptions.clear());
  }

  private rawNotification(method: string, params: Record<string, unknown>): void {
    // Before initialize the client may only ping: its other notifications are dropped.
    if (!this.initialized && method !== "notifications/cancelled") return;
    this.server.rawNotificationHandlers.get(method)?.(params, this);
  }

  private dispatch(params: Record<string, unknown>, req: IncomingRequest): unknown {
    const method = req.method;
    // A request of the 2026-07-28 era is served on its own, whatever this session is.
    if (isModernRequest(method, params)) return dispatchModern(this, params, req);
    if (!this.initialized && method !== "initialize" && method !== "ping") {
      throw new McpError(ErrorCode.InvalidRequest, `Received '${method}' before initialize: the client must initialize the session first`);
    }
    const raw = this.server.rawRequestHandlers.get(method);
    const builtin = raw ? undefined : BUILTINS[method];
    if (!raw && !builtin) throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${method}`);
    if (builtin) {
      const needs = NEEDS[method];
      if (needs && this.capabilitiesCache && this.capabilitiesCache[needs] === undefined) {
        throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${method} (the server has no ${needs})`);
      }
    }
    return this.invoke(method, params, req, new Context<any>(this, req));
  }

  /**
   * @internal Runs a method's handler (the author's raw one, else the built-in) through
   * the middleware, on this session or on a per-request view of it (2026-07-28).
   */
  invoke(method: string, params: Record<string, unknown>, req: IncomingRequest, ctx: Context<any>): unknown {
    const raw = this.server.rawRequestHandlers.get(method);
    const builtin = raw ? undefined : BUILTINS[method];
    if (!raw && !builtin) throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${method}`);
    // Per-item scopes, for an authenticated caller (Streamable HTTP refuses earlier, with a 403).
    const auth = req.extra?.authInfo;
    if (auth && builtin) checkItemScopes(this.server, method, params, auth);
    const mws = this.server.middleware;
    if (mws.length === 0) return raw ? raw(params, ctx) : builtin!(this, params, ctx);
    // Middleware may replace `request.params`; the handler gets what is there at the end.
    const request = { method, params, ctx };
    const run = () => (raw ? raw(request.params, ctx) : builtin!(this, request.params, ctx));
    const step = (i: number): Promise<unknown> =>
      i === mws.length ? Promise.resolve().then(run) : mws[i]!(request, () => step(i + 1));
    return step(0);
  }

  private capabilitiesCache?: ServerCapabilities;

  /** The session's persistent state; `restore` brings it back in a new process. */
  state(): SessionState {
    const state: SessionState = { protocolVersion: this.protocolVersion, clientCapabilities: this.clientCapabilities };
    if (this.clientInfo) state.clientInfo = this.clientInfo;
    if (this.logLevelIndex > 0) state.logLevel = LOGGING_LEVELS[this.logLevelIndex];
    if (this.subscriptions.size > 0) state.subscriptions = [...this.subscriptions];
    return state;
  }

  /**
   * Resumes an initialized session from saved state, as if initialize had run (stateless
   * HTTP requests, or a session picked up by another replica).
   */
  restore(state: SessionState): void {
    this.protocolVersion = isSupportedVersion(state.protocolVersion) ? state.protocolVersion : LATEST_SESSION_VERSION;
    this.features = featuresOf(this.protocolVersion);
    this.clientCapabilities = state.clientCapabilities ?? {};
    this.clientInfo = state.clientInfo;
    this.logLevelIndex = Math.max(0, LOGGING_LEVELS.indexOf(state.logLevel as LoggingLevel));
    this.subscriptions.clear();
    for (const uri of state.subscriptions ?? []) this.subscriptions.add(uri);
    this.initialized = true;
    this.ready = true;
    this.capabilitiesCache = this.server.capabilities();
  }

  /** @internal */
  initialize(p: Record<string, unknown>): InitializeResult {
    if (this.initialized) throw new McpError(ErrorCode.InvalidRequest, "Invalid Request: the session is already initialized");
    const requested = p.protocolVersion;
    if (typeof requested !== "string") throw invalidParams("initialize needs a string 'protocolVersion'");
    if (p.capabilities !== undefined && (typeof p.capabilities !== "object" || p.capabilities === null)) {
      throw invalidParams("initialize: 'capabilities' must be an object");
    }
    // Kept for the session's life (and in its stored record): a client cannot make it huge.
    const kept = JSON.stringify(p.capabilities ?? {}).length + JSON.stringify(p.clientInfo ?? {}).length;
    if (kept > MAX_CLIENT_STATE_BYTES) {
      throw invalidParams(`initialize: 'capabilities' and 'clientInfo' take ${kept} bytes; at most ${MAX_CLIENT_STATE_BYTES} are kept per session`);
    }
    // Echo a version we speak, else offer our latest and let the client decide.
    this.protocolVersion = isSupportedVersion(requested) ? requested : LATEST_SESSION_VERSION;
    this.features = featuresOf(this.protocolVersion);
    this.clientCapabilities = (p.capabilities as ClientCapabilities) ?? {};
    this.clientInfo = p.clientInfo as Implementation | undefined;
    this.initialized = true;
    this.capabilitiesCache = this.server.capabilities();
    const result: InitializeResult = {
      protocolVersion: this.protocolVersion,
      capabilities: this.capabilitiesCache,
      serverInfo: this.serverInfo(),
    };
    if (this.server.options.instructions !== undefined) result.instructions = this.server.options.instructions;
    this.onStateChange?.(this);
    return result;
  }

  private serverInfo(): Implementation {
    const { name, version, title, description, websiteUrl, icons } = this.server.info;
    const info: Implementation = { name, version };
    if (title !== undefined && this.features.titles) info.title = title;
    if (description !== undefined && this.features.icons) info.description = description;
    if (websiteUrl !== undefined && this.features.icons) info.websiteUrl = websiteUrl;
    if (icons !== undefined && this.features.icons) info.icons = icons;
    return info;
  }

  /** @internal A list's items, without those an authenticated caller lacks the scopes for (unless configured not to hide). */
  visible<T extends { enabled?: boolean }, V>(registry: Registry<T>, ctx: Context<any>, project: (def: T) => V, scopesOf: (def: T) => string[] | undefined): readonly V[] {
    const auth = ctx.auth;
    if (!hidesFrom(this.server, auth)) return registry.view(this.protocolVersion, project);
    return registry.viewWhere(this.protocolVersion, project, (d) => holds(auth, scopesOf(d)));
  }

  /** @internal One page of a list result. */
  list(p: Record<string, unknown>, key: string, items: readonly unknown[]): Record<string, unknown> {
    const { page, nextCursor } = paginate(items, p.cursor, this.server.pageSize);
    return nextCursor === undefined ? { [key]: page } : { [key]: page, nextCursor };
  }

  /** @internal */
  subscribe(uri: unknown, on: boolean): Record<string, never> {
    if (typeof uri !== "string") throw invalidParams("resources/subscribe needs a string 'uri'");
    if (on) {
      if (this.capabilitiesCache?.resources?.subscribe !== true) {
        throw new McpError(ErrorCode.MethodNotFound, "Method not found: resources/subscribe (no resource is subscribable)");
      }
      if (!canSubscribe(this.server, uri)) throw invalidParams(`Resource is not subscribable: ${uri}`, { uri });
      this.subscriptions.add(uri);
    } else {
      this.subscriptions.delete(uri);
    }
    this.onStateChange?.(this);
    return {};
  }

  isSubscribed(uri: string): boolean {
    return this.subscriptions.has(uri);
  }

  /** @internal */
  setLogLevel(level: unknown): Record<string, never> {
    const i = LOGGING_LEVELS.indexOf(level as LoggingLevel);
    if (i < 0) throw invalidParams(`Invalid log level: ${JSON.stringify(level)}; expected one of ${LOGGING_LEVELS.join(", ")}`);
    this.logLevelIndex = i;
    this.onStateChange?.(this);
    return {};
  }

  /**
   * Sends notifications/message unless the client asked for a higher level; resolves once
   * the transport has room again (see fair-share.ts).
   */
  sendLog(level: LoggingLevel, data: unknown, logger: string | undefined, relatedRequestId?: RequestId): Promise<void> {
    if (LOGGING_LEVELS.indexOf(level) < this.logLevelIndex || !this.initialized) return Promise.resolve();
    const params: Record<string, unknown> = { level, data };
    if (logger !== undefined) params.logger = logger;
    return fairly(this.peer.notify("notifications/message", params, { relatedRequestId }));
  }

  /** @internal */
  sendListChanged(kind: "tools" | "resources" | "prompts"): void {
    if (!this.initialized || this.capabilitiesCache?.[kind] === undefined) return;
    void this.peer.notify(`notifications/${kind}/list_changed`);
  }

  /** @internal */
  readResource(uri: string, ctx: Context<any>): Promise<ReadResourceResult> {
    return readResource(this.server, uri, ctx);
  }

  /** Closes this session's connection after in-flight requests finish. */
  async close(): Promise<void> {
    await this.peer.close();
  }
}
