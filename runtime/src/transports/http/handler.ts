import { ErrorCode, type RequestId } from "../../protocol/jsonrpc.js";
import { DEFAULT_NEGOTIATED_VERSION, LATEST_SESSION_VERSION, featuresOf, isSupportedVersion, SESSION_PROTOCOL_VERSIONS } from "../../protocol/versions.js";
import type { McpServer } from "../../server/server.js";
import type { ServerSession } from "../../server/session.js";
import type { AuthInfo, MessageExtra } from "../../protocol/transport.js";
import { ClusterRouting, type ClusterBus } from "./cluster.js";
import { MemoryEventStore, type EventStore, type MemoryEventStoreOptions } from "./event-store.js";
import { accepts, acceptsJsonAndSse, checkHostAndOrigin, corsHeaders, isJsonContentType, preflightHeaders, type GuardOptions } from "./guards.js";
import { OVER_BUDGET, TOO_LARGE, fromWebRequest, type IncomingHttp } from "./incoming.js";
import { LegacySseEndpoint, legacyPaths, type LegacyAuth } from "./legacy-sse.js";
import { emptyReply, httpError, toWebResponse, withHeaders, isHttpReply, fromWebResponse, type HttpReply, type HeaderMap } from "./responses.js";
import { ModernHttp, isModernNonPost, isModernPost } from "./modern-http.js";
import { MemorySessionStore, type SessionRecord, type SessionStore } from "./session-store.js";
import { SessionTransport, type Classified } from "./session-transport.js";
import { StatelessPool } from "./stateless-pool.js";

/**
 * What guards an endpoint when callers must authenticate (OAuth protected resource, token
 * and scope checks). The auth layer implements it; the endpoint only calls it.
 */
export interface HttpGate {
  /** Whether a path is the gate's own (its metadata documents). */
  serves(path: string): boolean;
  metadataResponse(req: IncomingHttp): HttpReply;
  /** The caller's identity, or the refusal (401/403) to send. */
  authenticate(req: IncomingHttp): Promise<AuthInfo | HttpReply>;
  /** A refusal when the body names an item whose scopes the caller lacks. */
  checkItems(body: unknown, auth: AuthInfo, req: IncomingHttp): HttpReply | undefined;
}

export interface HttpEndpointOptions extends GuardOptions {
  /** The endpoint's path (default `/mcp`). Other paths get 404, so handlers can be mounted side by side. */
  path?: string;
  /** true (default): sessions with `Mcp-Session-Id`; false: stateless, a fresh session per request. */
  sessions?: boolean;
  /** Answer POSTs with one JSON body instead of an SSE stream (default false). */
  json?: boolean;
  /** Largest request body in bytes (default 4 MiB); larger gets 413. */
  maxBodyBytes?: number;
  /**
   * Bytes of request bodies being read at once, across all requests (default 64 MiB):
   * a POST that would pass it gets 503 with Retry-After. A body reserves its
   * Content-Length, or `maxBodyBytes` when it declares none.
   */
  maxBufferedBodyBytes?: number;
  /** A session idle this long is closed (default 30 minutes). */
  sessionTtlMs?: number;
  /** Most live sessions; the least recently active idle one is closed for a new one (default 10,000). */
  maxSessions?: number;
  /** Keeps SSE events for clients that reconnect (default: a MemoryEventStore, bounded in bytes); false turns resumption off. */
  eventStore?: EventStore | false;
  /** Limits of the default event store (bytes and events per stream, per session, in all). */
  eventStoreLimits?: MemoryEventStoreOptions;
  /**
   * Unread bytes on one SSE stream beyond which it is congested: `ctx.log`,
   * `ctx.progress` and notifications wait until the client reads (default 1 MiB).
   */
  maxBufferedBytes?: number;
  /**
   * Unread bytes on one SSE stream beyond which the client is cut off (it resumes with
   * `Last-Event-ID`); only with an event store, so nothing is lost (default 16 MiB).
   */
  maxUnreadBytes?: number;
  /** Persists session state so another process can resume a session (default: in memory). */
  sessionStore?: SessionStore;
  /**
   * Several nodes serving the same sessions through shared stores, with no sticky sessions:
   * the bus carries between them what stores cannot (see cluster.ts and docs/deploy.md).
   */
  cluster?: ClusterBus;
  /** `retry:` advice sent with each stream's priming event, in ms (default 1000). */
  retryMs?: number;
  /** Interval of SSE keep-alive comments, in ms (default 25,000; 0 turns them off). */
  keepAliveMs?: number;
  /** Also serve the deprecated HTTP+SSE transport (GET /sse, POST /messages). */
  legacySse?: boolean | { ssePath?: string; messagesPath?: string };
  /**
   * Authenticates each request before anything else: return the caller's identity
   * (seen by handlers as `ctx.auth`), or a Response (such as a 401) to refuse it.
   */
  authenticate?: (request: IncomingHttp) => AuthInfo | Response | undefined | Promise<AuthInfo | Response | undefined>;
  /** @internal Built by `McpHttpHandler` from the `auth` option (see entry/http-handler.ts). */
  gate?: HttpGate;
  onerror?: (error: Error) => void;
}

