import {
  ErrorCode,
  McpError,
  type JsonRpcErrorObject,
  type JsonRpcMessage,
  type JsonRpcResponse,
  type RequestId,
} from "./jsonrpc.js";
import type { MessageExtra, Transport, TransportSink } from "./transport.js";

/** What a request handler gets besides its params. */
export interface IncomingRequest {
  readonly id: RequestId;
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly signal: AbortSignal;
  readonly extra: MessageExtra | undefined;
}

export type RequestHandler = (params: Record<string, unknown>, req: IncomingRequest) => unknown;
export type NotificationHandler = (params: Record<string, unknown>, extra: MessageExtra | undefined) => void;

export interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Milliseconds without an answer before the request fails (default: the peer's). */
  timeoutMs?: number;
  /** Called for each notifications/progress the peer sends for this request. */
  onprogress?: (progress: Progress) => void;
  /** A progress notification restarts the timeout (default true when onprogress is set). */
  resetTimeoutOnProgress?: boolean;
  /** Upper bound however much progress arrives. */
  maxTotalTimeoutMs?: number;
  /** The incoming request on whose behalf this is sent (HTTP routes it to that stream). */
  relatedRequestId?: RequestId;
}

export interface PeerOptions {
  defaultTimeoutMs?: number;
  /** Errors that have no one to report to (a send that failed, a stray response). */
  onerror?: (error: Error) => void;
  /** Whether a JSON-RPC batch is acceptable right now (only 2025-03-26 allows them). */
  allowBatch?: () => boolean;
  /** Decides whether an error from a handler is allowed to show its message. */
  exposeError?: (error: unknown) => JsonRpcErrorObject | undefined;
}

interface Pending {
  resolve: (value: any) => void;
  reject: (error: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
  timeoutMs: number;
  startedAt: number;
  options: RequestOptions;
  method: string;
  cleanup?: () => void;
}

type Sink = (response: JsonRpcResponse) => void;

/**
 * An incoming request in flight. Its AbortController is made only when someone asks for
 * the signal (most handlers never do, and making one costs more than the rest of a
 * small call); a cancellation that comes first is remembered and applied then.
 */
class InFlight implements IncomingRequest {
  private controller?: AbortController;
  /** Set once cancelled (or the connection closed), with the reason. */
  cancelled = false;
  private reason: unknown;

  constructor(
    readonly id: RequestId,
    readonly method: string,
    readonly params: Record<string, unknown>,
    readonly extra: MessageExtra | undefined,
  ) {}

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.cancelled) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const INTERNAL_ERROR: JsonRpcErrorObject = { code: ErrorCode.InternalError, message: "Internal error" };

/**
 * The JSON-RPC engine shared by server and client: envelope checks, dispatch, id
 * matching, timeouts, cancellation and progress. It knows nothing about MCP methods
 * beyond `notifications/cancelled` and `notifications/progress`.
 */
export class Peer {
  readonly requestHandlers = new Map<string, RequestHandler>();
  readonly notificationHandlers = new Map<string, NotificationHandler>();
  /** Called for a method with no registered handler; undefined means -32601. */
  fallbackRequestHandler?: RequestHandler;
  /** Called for a notification with no registered handler; undefined means it is ignored. */
  fallbackNotificationHandler?: (method: string, params: Record<string, unknown>, extra: MessageExtra | undefined) => void;

  private transport?: Transport;
  private nextId = 1;
  private readonly pending = new Map<RequestId, Pending>();
  private readonly inflight = new Map<RequestId, InFlight>();
  private closedFlag = false;
  private readonly drainWaiters: (() => void)[] = [];
  private readonly closeListeners: (() => void)[] = [];
  private readonly options: PeerOptions;

  constructor(options: PeerOptions = {}) {
    this.options = options;
  }

  get connected(): boolean {
    return this.transport !== undefined && !this.closedFlag;
  }

