import { ErrorCode, McpError, type JsonRpcMessage, type RequestId } from "../protocol/jsonrpc.js";
import { SseParser, pumpSse, type SseEvent } from "./sse-parser.js";
import type { Transport, TransportSink } from "../protocol/transport.js";
import type { AuthProvider } from "../client/oauth/provider.js";
import { paramHeaders, type McpHeaderDeclaration } from "../protocol/mcp-headers.js";
import { META } from "../protocol/types.js";
import { isModernVersion } from "../protocol/versions.js";

/*
 * Client side of the Streamable HTTP transport (revisions 2025-03-26 to 2025-11-25):
 * every message is a POST; replies come back as JSON or as an SSE stream; a GET
 * stream carries what the server says on its own. Only web-standard APIs (fetch,
 * Headers, AbortController, TextDecoder, ReadableStream), so it runs on edge runtimes.
 */

/** Extra request headers (say, Authorization), or a function producing them per request. */
export type HeadersOption = Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);

export interface ReconnectOptions {
  /** First delay when the server sent no `retry:` (ms, default 1000). */
  initialDelayMs: number;
  /** Cap on the backoff (ms, default 30 000); a larger server `retry:` is still honoured. */
  maxDelayMs: number;
  /** Each failed attempt multiplies the delay by this (default 1.5). */
  growFactor: number;
  /** Attempts in a row without receiving anything before giving up (default 3). */
  maxRetries: number;
}

export interface StreamableHttpClientOptions {
  headers?: HeadersOption;
  /** A fetch to use instead of the global one (proxies, tests, custom agents). */
  fetch?: typeof fetch;
  reconnect?: Partial<ReconnectOptions>;
  /** Resume a session that already exists (no initialize is sent by this transport then). */
  sessionId?: string;
  /** Open the GET stream for server-initiated messages after initialization (default true). */
  openStandaloneStream?: boolean;
  /** Send DELETE for the session on close() (default true). */
  terminateOnClose?: boolean;
  /** Failures with no request to report them on (the GET stream, a notification's POST). */
  onerror?: (error: Error) => void;
  /**
   * Authorization: supplies the `Authorization` header of every request, and when the
   * server refuses a POST with 401 (or 403 with a `WWW-Authenticate` challenge) runs its
   * flow and sends the message again, at most twice (a first authorization, then one
   * step-up). `OAuthClientProvider` implements MCP's OAuth.
   */
  authProvider?: AuthProvider;
}

/** `error.data` of the error a request gets when its HTTP exchange failed. */
export interface HttpErrorData {
  httpStatus?: number;
  /** The response body (truncated). */
  body?: string;
}

const DEFAULT_RECONNECT: ReconnectOptions = { initialDelayMs: 1000, maxDelayMs: 30_000, growFactor: 1.5, maxRetries: 3 };
/** DELETE runs after everything else was aborted; it must not hold close() up for long. */
const DELETE_TIMEOUT_MS = 5000;
const MAX_BODY_IN_ERROR = 4096;
/** Authorization rounds per message: one for a missing or expired token, one for a step-up. */
const MAX_AUTH_ROUNDS = 2;

/** One SSE stream: a POST's reply (which owes responses for `pending`) or the standalone GET. */
interface StreamState {
  pending: Set<RequestId>;
  standalone: boolean;
  lastEventId?: string;
  retry?: number;
  /** Reconnection attempts since the stream last delivered anything. */
  attempts: number;
  /** Aborted by close() or terminateSession(): the stream is over for good. */
  signal: AbortSignal;
}

export class StreamableHttpClientTransport implements Transport {
  private readonly url: URL;
  private readonly fetchFn: typeof fetch;
  private readonly reconnect: ReconnectOptions;
  private sink?: TransportSink;
  private abort = new AbortController();
  private closed = false;
  private _sessionId?: string;
  private _protocolVersion?: string;
  private sentInitialize = false;
  private standaloneStarted = false;
  /** The Authorization value each response's request carried (for the auth provider). */
  private readonly sentAuth = new WeakMap<Response, string>();
  /** 2026-07-28: `x-mcp-header` declarations by tool, for the Mcp-Param-* headers of tools/call. */
  private toolHeaders = new Map<string, McpHeaderDeclaration[]>();
  /** 2026-07-28 requests in flight: closing one's stream (abort) cancels it. */
  private readonly modernRequests = new Map<RequestId, AbortController>();
  /** Whether 2026-07-28 requests were sent: without an initialize too, no session and no GET stream. */
  private modern = false;
  /** Time spent in the auth provider (see authorizationMs): finished flows, and since when flows run. */
  private authDoneMs = 0;
  private authRunning = 0;
  private authSince = 0;