interface LiveSession {
  transport: SessionTransport;
  /** Who opened it (with auth): other callers cannot use it. */
  owner?: string;
  session: ServerSession;
  record: SessionRecord;
  lastActive: number;
  /** When it was last used, as a count of uses across sessions (orders eviction; ms can tie). */
  lastUse: number;
}

/** Where the endpoint answers unless told otherwise. */
export const DEFAULT_ENDPOINT_PATH = "/mcp";

const DEFAULTS = {
  path: DEFAULT_ENDPOINT_PATH,
  maxBodyBytes: 4 * 1024 * 1024,
  maxBufferedBodyBytes: 64 * 1024 * 1024,
  sessionTtlMs: 30 * 60_000,
  maxSessions: 10_000,
  retryMs: 1000,
  keepAliveMs: 25_000,
  maxBufferedBytes: 1024 * 1024,
  maxUnreadBytes: 16 * 1024 * 1024,
};

/**
 * Streamable HTTP for one McpServer, written against Web `Request`/`Response` so the
 * same code serves node:http, Express, Hono, Bun, Deno and Cloudflare Workers. Authors
 * use `McpHttpHandler`, which adds the `auth` option on top.
 */
export class HttpEndpoint {
  readonly path: string;
  private readonly live = new Map<string, LiveSession>();
  /** Sessions answering stateless POSTs. */
  private readonly stateless: StatelessPool;
  private readonly eventStore?: EventStore;
  private readonly sessionStore: SessionStore;
  private readonly legacy?: LegacySseEndpoint;
  /** Token checks and metadata, when auth is configured. */
  readonly gate?: HttpGate;
  private readonly onerror: (error: Error) => void;
  private sweeper?: ReturnType<typeof setInterval>;
  /** Requests to sessions so far: `lastUse` stamps (see evictOne). */
  private uses = 0;
  /** Bytes reserved by bodies being read now (see maxBufferedBodyBytes). */
  private bodyBytes = 0;
  private closing?: Promise<void>;
  /** 2026-07-28 requests: stateless, one POST each. */
  private readonly modern: ModernHttp;
  /** With `cluster`: routing between nodes. */
  private readonly cluster?: ClusterRouting;