  /** The transport this peer is connected to (for transport-specific features). */
  get currentTransport(): Transport | undefined {
    return this.transport;
  }

  get inflightCount(): number {
    return this.inflight.size;
  }

  /** Requests we sent that await an answer. */
  get pendingCount(): number {
    return this.pending.size;
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  async connect(transport: Transport): Promise<void> {
    if (this.transport) throw new Error("Peer is already connected");
    this.transport = transport;
    const sink: TransportSink = {
      message: (msg, extra) => this.receive(msg, extra),
      parseError: () => this.sendRaw({ jsonrpc: "2.0", id: null, error: { code: ErrorCode.ParseError, message: "Parse error" } }),
      invalidFrame: (detail) =>
        this.sendRaw({ jsonrpc: "2.0", id: null, error: { code: ErrorCode.InvalidRequest, message: `Invalid Request: ${detail}` } }),
      closed: () => this.handleClosed(),
      backlog: () => Math.max(0, this.inflight.size - this.pending.size),
    };
    await transport.start(sink);
  }

  async close(): Promise<void> {
    const t = this.transport;
    if (t && !this.closedFlag) await t.close();
    this.handleClosed();
  }

  /** Entry point for one parsed JSON value from the transport. */
  receive(msg: unknown, extra?: MessageExtra): void {
    if (Array.isArray(msg)) {
      this.receiveBatch(msg, extra);
      return;
    }
    const response = this.receiveOne(msg, extra, this.respond);
    if (response && !(response instanceof Promise)) this.respond(response);
  }

  /**
   * Handles one envelope. Responses for requests go to `sink` (directly, or once a
   * batch is complete); an immediate error is returned instead so batches can collect it.
   */
  private receiveOne(msg: unknown, extra: MessageExtra | undefined, sink: Sink): JsonRpcResponse | undefined | Promise<void> {
    if (msg === null || typeof msg !== "object") {
      return invalid(null, "expected a JSON-RPC object");
    }
    const m = msg as Record<string, unknown>;
    const id = m.id;
    const hasId = id !== undefined;
    const idOk = typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
    if (m.jsonrpc !== "2.0") return invalid(idOk ? (id as RequestId) : null, 'jsonrpc must be "2.0"');

    if ("method" in m) {
      if (typeof m.method !== "string") return invalid(idOk ? (id as RequestId) : null, "method must be a string");
      const params = m.params;
      // JSON-RPC allows only a structured value here; anything else is not a request at all.
      if (params !== undefined && (params === null || typeof params !== "object")) {
        return invalid(idOk ? (id as RequestId) : null, "params must be an object");
      }
      // By-position params are valid JSON-RPC, but every MCP method takes named params.
      if (Array.isArray(params)) {
        if (!hasId) return undefined;
        if (!idOk) return invalid(null, "id must be a string or a number");
        return {
          jsonrpc: "2.0",
          id: id as RequestId,
          error: { code: ErrorCode.InvalidParams, message: `Invalid params: '${m.method}' takes named params (an object), not an array` },
        };
      }
      if (!hasId) {
        this.receiveNotification(m.method, (params as Record<string, unknown>) ?? {}, extra);
        return undefined;
      }
      if (!idOk) return invalid(null, "id must be a string or a number");
      return this.receiveRequest(id as RequestId, m.method, (params as Record<string, unknown>) ?? {}, extra, sink);
    }

    if (hasId && ("result" in m || "error" in m)) {
      this.receiveResponse(m);
      return undefined;
    }
    return invalid(idOk ? (id as RequestId) : null, "not a request, notification or response");
  }

  private receiveBatch(batch: unknown[], extra: MessageExtra | undefined): void {
    if (batch.length === 0) {
      this.respond(invalid(null, "empty batch"));
      return;
    }
    if (!this.options.allowBatch?.()) {
      this.respond(invalid(null, "JSON-RPC batches are not supported by the negotiated protocol version"));
      return;
    }
    const responses: JsonRpcResponse[] = [];
    const collect: Sink = (r) => void responses.push(r);
    const waits: Promise<void>[] = [];
    for (const item of batch) {
      const r = this.receiveOne(item, extra, collect);
      if (r instanceof Promise) waits.push(r);
      else if (r) responses.push(r);
    }
    const flush = () => {
      if (responses.length > 0) this.sendRaw(responses as JsonRpcMessage[]);
    };
    if (waits.length === 0) flush();
    else void Promise.allSettled(waits).then(flush);
  }

  private receiveRequest(
    id: RequestId,
    method: string,
    params: Record<string, unknown>,
    extra: MessageExtra | undefined,
    sink: Sink,
  ): JsonRpcResponse | Promise<void> | undefined {
    if (this.inflight.has(id)) {
      return invalid(id, `a request with id ${JSON.stringify(id)} is still in progress`);
    }
    const handler = this.requestHandlers.get(method) ?? this.fallbackRequestHandler;
    if (!handler) {
      return { jsonrpc: "2.0", id, error: { code: ErrorCode.MethodNotFound, message: `Method not found: ${method}` } };
    }
    const req = new InFlight(id, method, params, extra);
    this.inflight.set(id, req);
    let result: unknown;
    try {
      result = handler(params, req);
    } catch (error) {
      this.release(id);
      return { jsonrpc: "2.0", id, error: this.toErrorObject(error) };
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => this.finish(req, sink, value, undefined),
        (error) => this.finish(req, sink, undefined, error ?? new Error("rejected")),
      );
    }
    this.release(id);
    return { jsonrpc: "2.0", id, result: (result ?? {}) as Record<string, unknown> };
  }

