/**
 * Streamable HTTP for 2026-07-28 requests. That revision is stateless: every request is
 * one POST carrying its own `_meta`, answered on its own (no session, no GET stream, no
 * resumption; `Mcp-Session-Id` and `Last-Event-ID` are ignored). The request headers
 * must agree with the body: `MCP-Protocol-Version` with the `_meta` version,
 * `Mcp-Method` with the method, `Mcp-Name` with the tool or prompt name or resource URI,
 * and `Mcp-Param-*` with tool arguments annotated `x-mcp-header`; otherwise 400 with
 * -32020. The reply is one JSON body, or, once the call sends notifications (progress,
 * logs, a listen stream's changes) or runs long, an SSE stream with them and then the
 * response. A client that closes that stream cancels the request.
 */
import { ErrorCode, McpError, type JsonRpcMessage, type RequestId } from "../../protocol/jsonrpc.js";
import { checkParamHeaders, scanMcpHeaders, type McpHeaderScan } from "../../protocol/mcp-headers.js";
import { META } from "../../protocol/types.js";
import { isModernVersion, isSupportedVersion } from "../../protocol/versions.js";
import { checkEnvelopePresent, unsupportedVersion } from "../../server/modern.js";
import type { McpServer, ToolEntry } from "../../server/server.js";
import type { ServerSession } from "../../server/session.js";
import type { MessageExtra, SendOptions, Transport, TransportSink } from "../../protocol/transport.js";
import type { IncomingHttp } from "./incoming.js";
import { emptyReply, jsonReply, sseReply, type HttpReply, type HeaderMap } from "./responses.js";
import { SSE_HEADERS, SseWriter, sseEvent } from "./sse.js";

export interface ModernHttpOptions {
  /** Never answer with SSE (notifications are then dropped); subscriptions/listen still streams. */
  json?: boolean;
  /** Interval of SSE keep-alive comments, in ms (0: none). */
  keepAliveMs: number;
  /** Unread bytes beyond which a stream is congested and notifications wait (see SseWriterLimits). */
  maxBufferedBytes?: number;
  /** A call still running after this long switches to SSE, so closing it cancels the call (default 1000 ms). */
  streamAfterMs?: number;
  onerror(error: Error): void;
}

/** Methods whose `Mcp-Name` header mirrors a body field. */
const NAME_SOURCE: Record<string, "name" | "uri" | "taskId"> = {
  "tools/call": "name",
  "prompts/get": "name",
  "resources/read": "uri",
  // The tasks extension routes its methods by task id.
  "tasks/get": "taskId",
  "tasks/update": "taskId",
  "tasks/cancel": "taskId",
};

/**
 * Whether a POST body belongs to the 2026-07-28 era: it claims a version in `_meta` that
 * is not a session-era one, calls a method only that era has, or comes with a
 * 2026-07-28 `MCP-Protocol-Version` header.
 */
export function isModernPost(req: IncomingHttp, body: unknown): boolean {
  const items = Array.isArray(body) ? body : [body];
  for (const item of items) {
    const m = item as { method?: unknown; params?: { _meta?: Record<string, unknown> } } | null;
    const meta = m?.params?._meta;
    if (meta && typeof meta === "object" && META.protocolVersion in meta) {
      if (!isSupportedVersion(meta[META.protocolVersion])) return true;
      continue;
    }
    if (m?.method === "server/discover" || m?.method === "subscriptions/listen") return true;
  }
  return isModernVersion(req.header("mcp-protocol-version")?.trim());
}

/** Whether a GET or DELETE comes from a 2026-07-28 client (it names that version): 405 for it. */
export function isModernNonPost(req: IncomingHttp): boolean {
  return isModernVersion(req.header("mcp-protocol-version")?.trim());
}

/** HTTP status of an error answering a 2026-07-28 request (in-band errors stay 200). */
function statusOf(code: number): number {
  switch (code) {
    case ErrorCode.MethodNotFound:
      return 404;
    case ErrorCode.HeaderMismatch:
    case ErrorCode.MissingRequiredClientCapability:
    case ErrorCode.UnsupportedProtocolVersion:
      return 400;
    default:
      return 200;
  }
}