  constructor(
    readonly server: McpServer<any>,
    readonly options: HttpEndpointOptions = {},
  ) {
    this.path = options.path ?? DEFAULTS.path;
    this.onerror = endpointOnError(server, options);
    if (this.stateful) {
      this.eventStore = options.eventStore === false ? undefined : (options.eventStore ?? new MemoryEventStore(options.eventStoreLimits));
      // Records are small: keeping many more than live sessions lets evicted ones resume.
      this.sessionStore = options.sessionStore ?? new MemorySessionStore({ ttlMs: this.ttl, maxRecords: 10 * (options.maxSessions ?? DEFAULTS.maxSessions) });
    } else {
      this.sessionStore = options.sessionStore ?? new MemorySessionStore({ maxRecords: 1 });
    }
    if (options.cluster && this.stateful) this.cluster = this.joinCluster(options.cluster);
    this.gate = options.gate;
    this.stateless = new StatelessPool(server, {
      onerror: this.onerror,
      keepAliveMs: options.keepAliveMs ?? DEFAULTS.keepAliveMs,
      maxBufferedBytes: options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes,
    });
    this.modern = new ModernHttp(server, {
      json: options.json,
      keepAliveMs: options.keepAliveMs ?? DEFAULTS.keepAliveMs,
      maxBufferedBytes: options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes,
      onerror: this.onerror,
    });
    if (options.legacySse) {
      const gate = this.gate;
      // With auth, a legacy session is bound to its opener and every POST gets the per-item scope check.
      const legacyAuth: LegacyAuth | undefined = this.bindsSessions
        ? { ownerOf, checkItems: (body, auth, req) => (gate && auth ? gate.checkItems(body, auth, req) : undefined) }
        : undefined;
      const limits = { maxBufferedBytes: options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes, maxUnreadBytes: options.maxUnreadBytes ?? DEFAULTS.maxUnreadBytes };
      this.legacy = new LegacySseEndpoint(server, legacyPaths(this.path, options.legacySse), this.onerror, options.keepAliveMs ?? DEFAULTS.keepAliveMs, limits, this.readBody, legacyAuth);
    }
  }

  private joinCluster(bus: ClusterBus): ClusterRouting {
    return new ClusterRouting(bus, {
      server: this.server,
      eventStore: this.eventStore,
      sessionStore: this.sessionStore,
      ttlMs: this.ttl,
      local: (id) => this.live.get(id),
      drop: async (id) => {
        const live = this.live.get(id);
        if (!live) return;
        this.live.delete(id);
        await live.session.close();
      },
      onerror: this.onerror,
    });
  }

  /**
   * Reads a JSON body (Streamable HTTP and legacy `/messages`): at most `limit` bytes, within the
   * server-wide budget of bodies being read at once. Bodies count as their bytes arrive, not by
   * what they declare: a client that declares megabytes and trickles them holds only what it
   * sent, so slow bodies cannot use up the budget and lock every other client out.
   */
  readonly readBody = async (req: IncomingHttp, cors: HeaderMap, limit: number): Promise<{ body: unknown } | HttpReply> => {
    if (!isJsonContentType(req.header("content-type"))) {
      return httpError(415, -32000, "Unsupported Media Type: Content-Type must be application/json", cors);
    }
    const budget = this.options.maxBufferedBodyBytes ?? DEFAULTS.maxBufferedBodyBytes;
    const busy = () => httpError(503, -32000, "Service Unavailable: too many request bodies are being read; retry shortly", { ...cors, "retry-after": "1" });
    if (this.bodyBytes >= budget) return busy();
    let received = 0;
    let text: string | typeof TOO_LARGE | typeof OVER_BUDGET;
    try {
      text = await req.text(limit, (n) => {
        received += n;
        this.bodyBytes += n;
        return this.bodyBytes <= budget;
      });
    } catch {
      // The client hung up mid-body: nobody is left to read an answer.
      return httpError(400, -32000, "Bad Request: the body could not be read", cors);
    } finally {
      this.bodyBytes -= received;
    }
    if (text === OVER_BUDGET) return busy();
    if (text === TOO_LARGE) return httpError(413, -32000, `Payload Too Large: the body exceeds ${limit} bytes`, cors);
    try {
      return { body: JSON.parse(text) };
    } catch {
      return httpError(400, ErrorCode.ParseError, "Parse error: the body is not valid JSON", cors);
    }
  };

  /** Sessions belong to whoever opened them when callers are identified (auth, or `authenticate`). */
  private get bindsSessions(): boolean {
    return this.gate !== undefined || this.options.authenticate !== undefined;
  }