  private finish(req: InFlight, sink: Sink, value: unknown, error: unknown): void {
    const id = req.id;
    this.release(id);
    // A cancelled request gets no answer: the peer has already stopped waiting for it.
    if (req.cancelled) return;
    if (error !== undefined) sink({ jsonrpc: "2.0", id, error: this.toErrorObject(error) });
    else sink({ jsonrpc: "2.0", id, result: (value ?? {}) as Record<string, unknown> });
  }

  private toErrorObject(error: unknown): JsonRpcErrorObject {
    if (error instanceof McpError) return error.toJSON();
    const exposed = this.options.exposeError?.(error);
    if (exposed) return exposed;
    this.options.onerror?.(error instanceof Error ? error : new Error(String(error)));
    return INTERNAL_ERROR;
  }

  private receiveNotification(method: string, params: Record<string, unknown>, extra: MessageExtra | undefined): void {
    if (method === "notifications/cancelled") {
      const requestId = params.requestId as RequestId;
      const req = this.inflight.get(requestId);
      if (req) req.abort(new McpError(ErrorCode.RequestTimeout, String(params.reason ?? "Request cancelled")));
    } else if (method === "notifications/progress") {
      if (this.receiveProgress(params)) return;
    }
    const handler = this.notificationHandlers.get(method);
    const fallback = this.fallbackNotificationHandler;
    if (!handler && !fallback) return;
    try {
      if (handler) handler(params, extra);
      else fallback!(method, params, extra);
    } catch (error) {
      this.options.onerror?.(error as Error);
    }
  }

  private receiveProgress(params: Record<string, unknown>): boolean {
    const token = params.progressToken as RequestId;
    const p = this.pending.get(token);
    if (!p || !p.options.onprogress) return false;
    p.options.onprogress({ progress: params.progress as number, total: params.total as number | undefined, message: params.message as string | undefined });
    if (p.options.resetTimeoutOnProgress !== false && p.timer) {
      clearTimeout(p.timer);
      this.armTimer(token, p);
    }
    return true;
  }