const scans = new WeakMap<ToolEntry, McpHeaderScan>();

/** Serves the 2026-07-28 POSTs of one endpoint. */
export class ModernHttp {
  private readonly live = new Set<ServerSession>();

  constructor(
    private readonly server: McpServer<any>,
    private readonly options: ModernHttpOptions,
  ) {}

  /** Sessions answering a request right now (closed on shutdown). */
  sessions(): ServerSession[] {
    return [...this.live];
  }

  async post(req: IncomingHttp, body: unknown, extra: MessageExtra, cors: HeaderMap): Promise<HttpReply> {
    const fail = (status: number, id: RequestId | null, code: number, message: string, data?: unknown) =>
      jsonReply(status, { jsonrpc: "2.0", id, error: data === undefined ? { code, message } : { code, message, data } }, cors);
    if (Array.isArray(body)) return fail(400, null, ErrorCode.InvalidRequest, "Invalid Request: protocol revision 2026-07-28 has no JSON-RPC batches");
    const m = body as Record<string, unknown>;
    if (typeof m.method !== "string") return fail(400, (m.id as RequestId) ?? null, ErrorCode.InvalidRequest, "Invalid Request: a 2026-07-28 client posts requests and notifications only");
    if (m.id === undefined) {
      // Notifications: over HTTP a request is cancelled by closing its stream, so there is nothing to do.
      return emptyReply(202, cors);
    }
    const id = m.id as RequestId;
    const method = m.method;
    const params = (m.params ?? {}) as Record<string, unknown>;
    const header = (name: string) => req.header(name)?.trim();

    let meta: Record<string, unknown>;
    try {
      meta = checkEnvelopePresent(params);
    } catch (error) {
      return fail(400, id, ErrorCode.InvalidParams, (error as McpError).message);
    }
    const version = meta[META.protocolVersion] as string;
    const headerVersion = header("mcp-protocol-version");
    if (headerVersion === undefined) return fail(400, id, ErrorCode.HeaderMismatch, "Header mismatch: the MCP-Protocol-Version header is required");
    if (headerVersion !== version) {
      return fail(400, id, ErrorCode.HeaderMismatch, `Header mismatch: MCP-Protocol-Version is '${headerVersion}' but _meta names '${version}'`);
    }
    if (!isModernVersion(version)) {
      const e = unsupportedVersion(version);
      return fail(400, id, e.code, e.message, e.data);
    }
    const methodHeader = header("mcp-method");
    if (methodHeader === undefined) return fail(400, id, ErrorCode.HeaderMismatch, "Header mismatch: the Mcp-Method header is required");
    if (methodHeader !== method) return fail(400, id, ErrorCode.HeaderMismatch, `Header mismatch: Mcp-Method is '${methodHeader}' but the body's method is '${method}'`);
    const source = NAME_SOURCE[method];
    if (source && typeof params[source] === "string") {
      const name = header("mcp-name");
      if (name === undefined) return fail(400, id, ErrorCode.HeaderMismatch, `Header mismatch: the Mcp-Name header is required for ${method}`);
      if (name !== params[source]) return fail(400, id, ErrorCode.HeaderMismatch, `Header mismatch: Mcp-Name is '${name}' but the body's ${source} is '${String(params[source])}'`);
    }
    if (method === "tools/call" && typeof params.name === "string") {
      const entry = this.server.tools.get(params.name);
      if (entry) {
        let scan = scans.get(entry);
        if (!scan) scans.set(entry, (scan = scanMcpHeaders(entry.def.inputSchema ?? {})));
        if (scan.valid) {
          const problem = checkParamHeaders(scan.declarations, params.arguments ?? {}, (n) => req.header(n));
          if (problem) return fail(400, id, ErrorCode.HeaderMismatch, `Header mismatch: ${problem}`);
        }
      }
    }
    return this.dispatch(body, id, method, extra, cors);
  }