  private get stateful(): boolean {
    return this.options.sessions !== false;
  }
  private get ttl(): number {
    return this.options.sessionTtlMs ?? DEFAULTS.sessionTtlMs;
  }

  /** The fetch-style entry point: `export default { fetch: handler.fetch }` on Workers, Bun or Deno. */
  readonly fetch = (request: Request): Promise<Response> => this.handle(fromWebRequest(request));

  /** Whether a request path is served here (the endpoint, the legacy SSE paths, or the auth metadata). */
  serves(path: string): boolean {
    const p = pathOnly(path);
    return p === this.path || this.legacy?.serves(p) === true || this.gate?.serves(p) === true;
  }

  /** Live sessions (Streamable HTTP and legacy SSE). */
  get sessionCount(): number {
    return this.live.size + (this.legacy?.size ?? 0);
  }

  /** Answers a request with a Web `Response` (fetch-style servers and middleware). */
  async handle(req: IncomingHttp): Promise<Response> {
    return toWebResponse(await this.serve(req));
  }

  /**
   * Answers a request with plain data (see `HttpReply`): the node adapter writes it to the
   * socket as it is, with no Web `Response` in between.
   */
  async serve(req: IncomingHttp): Promise<HttpReply> {
    const path = pathOnly(req.path);
    if (this.gate?.serves(path)) {
      // The metadata names this server (its `resource` may come from the Host header):
      // the same DNS-rebinding guard as the endpoint, so a foreign Host is never echoed.
      const refused = checkHostAndOrigin(req, this.options);
      return refused ? httpError(403, -32000, refused) : this.gate.metadataResponse(req);
    }
    if (path !== this.path && !this.legacy?.serves(path)) return httpError(404, -32000, `Not Found: ${path}`);
    const cors = corsHeaders(req, this.options) ?? {};
    if (req.method === "OPTIONS") {
      const preflight = preflightHeaders(req, this.options);
      return preflight ? emptyReply(204, preflight) : methodNotAllowed(cors);
    }
    const forbidden = checkHostAndOrigin(req, this.options);
    if (forbidden) return httpError(403, -32000, forbidden, cors);
    if (this.closing) return httpError(503, -32000, "Service Unavailable: the server is shutting down", { ...cors, "retry-after": "5" });
    let authInfo: AuthInfo | undefined;
    if (this.gate) {
      const outcome = await this.gate.authenticate(req);
      if (isHttpReply(outcome)) return withHeaders(outcome, cors);
      authInfo = outcome;
    } else if (this.options.authenticate) {
      const outcome = await this.options.authenticate(req);
      if (outcome instanceof Response) return withHeaders(await fromWebResponse(outcome), cors);
      authInfo = outcome;
    }
    const extra = messageExtra(req, authInfo);
    try {
      if (path !== this.path) return await this.legacy!.handle(req, path, extra, cors, this.options.maxBodyBytes ?? DEFAULTS.maxBodyBytes);
      switch (req.method) {
        case "POST":
          return await this.post(req, extra, cors);
        case "GET":
          return await this.get(req, cors, extra);
        case "DELETE":
          return await this.delete(req, cors, extra);
        default:
          return methodNotAllowed(cors);
      }
    } catch (error) {
      this.onerror(error as Error);
      return httpError(500, ErrorCode.InternalError, "Internal error", cors);
    }
  }