  private receiveResponse(m: Record<string, unknown>): void {
    const id = m.id as RequestId;
    const p = this.pending.get(id);
    if (!p) {
      // The peer's mistake (or an attacker's): one short line, and only a few per window.
      const report = this.options.onerror && strayReport(id);
      if (report) this.options.onerror!(report);
      return;
    }
    this.settle(id, p);
    if ("error" in m) {
      const e = (m.error ?? {}) as JsonRpcErrorObject;
      p.reject(new McpError(typeof e.code === "number" ? e.code : ErrorCode.InternalError, String(e.message ?? "Unknown error"), e.data));
    } else {
      p.resolve(m.result);
    }
  }

  private settle(id: RequestId, p: Pending): void {
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    p.cleanup?.();
  }

  /** Arms (or re-arms) a request's timeout: `timeoutMs` from now, capped by `maxTotalTimeoutMs` since it started. */
  private armTimer(id: RequestId, p: Pending): void {
    let wait = p.timeoutMs;
    let limit = p.timeoutMs;
    const max = p.options.maxTotalTimeoutMs;
    if (max !== undefined && max - (Date.now() - p.startedAt) < wait) {
      wait = max - (Date.now() - p.startedAt);
      limit = max;
    }
    if (Number.isFinite(wait)) this.schedule(id, p, wait, limit);
  }

  private schedule(id: RequestId, p: Pending, wait: number, limit: number): void {
    // setTimeout fires at once for delays beyond 2^31-1 ms, so a longer wait goes in steps.
    if (wait > MAX_TIMER_MS) {
      p.timer = setTimeout(() => this.schedule(id, p, wait - MAX_TIMER_MS, limit), MAX_TIMER_MS);
      return;
    }
    p.timer = setTimeout(() => {
      this.settle(id, p);
      this.notifyCancelled(id, "Request timed out");
      p.reject(new McpError(ErrorCode.RequestTimeout, `Request timed out after ${limit} ms: ${p.method}`, { timeoutMs: limit }));
    }, Math.max(0, wait));
  }

  private notifyCancelled(id: RequestId, reason: string): void {
    if (this.connected) void this.notify("notifications/cancelled", { requestId: id, reason });
  }

  /** Sends a request and resolves with its result, or rejects with an McpError. */
  request<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>, options: RequestOptions = {}): Promise<T> {
    if (!this.connected) return Promise.reject(new McpError(ErrorCode.ConnectionClosed, "Not connected"));
    if (options.signal?.aborted) return Promise.reject(options.signal.reason ?? new Error("Aborted"));
    const id = this.nextId++;
    let sendParams = params;
    if (options.onprogress) {
      const meta = { ...((params?._meta as object) ?? {}), progressToken: id };
      sendParams = { ...(params ?? {}), _meta: meta };
    }
    return new Promise<T>((resolve, reject) => {
      const p: Pending = {
        resolve,
        reject,
        timeoutMs: options.timeoutMs ?? this.options.defaultTimeoutMs ?? 60_000,
        startedAt: Date.now(),
        options,
        method,
      };
      if (options.signal) {
        const signal = options.signal;
        const onAbort = () => {
          this.settle(id, p);
          this.notifyCancelled(id, String(signal.reason ?? "Aborted"));
          reject(signal.reason ?? new Error("Aborted"));
        };
        signal.addEventListener("abort", onAbort, { once: true });
        p.cleanup = () => signal.removeEventListener("abort", onAbort);
      }
      this.pending.set(id, p);
      this.armTimer(id, p);
      const message = sendParams === undefined
        ? { jsonrpc: "2.0" as const, id, method }
        : { jsonrpc: "2.0" as const, id, method, params: sendParams };
      this.sendRaw(message, options.relatedRequestId, (error) => {
        if (this.pending.has(id)) {
          this.settle(id, p);
          reject(error);
        }
      });
    });
  }