  /** Hands the request to a session of its own and answers with what it sends. */
  private async dispatch(body: unknown, id: RequestId, method: string, extra: MessageExtra, cors: HeaderMap): Promise<HttpReply> {
    const exchange = new Exchange(id, cors, {
      json: this.options.json === true && method !== "subscriptions/listen",
      keepAliveMs: this.options.keepAliveMs,
      maxBufferedBytes: this.options.maxBufferedBytes,
      streamAfterMs: method === "subscriptions/listen" ? 0 : (this.options.streamAfterMs ?? 1000),
      onerror: this.options.onerror,
    });
    const session = await this.server.connect(exchange);
    session.stateless = true;
    this.live.add(session);
    exchange.onDone(() => {
      this.live.delete(session);
      void session.close();
    });
    return exchange.begin(body, extra);
  }
}

/** The transport of one 2026-07-28 request: its reply as JSON, or as an SSE stream. */
class Exchange implements Transport {
  readonly sessionId = undefined;
  private sink?: TransportSink;
  private writer?: SseWriter;
  private resolve!: (response: HttpReply) => void;
  private readonly response = new Promise<HttpReply>((r) => (this.resolve = r));
  private answered = false;
  private finished = false;
  private timer?: ReturnType<typeof setTimeout>;
  private doneListener?: () => void;

  constructor(
    private readonly id: RequestId,
    private readonly headers: HeaderMap,
    private readonly options: { json: boolean; keepAliveMs: number; maxBufferedBytes?: number; streamAfterMs: number; onerror(e: Error): void },
  ) {}

  start(sink: TransportSink): void {
    this.sink = sink;
  }

  /** Hands the request to the engine; resolves with the HTTP response once it starts. */
  begin(body: unknown, extra: MessageExtra): Promise<HttpReply> {
    if (!this.options.json) {
      if (this.options.streamAfterMs <= 0) this.stream();
      else {
        this.timer = setTimeout(() => this.stream(), this.options.streamAfterMs);
        (this.timer as { unref?: () => void }).unref?.();
      }
    }
    this.sink?.message(body, extra);
    return this.response;
  }

  onDone(listener: () => void): void {
    this.doneListener = listener;
  }

  /** Switches to SSE: the response starts now, and the request is cancelled if the client closes it. */
  private stream(): SseWriter {
    if (this.writer) return this.writer;
    clearTimeout(this.timer);
    const writer = new SseWriter(this.options.keepAliveMs, { maxBufferedBytes: this.options.maxBufferedBytes });
    this.writer = writer;
    writer.onCancel(() => {
      // Closing the stream cancels the request (2026-07-28).
      if (this.finished) return;
      this.sink?.message({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: this.id, reason: "The client closed the stream" } });
      this.done();
    });
    this.answered = true;
    this.resolve(sseReply(writer, { ...SSE_HEADERS, ...this.headers }));
    return writer;
  }

  send(message: JsonRpcMessage | JsonRpcMessage[], _options?: SendOptions): void | Promise<void> {
    if (this.finished) return;
    const m = message as { id?: RequestId | null; method?: string; error?: { code: number } };
    if (m.method === undefined && m.id === this.id) {
      if (this.writer) {
        this.writer.writeEvent(sseEvent(message));
        this.writer.close();
      } else {
        clearTimeout(this.timer);
        this.answered = true;
        this.resolve(jsonReply(m.error ? statusOf(m.error.code) : 200, message, this.headers));
      }
      this.done();
      return;
    }
    if (m.method === undefined || m.id !== undefined) {
      // Requests to the client do not exist in 2026-07-28 (they become input_required).
      this.options.onerror(new Error(`Dropped a message a 2026-07-28 request cannot carry: ${JSON.stringify(message).slice(0, 200)}`));
      return;
    }
    if (this.options.json) return;
    const writer = this.stream();
    writer.writeEvent(sseEvent(message));
    // A notification waits until the client has read enough (see SseWriter.capacity).
    return writer.capacity();
  }

  private done(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.doneListener?.();
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    if (!this.answered) {
      this.answered = true;
      this.resolve(jsonReply(503, { jsonrpc: "2.0", id: this.id, error: { code: -32000, message: "The server closed before answering" } }, this.headers));
    }
    this.writer?.close();
    const sink = this.sink;
    this.sink = undefined;
    sink?.closed();
    this.done();
  }
}