  private async post(req: IncomingHttp, extra: MessageExtra, cors: HeaderMap): Promise<HttpReply> {
    const accept = req.header("accept");
    if (!acceptsJsonAndSse(accept)) {
      return httpError(406, -32000, "Not Acceptable: the client must accept both application/json and text/event-stream", cors);
    }
    let body = req.parsedBody;
    if (body === undefined) {
      const read = await this.readBody(req, cors, this.options.maxBodyBytes ?? DEFAULTS.maxBodyBytes);
      if (isHttpReply(read)) return read;
      body = read.body;
    }
    const classified = classify(body);
    if (typeof classified === "string") return httpError(400, ErrorCode.InvalidRequest, `Invalid Request: ${classified}`, cors);
    const init = isInitialize(body);
    if (init && classified.batch) return httpError(400, ErrorCode.InvalidRequest, "Invalid Request: initialize must not be part of a batch", cors);
    if (this.gate && extra.authInfo) {
      const denied = this.gate.checkItems(body, extra.authInfo, req);
      if (denied) return withHeaders(denied, cors);
    }
    // The 2026-07-28 era is chosen per request, whatever this endpoint's session mode.
    if (isModernPost(req, body)) return this.modern.post(req, body, extra, cors);
    const json = this.options.json === true;

    if (!this.stateful) return this.postStateless(req, body, classified, extra, cors, init);

    if (init) {
      if (req.header("mcp-session-id") !== undefined && this.live.has(req.header("mcp-session-id")!)) {
        return httpError(400, ErrorCode.InvalidRequest, "Invalid Request: this session is already initialized", cors);
      }
      const live = await this.createSession();
      if (!live) return httpError(503, -32000, "Service Unavailable: too many sessions", { ...cors, "retry-after": "5" });
      if (this.bindsSessions) live.record.owner = live.owner = ownerOf(extra.authInfo);
      const version = requestedVersion(body);
      return live.transport.post(body, classified, extra, { json, protocolVersion: version }, { ...cors, "mcp-session-id": live.record.id });
    }
    const found = await this.findSession(req, cors, extra);
    if (isHttpReply(found)) return found;
    const version = this.versionHeader(req, cors);
    if (isHttpReply(version)) return version;
    if (classified.batch && !found.session.features.batches) {
      return httpError(400, ErrorCode.InvalidRequest, `Invalid Request: JSON-RPC batches are not supported in ${found.session.protocolVersion}`, cors);
    }
    if (this.cluster && classified.requestIds.length === 0) {
      // Answers to another node's requests, and cancellations, go on to the other nodes.
      body = this.cluster.route(found.record.id, body);
      if (body === undefined) return emptyReply(202, cors);
    }
    return found.transport.post(body, classified, extra, { json, protocolVersion: found.session.protocolVersion }, cors);
  }

  /**
   * Stateless: a session answers this POST and is then free for the next one (see
   * StatelessPool); `initialize` gets one of its own.
   */
  private async postStateless(req: IncomingHttp, body: unknown, classified: Classified, extra: MessageExtra, cors: HeaderMap, init: boolean): Promise<HttpReply> {
    let version = DEFAULT_NEGOTIATED_VERSION as string;
    if (!init) {
      const v = this.versionHeader(req, cors);
      if (isHttpReply(v)) return v;
      version = v;
      if (classified.batch && !featuresOf(version).batches) {
        return httpError(400, ErrorCode.InvalidRequest, `Invalid Request: JSON-RPC batches are not supported in ${version}`, cors);
      }
    }
    const acquired = init ? this.stateless.fresh() : this.stateless.acquire(version);
    const entry = acquired instanceof Promise ? await acquired : acquired;
    const release = () => this.stateless.release(entry);
    entry.transport.onDrained(release);
    const reply = entry.transport.post(body, classified, extra, { json: this.options.json === true, protocolVersion: init ? requestedVersion(body) : version }, cors);
    if (classified.requestIds.length === 0) release();
    return reply;
  }

  private async get(req: IncomingHttp, cors: HeaderMap, extra: MessageExtra): Promise<HttpReply> {
    // A 2026-07-28 client (it names that version) has POST only: it listens with subscriptions/listen.
    if (!this.stateful || isModernNonPost(req)) return methodNotAllowed(cors, "POST");
    if (!accepts(req.header("accept"), "text/event-stream")) {
      return httpError(406, -32000, "Not Acceptable: the client must accept text/event-stream", cors);
    }
    const found = await this.findSession(req, cors, extra);
    if (isHttpReply(found)) return found;
    const version = this.versionHeader(req, cors);
    if (isHttpReply(version)) return version;
    const lastEventId = req.header("last-event-id");
    if (!lastEventId && this.cluster && !(await this.cluster.mayOpenStandalone(found.record.id))) {
      return httpError(409, -32000, "Conflict: this session already has a GET stream open", cors);
    }
    return lastEventId ? found.transport.resume(lastEventId, cors) : found.transport.openStandalone(found.session.protocolVersion, cors);
  }