  /** Sends a notification; failures are reported to onerror, never thrown. */
  notify(method: string, params?: Record<string, unknown>, options: { relatedRequestId?: RequestId } = {}): Promise<void> {
    const message = params === undefined ? { jsonrpc: "2.0" as const, method } : { jsonrpc: "2.0" as const, method, params };
    return this.sendRaw(message, options.relatedRequestId);
  }

  private readonly respond: Sink = (response) => {
    void this.sendRaw(response, response.id ?? undefined);
  };

  private sendRaw(message: JsonRpcMessage | JsonRpcMessage[], relatedRequestId?: RequestId | null, onFail?: (e: Error) => void): Promise<void> {
    const t = this.transport;
    if (!t || this.closedFlag) {
      const e = new McpError(ErrorCode.ConnectionClosed, "Connection closed");
      onFail?.(e);
      return Promise.resolve();
    }
    try {
      const r = t.send(message, relatedRequestId == null ? undefined : { relatedRequestId });
      if (r instanceof Promise) {
        return r.catch((error: Error) => {
          onFail ? onFail(error) : this.options.onerror?.(error);
        });
      }
    } catch (error) {
      onFail ? onFail(error as Error) : this.options.onerror?.(error as Error);
    }
    return Promise.resolve();
  }

  private handleClosed(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    if (this.pending.size > 0 || this.inflight.size > 0) this.failOutstanding();
    for (const listener of this.closeListeners) listener();
  }

  /** Rejects what we asked and aborts what we were asked (an Error's stack is not free: only when there are any). */
  private failOutstanding(): void {
    const err = new McpError(ErrorCode.ConnectionClosed, "Connection closed");
    for (const [id, p] of this.pending) {
      this.settle(id, p);
      p.reject(err);
    }
    for (const req of this.inflight.values()) req.abort(err);
  }

  /** Resolves once no incoming request is being handled (used for graceful shutdown). */
  drain(): Promise<void> {
    if (this.inflight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private release(id: RequestId): void {
    this.inflight.delete(id);
    this.transport?.requestFinished?.();
    if (this.inflight.size === 0 && this.drainWaiters.length > 0) {
      for (const resolve of this.drainWaiters.splice(0)) resolve();
    }
  }
}

function invalid(id: RequestId | null, detail: string): JsonRpcResponse {
  return { jsonrpc: "2.0", id, error: { code: ErrorCode.InvalidRequest, message: `Invalid Request: ${detail}` } };
}

/**
 * A response to a request id that is not pending (answered already, timed out, or never
 * sent). Its stack is the message alone: the trace would only show the engine, and a
 * peer that sends many must not fill the log.
 */
export class StrayResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StrayResponseError";
    this.stack = `${this.name}: ${message}`;
  }
}

/** Stray responses reported per window, process-wide (more are counted, then summed up in the next report). */
const STRAY_REPORTS_PER_WINDOW = 5;
const STRAY_WINDOW_MS = 60_000;
/** Longest id quoted in a report (ids are the peer's to choose, up to a whole body). */
const STRAY_ID_CHARS = 64;
const strays = { windowStart: 0, reported: 0, suppressed: 0 };

/** The report of a stray response, or undefined when this window's reports are used up. */
function strayReport(id: unknown): StrayResponseError | undefined {
  const now = Date.now();
  if (now - strays.windowStart >= STRAY_WINDOW_MS) {
    strays.windowStart = now;
    strays.reported = 0;
  }
  if (strays.reported >= STRAY_REPORTS_PER_WINDOW) {
    strays.suppressed++;
    return undefined;
  }
  strays.reported++;
  let quoted = JSON.stringify(id) ?? String(id);
  if (quoted.length > STRAY_ID_CHARS) quoted = `${quoted.slice(0, STRAY_ID_CHARS)}…`;
  const more = strays.suppressed;
  strays.suppressed = 0;
  const tail = more > 0 ? ` (${more} more stray response${more === 1 ? "" : "s"} not reported before this one)` : "";
  return new StrayResponseError(`Received a response for unknown request id ${quoted}${tail}`);
}