  constructor(
    url: string | URL,
    private readonly options: StreamableHttpClientOptions = {},
  ) {
    this.url = new URL(url);
    // Called through a wrapper: some runtimes reject fetch called with another `this`.
    const f = options.fetch;
    this.fetchFn = f ? (input, init) => f(input, init) : (input, init) => fetch(input, init);
    this.reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect };
    this._sessionId = options.sessionId;
  }

  get sessionId(): string | undefined {
    return this._sessionId;
  }

  get protocolVersion(): string | undefined {
    return this._protocolVersion;
  }

  start(sink: TransportSink): void {
    this.sink = sink;
  }

  setProtocolVersion(version: string): void {
    this._protocolVersion = version;
    // Resuming an existing session: there will be no `initialized` to wait for.
    if (!this.sentInitialize) this.openStandalone();
  }

  /** 2026-07-28: the `x-mcp-header` declarations of the listed tools (McpClient sets them). */
  setToolHeaders(headers: Map<string, McpHeaderDeclaration[]>): void {
    this.toolHeaders = headers;
  }

  /**
   * Milliseconds this transport has spent in its auth provider (signing in, refreshing or
   * stepping up a token), the flow running now included: time no server kept a request
   * waiting. McpClient leaves it out of the `server/discover` probe's timeout.
   */
  authorizationMs(): number {
    return this.authDoneMs + (this.authRunning > 0 ? Date.now() - this.authSince : 0);
  }

  /** Runs one auth provider call, counting its time (overlapping calls count once). */
  private async authorizing<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.authRunning++ === 0) this.authSince = Date.now();
    try {
      return await fn();
    } finally {
      if (--this.authRunning === 0) this.authDoneMs += Date.now() - this.authSince;
    }
  }

  async send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    if (this.closed) throw new McpError(ErrorCode.ConnectionClosed, "Transport closed");
    if (!Array.isArray(message)) {
      const version = modernVersionOf(message);
      if (version) return this.sendModern(message, version);
      if ("method" in message && message.method === "notifications/cancelled") {
        // 2026-07-28 over HTTP: closing the request's stream is the cancellation.
        const id = (message.params as { requestId?: RequestId } | undefined)?.requestId;
        const controller = id === undefined ? undefined : this.modernRequests.get(id);
        if (controller) {
          this.modernRequests.delete(id!);
          controller.abort(new McpError(ErrorCode.ConnectionClosed, "Request cancelled"));
          return;
        }
        // Only 2026-07-28 requests so far: there is no session to tell. (After an
        // initialize, say when "auto" fell back to it, session requests are cancelled
        // the session-era way, with this notification.)
        if (this.modern && !this.sentInitialize) return;
      }
    }
    const messages = Array.isArray(message) ? message : [message];
    const ids = requestIdsOf(messages);
    const isInit = messages.some((m) => "method" in m && m.method === "initialize");
    if (isInit) this.sentInitialize = true;
    const sentSession = isInit ? undefined : this._sessionId;
    const signal = this.abort.signal;
    const post = () => this.fetchWith("POST", signal, { accept: "application/json, text/event-stream", "content-type": "application/json", ...this.sessionHeaders(isInit) }, JSON.stringify(message));
    let response: Response;
    let refusedBody: string | undefined;
    try {
      ({ response, refusedBody } = await this.postAuthorized(post, signal));
    } catch (error) {
      if (this.closed) return; // the engine fails whatever is pending
      if (error instanceof AuthorizationFailed) return this.fail(ids, error.message, error.data);
      return this.fail(ids, `POST ${this.url} failed: ${errorText(signal.aborted ? signal.reason : error)}`, {});
    }
    const sid = response.headers.get("mcp-session-id");
    if (sid && (isInit || !this._sessionId)) this._sessionId = sid;

    if (!response.ok) {
      const body = refusedBody ?? (await response.text().catch(() => ""));
      let detail = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""} from POST ${this.url}`;
      if (response.status === 404 && sentSession) detail += `: session ${sentSession} has expired or is unknown to the server; start a new session with initialize`;
      else if (body) detail += `: ${body.slice(0, 500)}`;
      return this.fail(ids, detail, { httpStatus: response.status, body: body.slice(0, MAX_BODY_IN_ERROR) }, body);
    }
    if (ids.length === 0) {
      await response.body?.cancel().catch(() => {});
      if (messages.some((m) => "method" in m && m.method === "notifications/initialized")) this.openStandalone();
      return;
    }
    const type = mediaType(response.headers.get("content-type"));
    const state: StreamState = { pending: new Set(ids), standalone: false, attempts: 0, signal };
    if (response.status !== 202 && type === "text/event-stream") {
      // Not awaited: the stream may run for as long as the request does.
      void this.runStream(state, response);
      return;
    }
    if (response.status !== 202 && type === "application/json") {
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        if (this.closed) return;
        return this.failPending(state, `reading the reply to POST ${this.url} failed: ${errorText(error)}`, { httpStatus: response.status });
      }
      this.deliver(text, state);
      this.failPending(state, `the server's JSON reply (HTTP ${response.status}) did not answer this request`, { httpStatus: response.status });
      return;
    }
    await response.body?.cancel().catch(() => {});
    const why = response.status === 202 ? "202 Accepted with no reply" : `unexpected Content-Type ${JSON.stringify(type)}`;
    this.fail(ids, `the server answered POST ${this.url} with ${why}`, { httpStatus: response.status });
  }

  /**
   * POSTs; while the answer is an authorization challenge the provider can meet, meets it
   * and posts again (bounded by MAX_AUTH_ROUNDS). Resolves with the last response and, for a
   * refusal the provider could not get past, its body (already read). A failed flow throws
   * `AuthorizationFailed`; a failed fetch throws as it came.
   */
  private async postAuthorized(post: () => Promise<Response>, signal: AbortSignal): Promise<{ response: Response; refusedBody?: string }> {
    let response = await post();
    let refusedBody: string | undefined;
    const provider = this.options.authProvider;
    for (let round = 0; provider && round < MAX_AUTH_ROUNDS && isAuthChallenge(response); round++) {
      refusedBody = await response.text().catch(() => "");
      const refused = response;
      let retry: boolean;
      try {
        retry = await this.authorizing(() =>
          provider.handleChallenge({
            url: this.url,
            status: refused.status,
            wwwAuthenticate: refused.headers.get("www-authenticate"),
            sentAuthorization: this.sentAuth.get(refused),
            signal,
          }),
        );
      } catch (error) {
        throw new AuthorizationFailed(`authorization for ${this.url} failed (after HTTP ${refused.status}): ${errorText(error)}`, {
          httpStatus: refused.status,
          body: refusedBody.slice(0, MAX_BODY_IN_ERROR),
        });
      }
      if (!retry) break;
      response = await post();
      refusedBody = undefined;
    }
    return { response, refusedBody };
  }

  /**
   * One 2026-07-28 message: a stateless POST with the headers the body implies
   * (MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Param-*), no session; the reply is
   * JSON or an SSE stream, and aborting that stream cancels the request.
   */
  private async sendModern(message: JsonRpcMessage, version: string): Promise<void> {
    this.modern = true;
    const m = message as { id?: RequestId; method: string; params?: Record<string, unknown> };
    const headers: Record<string, string> = {
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      "mcp-protocol-version": version,
      "mcp-method": m.method,
    };
    const p = m.params ?? {};
    const name =
      m.method === "resources/read" ? p.uri
      : m.method === "tools/call" || m.method === "prompts/get" ? p.name
      : m.method === "tasks/get" || m.method === "tasks/update" || m.method === "tasks/cancel" ? p.taskId
      : undefined;
    if (typeof name === "string") headers["mcp-name"] = name;
    if (m.method === "tools/call" && typeof p.name === "string") {
      const decls = this.toolHeaders.get(p.name);
      if (decls) Object.assign(headers, paramHeaders(decls, p.arguments ?? {}));
    }
    const ids = m.id === undefined ? [] : [m.id];
    const controller = new AbortController();
    const onClose = () => controller.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener("abort", onClose, { once: true });
    if (m.id !== undefined) this.modernRequests.set(m.id, controller);
    const cleanup = () => {
      this.abort.signal.removeEventListener("abort", onClose);
      if (m.id !== undefined && this.modernRequests.get(m.id) === controller) this.modernRequests.delete(m.id);
    };
    const signal = controller.signal;
    const post = () => this.fetchWith("POST", signal, headers, JSON.stringify(message));
    let response: Response;
    /** The body of a refusal the auth provider could not get past (already read). */
    let refusedBody: string | undefined;
    try {
      ({ response, refusedBody } = await this.postAuthorized(post, signal));
    } catch (error) {
      cleanup();
      if (this.closed || signal.aborted) return;
      if (error instanceof AuthorizationFailed) return this.fail(ids, error.message, error.data);
      return this.fail(ids, `POST ${this.url} failed: ${errorText(error)}`, {});
    }
    try {
      if (ids.length === 0) {
        await response.body?.cancel().catch(() => {});
        if (!response.ok) this.fail(ids, `HTTP ${response.status} from POST ${this.url}`, { httpStatus: response.status });
        return;
      }
      const type = mediaType(response.headers.get("content-type"));
      const state: StreamState = { pending: new Set(ids), standalone: false, attempts: 0, signal };
      if (response.ok && type === "text/event-stream") {
        await this.runStream(state, response);
        return;
      }
      const body = refusedBody ?? (await response.text().catch(() => ""));
      // A JSON-RPC answer for this request is the server's answer, whatever the status
      // (2026-07-28 errors come with 400 or 404 and carry data the caller needs).
      const own = type === "application/json" ? jsonRpcErrorIn(body) : undefined;
      if (response.ok && type === "application/json") {
        this.deliver(body, state);
        this.failPending(state, `the server's JSON reply (HTTP ${response.status}) did not answer this request`, { httpStatus: response.status });
        return;
      }
      if (own && own.id === m.id) {
        this.deliver(body, state);
        return;
      }
      const detail = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""} from POST ${this.url}${body ? `: ${body.slice(0, 500)}` : ""}`;
      this.fail(ids, detail, { httpStatus: response.status, body: body.slice(0, MAX_BODY_IN_ERROR) }, body);
    } finally {
      cleanup();
    }
  }

  /** Ends the session on the server with DELETE (a 405 means the server does not allow that). */
  async terminateSession(): Promise<void> {
    const sid = this._sessionId;
    if (!sid) return;
    // The session's streams end with it; a fresh controller serves a later initialize.
    this.abort.abort(new McpError(ErrorCode.ConnectionClosed, "Session terminated"));
    if (!this.closed) this.abort = new AbortController();
    this.standaloneStarted = false;
    const response = await this.fetchWith("DELETE", AbortSignal.timeout(DELETE_TIMEOUT_MS), this.sessionHeaders(false));
    await response.body?.cancel().catch(() => {});
    if (!response.ok && response.status !== 405) {
      throw new McpError(ErrorCode.ConnectionClosed, `DELETE of session ${sid} failed: HTTP ${response.status}`, { httpStatus: response.status } satisfies HttpErrorData);
    }
    this._sessionId = undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort(new McpError(ErrorCode.ConnectionClosed, "Transport closed"));
    if (this._sessionId && this.options.terminateOnClose !== false) {
      await this.terminateSession().catch((error) => this.report(error));
    }
    this.sink?.closed();
  }

  private sessionHeaders(isInit: boolean): Record<string, string> {
    const h: Record<string, string> = {};
    // initialize starts a new session: neither an old id nor a version belongs on it.
    if (isInit) return h;
    if (this._sessionId) h["mcp-session-id"] = this._sessionId;
    if (this._protocolVersion) h["mcp-protocol-version"] = this._protocolVersion;
    return h;
  }

  private async fetchWith(method: string, signal: AbortSignal, ours: Record<string, string>, body?: string): Promise<Response> {
    const provider = this.options.authProvider;
    // May refresh an expired token first: time spent authorizing.
    const authorization = provider ? await this.authorizing(() => provider.authorizationHeader(this.url)) : undefined;
    const headers = await buildHeaders(this.options.headers, authorization ? { ...ours, authorization } : ours);
    const response = await this.fetchFn(this.url, { method, headers, body, signal });
    if (authorization) this.sentAuth.set(response, authorization);
    return response;
  }

  /** Reports a failed exchange: to each request as its error response, or thrown (the engine's onerror). */
  private fail(ids: RequestId[], message: string, data: HttpErrorData, body?: string): void {
    if (this.closed) return; // the engine has already failed everything pending
    if (ids.length === 0) throw new McpError(ErrorCode.ConnectionClosed, message, data);
    for (const id of ids) this.sink?.message(failureFor(id, message, data, body));
  }

  /** Parses one JSON payload and hands its messages to the engine, noting answered requests. */
  private deliver(text: string, state: StreamState): void {
    if (this.closed) return;
    deliverJson(this.sink, text, (error) => this.report(error), (id) => state.pending.delete(id));
  }

  private onEvent(event: SseEvent, state: StreamState): void {
    state.attempts = 0;
    // Empty data: a priming event (it only carries an id) or a keep-alive.
    if (event.event !== "message" || event.data === "") return;
    this.deliver(event.data, state);
  }

  private openStandalone(): void {
    if (this.standaloneStarted || this.closed || this.options.openStandaloneStream === false) return;
    this.standaloneStarted = true;
    void this.runStream({ pending: new Set(), standalone: true, attempts: 0, signal: this.abort.signal });
  }

  /**
   * Reads one logical stream to its end, reconnecting with GET + Last-Event-ID when it
   * drops early. A POST's stream is done once every response it owes has arrived.
   */
  private async runStream(state: StreamState, first?: Response): Promise<void> {
    let response = first ?? (await this.reopen(state, true));
    while (response) {
      const parser = new SseParser((event) => this.onEvent(event, state)).resume(state.lastEventId ?? "", state.retry);
      const idBefore = state.lastEventId;
      let dropped: unknown;
      try {
        if (response.body) await pumpSse(response.body, parser, state.signal);
      } catch (error) {
        dropped = error;
      }
      // An id-only block counts too: EventSource keeps the id even when no event fires.
      state.lastEventId = parser.lastEventId || undefined;
      state.retry = parser.retry;
      if (state.lastEventId !== idBefore) state.attempts = 0;
      if (state.signal.aborted) {
        if (!this.closed) this.failPending(state, "the session was terminated before the response arrived");
        return;
      }
      if (!state.standalone && state.pending.size === 0) return;
      if (!state.standalone && state.lastEventId === undefined) {
        const how = dropped ? `dropped (${errorText(dropped)})` : "ended";
        this.failPending(state, `the SSE stream ${how} before the response arrived, and it cannot be resumed (the server sent no event id)`);
        return;
      }
      response = await this.reopen(state, false);
    }
  }

  /** GETs the stream again (after a delay unless `immediate`); undefined once it gives up. */
  private async reopen(state: StreamState, immediate: boolean): Promise<Response | undefined> {
    let lastError = "the stream ended";
    for (;;) {
      if (!immediate) {
        if (state.attempts >= this.reconnect.maxRetries) {
          this.giveUp(state, `${lastError}; gave up after ${state.attempts} reconnection attempt(s)`);
          return undefined;
        }
        const delay = this.delayFor(state);
        state.attempts++;
        if (!(await sleep(delay, state.signal))) return undefined;
      }
      immediate = false;
      const headers: Record<string, string> = { accept: "text/event-stream", ...this.sessionHeaders(false) };
      if (state.lastEventId !== undefined) headers["last-event-id"] = state.lastEventId;
      try {
        const response = await this.fetchWith("GET", state.signal, headers);
        if (response.ok && mediaType(response.headers.get("content-type")) === "text/event-stream") return response;
        await response.body?.cancel().catch(() => {});
        if (response.status === 405) {
          // The server offers no GET stream (fine for the standalone one) or cannot resume.
          if (!state.standalone) this.giveUp(state, "the server cannot resume streams (GET answered 405)");
          return undefined;
        }
        if (response.status === 404 && this._sessionId) {
          this.giveUp(state, `session ${this._sessionId} has expired or is unknown to the server (GET answered 404)`);
          return undefined;
        }
        lastError = `GET answered HTTP ${response.status}`;
        if (!isTransient(response.status)) {
          // The server refused this GET (400, 403, a 404 without a session…): the same
          // request again would only be refused again.
          this.giveUp(state, lastError);
          return undefined;
        }
      } catch (error) {
        if (state.signal.aborted) return undefined;
        lastError = `GET failed: ${errorText(error)}`;
      }
    }
  }

  /** The server's `retry:` first, growing by `growFactor` for each failed attempt. */
  private delayFor(state: StreamState): number {
    const r = this.reconnect;
    const base = state.retry ?? r.initialDelayMs;
    return Math.min(base * r.growFactor ** state.attempts, Math.max(r.maxDelayMs, base));
  }

  private giveUp(state: StreamState, reason: string): void {
    if (state.standalone) this.report(new Error(`Standalone SSE stream closed: ${reason}`));
    else this.failPending(state, `lost the SSE stream before the response arrived: ${reason}`);
  }

  /** Fails the requests a stream still owes a response (none: nothing to do). */
  private failPending(state: StreamState, message: string, data: HttpErrorData = {}): void {
    if (this.closed) return;
    const ids = [...state.pending];
    state.pending.clear();
    for (const id of ids) this.sink?.message(failureFor(id, message, data));
  }

  private report(error: unknown): void {
    this.options.onerror?.(error instanceof Error ? error : new Error(String(error)));
  }
}

// ---- shared with the legacy SSE transport and the fallback helper ----

/** The user's headers, then ours (ours win, whatever the case of the user's names). */
export async function buildHeaders(option: HeadersOption | undefined, ours: Record<string, string>): Promise<Headers> {
  const headers = new Headers(typeof option === "function" ? await option() : option);
  for (const [name, value] of Object.entries(ours)) headers.set(name, value);
  return headers;
}

/** The 2026-07-28 version a message's `_meta` claims, if it is a request of that era. */
function modernVersionOf(message: JsonRpcMessage): string | undefined {
  if (!("method" in message)) return undefined;
  const meta = (message.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
  const v = meta?.[META.protocolVersion];
  return isModernVersion(v) ? v : undefined;
}

/** 401, or 403 with a challenge (a 403 without one, say for a bad Origin, is no auth matter). */
function isAuthChallenge(response: Response): boolean {
  return response.status === 401 || (response.status === 403 && response.headers.has("www-authenticate"));
}

/**
 * Whether a GET answered with `status` may succeed if tried again later: server errors,
 * 408 and 429, and a 2xx that was not an event stream. Any other 4xx is a refusal.
 */
function isTransient(status: number): boolean {
  return status < 400 || status >= 500 || status === 408 || status === 429;
}

/** `text/event-stream; charset=utf-8` → `text/event-stream`. */
export function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";", 1)[0]!.trim().toLowerCase();
}

export function requestIdsOf(messages: JsonRpcMessage[]): RequestId[] {
  const ids: RequestId[] = [];
  for (const m of messages) if ("method" in m && "id" in m && m.id !== undefined) ids.push(m.id);
  return ids;
}

/**
 * The error response a request gets when HTTP failed. -32000 (the code the official
 * SDK uses for transport failures), unless the body is a JSON-RPC error for this very
 * request: then the server meant that answer, and its code is kept.
 */
export function failureFor(id: RequestId, message: string, data: HttpErrorData, body?: string): JsonRpcMessage {
  const own = body ? jsonRpcErrorIn(body) : undefined;
  const code = own && own.id === id ? own.code : ErrorCode.ConnectionClosed;
  return { jsonrpc: "2.0", id, error: { code, message, data } };
}

/** The error of a JSON-RPC error response in `body`, if it is one. */
export function jsonRpcErrorIn(body: string): { id: unknown; code: number; message: string } | undefined {
  try {
    const v = JSON.parse(body) as Record<string, any> | null;
    if (v && v.jsonrpc === "2.0" && v.error && typeof v.error.code === "number") return { id: v.id, code: v.error.code, message: String(v.error.message ?? "") };
  } catch {
    // not JSON
  }
  return undefined;
}

/**
 * Delivers a JSON payload: an object, or each element of an array. Array elements go one
 * by one because the engine's batch path would answer them as an incoming batch, which a
 * reply to our own POST is not.
 */
export function deliverJson(sink: TransportSink | undefined, text: string, onerror: (error: unknown) => void, onResponse?: (id: RequestId) => void): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    sink?.parseError(errorText(error));
    return;
  }
  for (const m of Array.isArray(value) ? value : [value]) {
    if (onResponse && m && typeof m === "object" && !("method" in m) && ("result" in m || "error" in m)) {
      const id = (m as { id?: unknown }).id;
      if (typeof id === "string" || typeof id === "number") onResponse(id);
    }
    try {
      sink?.message(m);
    } catch (error) {
      // A throwing callback (onprogress, say) must not look like a dropped stream.
      onerror(error);
    }
  }
}

export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch wraps the useful part (ECONNREFUSED…) in `cause`.
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The auth provider could not authorize a request; `data` is what the caller's error carries. */
class AuthorizationFailed extends Error {
  constructor(
    message: string,
    readonly data: HttpErrorData,
  ) {
    super(message);
  }
}