  private async delete(req: IncomingHttp, cors: HeaderMap, extra: MessageExtra): Promise<HttpReply> {
    if (!this.stateful || isModernNonPost(req)) return methodNotAllowed(cors, "POST");
    const found = await this.findSession(req, cors, extra);
    if (isHttpReply(found)) return found;
    const version = this.versionHeader(req, cors);
    if (isHttpReply(version)) return version;
    await this.endSession(found, true);
    this.cluster?.ended(found.record.id);
    return emptyReply(200, cors);
  }

  /** The session a request names: live here, or resumed from the store. */
  private async findSession(req: IncomingHttp, cors: HeaderMap, extra: MessageExtra): Promise<LiveSession | HttpReply> {
    const id = req.header("mcp-session-id");
    if (id === undefined) return httpError(400, -32000, "Bad Request: Mcp-Session-Id header is required", cors);
    const now = Date.now();
    // With auth (or `authenticate`), a session belongs to whoever opened it: to anyone else it does not exist.
    const foreign = (r: SessionRecord) => this.bindsSessions && r.owner !== undefined && r.owner !== ownerOf(extra.authInfo);
    let live = this.live.get(id);
    if (live && foreign(live.record)) return httpError(404, -32001, "Session not found", cors);
    if (!live) {
      const record = await this.sessionStore.get(id);
      if (!record || foreign(record)) return httpError(404, -32001, "Session not found", cors);
      live = await this.resumeSession(record);
      if (!live) return httpError(503, -32000, "Service Unavailable: too many sessions", { ...cors, "retry-after": "5" });
    }
    live.lastActive = now;
    live.lastUse = ++this.uses;
    // Refresh the stored record now and then, not on every request.
    if (now - live.record.lastActiveAt > Math.min(this.ttl / 4, 60_000)) {
      live.record.lastActiveAt = now;
      this.persist(live.record);
    }
    return live;
  }

  private versionHeader(req: IncomingHttp, cors: HeaderMap): string | HttpReply {
    const v = req.header("mcp-protocol-version");
    if (v === undefined) return DEFAULT_NEGOTIATED_VERSION;
    if (!isSupportedVersion(v)) {
      return httpError(400, -32000, `Bad Request: unsupported MCP-Protocol-Version '${v}' (supported: ${SESSION_PROTOCOL_VERSIONS.join(", ")})`, cors);
    }
    return v;
  }

  private async createSession(): Promise<LiveSession | undefined> {
    const id = newSessionId();
    const now = Date.now();
    const record: SessionRecord = { id, state: { protocolVersion: LATEST_SESSION_VERSION, clientCapabilities: {} }, createdAt: now, lastActiveAt: now };
    return this.open(record, false);
  }

  private resumeSession(record: SessionRecord): Promise<LiveSession | undefined> {
    return this.open(record, true);
  }

  private async open(record: SessionRecord, resume: boolean): Promise<LiveSession | undefined> {
    if (this.live.size >= (this.options.maxSessions ?? DEFAULTS.maxSessions) && !(await this.evictOne())) return undefined;
    this.startSweeper();
    const transport = new SessionTransport({
      sessionId: record.id,
      eventStore: this.eventStore,
      retryMs: this.options.retryMs ?? DEFAULTS.retryMs,
      keepAliveMs: this.options.keepAliveMs ?? DEFAULTS.keepAliveMs,
      maxBufferedBytes: this.options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes,
      maxUnreadBytes: this.options.maxUnreadBytes ?? DEFAULTS.maxUnreadBytes,
      nodeId: this.cluster?.nodeId,
      routing: this.cluster,
      onerror: this.onerror,
    });
    const session = await this.server.connect(transport);
    if (this.cluster) session.peer.requestIdPrefix = `${this.cluster.nodeId}~`;
    if (resume) session.restore(record.state);
    const live: LiveSession = { transport, session, record, lastActive: Date.now(), lastUse: ++this.uses };
    session.onStateChange = () => {
      record.state = session.state();
      this.persist(record);
      this.cluster?.stateChanged(record.id, record.state);
    };
    transport.onClosed(() => {
      if (this.live.get(record.id) === live) this.live.delete(record.id);
    });
    // A session whose initialize failed is of no use to anyone: end it once answered.
    if (!resume) transport.onDrained(() => void (!session.initialized && this.endSession(live, true)));
    this.live.set(record.id, live);
    return live;
  }

  private persist(record: SessionRecord): void {
    try {
      const r = this.sessionStore.set({ ...record });
      if (r instanceof Promise) r.catch(this.onerror);
    } catch (error) {
      this.onerror(error as Error);
    }
  }

  /**
   * Closes the least recently active idle session to make room; false if all are busy.
   * A scan, only when the cap is reached: keeping the Map in activity order instead cost
   * a delete and an insert on every request.
   */
  private async evictOne(): Promise<boolean> {
    let oldest: LiveSession | undefined;
    for (const live of this.live.values()) {
      if (live.transport.busy) continue;
      if (!oldest || live.lastUse < oldest.lastUse) oldest = live;
    }
    if (!oldest) return false;
    // Its record stays in the store: the client can still resume it later.
    await this.endSession(oldest, false);
    return true;
  }

  private async endSession(live: LiveSession, forget: boolean): Promise<void> {
    this.live.delete(live.record.id);
    if (forget) {
      await this.sessionStore.delete(live.record.id);
      // With several nodes, closing the session's transport leaves its events to the others.
      if (this.cluster) await this.eventStore?.dropSession(live.record.id);
    } else if (live.session.initialized) {
      // Saved as it leaves memory, so the client can resume it: a bounded store may have
      // dropped its record meanwhile (records are otherwise written only on state changes).
      live.record.lastActiveAt = live.lastActive;
      this.persist(live.record);
    }
    await live.session.close();
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => void this.sweep(), Math.max(1000, Math.min(this.ttl / 2, 60_000)));
    (this.sweeper as { unref?: () => void }).unref?.();
  }

  /** Closes sessions idle past their TTL (those with an open stream or a call in flight are not idle). */
  async sweep(now = Date.now()): Promise<void> {
    for (const live of [...this.live.values()]) {
      if (now - live.lastActive > this.ttl && !live.transport.busy) await this.endSession(live, false);
    }
    await this.legacy?.sweep();
  }

  /**
   * Graceful shutdown: new requests get 503, requests in flight may finish (up to
   * `timeoutMs`), then every session and stream is closed.
   */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.closing ??= (async () => {
      if (this.sweeper) clearInterval(this.sweeper);
      // 2026-07-28 listen streams end with their result instead of waiting for the timeout.
      this.server.listeners.closeAll();
      const sessions = [...[...this.live.values()].map((l) => l.session), ...this.stateless.sessions(), ...(this.legacy?.sessions() ?? []), ...this.modern.sessions()];
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled(sessions.map((s) => s.peer.drain())),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, options.timeoutMs ?? 10_000))),
      ]);
      clearTimeout(timer);
      await Promise.allSettled(sessions.map((s) => s.close()));
      this.live.clear();
      this.stateless.clear();
      this.cluster?.close();
    })();
    return this.closing;
  }
}

/** Where an endpoint's errors go when nobody answers for them. */
export function endpointOnError(server: McpServer<any>, options: { onerror?: (error: Error) => void }): (error: Error) => void {
  return options.onerror ?? server.options.onerror ?? ((e) => console.error(`[mcp] ${e.stack ?? e.message}`));
}

/**
 * Serves several handlers from one listener, each at its own path: the first whose
 * path matches answers, others get 404.
 */
export interface MountedHandlers {
  fetch(request: Request): Promise<Response>;
  handle(req: IncomingHttp): Promise<Response>;
  serve(req: IncomingHttp): Promise<HttpReply>;
  /** Whether one of the handlers serves this path (middleware passes the others on). */
  serves(path: string): boolean;
  close(options?: { timeoutMs?: number }): Promise<void>;
}

export function mountHandlers(...handlers: HttpEndpoint[]): MountedHandlers {
  const serve = (req: IncomingHttp): Promise<HttpReply> => {
    const h = handlers.find((x) => x.serves(req.path));
    return h ? h.serve(req) : Promise.resolve(httpError(404, -32000, `Not Found: ${pathOnly(req.path)}`));
  };
  const handle = async (req: IncomingHttp) => toWebResponse(await serve(req));
  return {
    serve,
    handle,
    serves: (path) => handlers.some((h) => h.serves(path)),
    fetch: (request: Request) => handle(fromWebRequest(request)),
    close: async (options) => void (await Promise.allSettled(handlers.map((h) => h.close(options)))),
  };
}

function newSessionId(): string {
  // 122 random bits from the platform CSPRNG; visible ASCII as the spec requires.
  return crypto.randomUUID().replaceAll("-", "");
}

function pathOnly(path: string): string {
  const q = path.indexOf("?");
  return q < 0 ? path : path.slice(0, q);
}

/**
 * Who a session belongs to: the token's issuer, subject and client. Another user, or
 * the same user through another client, does not get into it.
 */
function ownerOf(auth: AuthInfo | undefined): string {
  return JSON.stringify([auth?.issuer ?? null, auth?.subject ?? null, auth?.clientId ?? null]);
}

function methodNotAllowed(cors: HeaderMap, allow = "GET, POST, DELETE"): HttpReply {
  return httpError(405, -32000, "Method Not Allowed", { ...cors, allow });
}

/** Headers are turned into an object only if a handler asks for them. */
function messageExtra(req: IncomingHttp, authInfo: AuthInfo | undefined): MessageExtra {
  return new HttpMessageExtra(req, authInfo);
}

/** A class rather than an object literal with a getter: one shape for every request. */
class HttpMessageExtra implements MessageExtra {
  private cached?: MessageExtra["headers"];
  constructor(
    private readonly req: IncomingHttp,
    readonly authInfo: AuthInfo | undefined,
  ) {}
  get headers(): MessageExtra["headers"] {
    return (this.cached ??= this.req.headers());
  }
}

function isInitialize(body: unknown): boolean {
  // Anywhere in a batch too, so such a batch is refused (initialize must not be batched).
  return (Array.isArray(body) ? body : [body]).some((m) => (m as { method?: unknown } | null)?.method === "initialize");
}

function requestedVersion(body: unknown): string {
  const v = (body as { params?: { protocolVersion?: unknown } }).params?.protocolVersion;
  return isSupportedVersion(v) ? v : LATEST_SESSION_VERSION;
}

/**
 * Sorts a POST's messages into requests (which need replies), notifications and
 * responses; anything that is none of these is refused before reaching the session.
 */
export function classify(body: unknown): Classified | string {
  const batch = Array.isArray(body);
  const items = batch ? (body as unknown[]) : [body];
  if (items.length === 0) return "an empty batch";
  const requestIds: RequestId[] = [];
  for (const item of items) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return "expected a JSON-RPC message object";
    const m = item as Record<string, unknown>;
    if (m.jsonrpc !== "2.0") return 'jsonrpc must be "2.0"';
    const id = m.id;
    const idOk = typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
    if (typeof m.method === "string") {
      if (id === undefined) continue;
      if (!idOk) return "id must be a string or a number";
      if (requestIds.includes(id as RequestId)) return "duplicate request id in the batch";
      requestIds.push(id as RequestId);
    } else if (!(idOk && ("result" in m || "error" in m))) {
      return "not a request, notification or response";
    }
  }
  return { requestIds, batch };
}
