import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";
import type { McpServer } from "../../server/server.js";
import type { ServerSession } from "../../server/session.js";
import type { AuthInfo, MessageExtra, Transport, TransportSink } from "../../protocol/transport.js";
import { accepts } from "./guards.js";
import type { IncomingHttp } from "./incoming.js";
import { emptyReply, httpError, sseReply, isHttpReply, withHeaders, type HttpReply, type HeaderMap } from "./responses.js";
import { SSE_HEADERS, SseWriter, sseEvent, type SseWriterLimits } from "./sse.js";

export interface LegacyPaths {
  ssePath: string;
  messagesPath: string;
}

/** `/mcp` → `/sse` and `/messages`; `/a/mcp` → `/a/sse` and `/a/messages`. */
export function legacyPaths(endpoint: string, option: true | { ssePath?: string; messagesPath?: string }): LegacyPaths {
  const base = endpoint.slice(0, endpoint.lastIndexOf("/"));
  const o = option === true ? {} : option;
  return { ssePath: o.ssePath ?? `${base}/sse`, messagesPath: o.messagesPath ?? `${base}/messages` };
}

/**
 * One client of the deprecated HTTP+SSE transport (2024-11-05): everything the server
 * says goes down the GET stream; the connection is the session.
 */
class LegacySseTransport implements Transport {
  private sink?: TransportSink;

  constructor(
    readonly sessionId: string,
    readonly writer: SseWriter,
  ) {}

  start(sink: TransportSink): void {
    this.sink = sink;
  }

  receive(message: unknown, extra: MessageExtra): void {
    this.sink?.message(message, extra);
  }

  send(message: JsonRpcMessage | JsonRpcMessage[]): void | Promise<void> {
    if (!this.writer.write(sseEvent(message))) throw new Error("The SSE stream is closed");
    // Awaiting senders (ctx.log, ctx.progress) wait while the client is behind.
    return this.writer.capacity();
  }

  async close(): Promise<void> {
    if (!this.writer.isOpen && !this.sink) return;
    this.writer.close();
    const sink = this.sink;
    this.sink = undefined;
    sink?.closed();
  }
}

/**
 * What the handler's auth asks of this endpoint: who owns a session (undefined when
 * sessions are not bound), and the per-item scope check every POST goes through.
 */
export interface LegacyAuth {
  ownerOf(auth: AuthInfo | undefined): string | undefined;
  checkItems(body: unknown, auth: AuthInfo | undefined, req: IncomingHttp): HttpReply | undefined;
}

interface LegacyClient {
  transport: LegacySseTransport;
  session: ServerSession;
  /** Who opened it (with auth): to anyone else the session does not exist. */
  owner?: string;
}

/** GET /sse opens a session; POST /messages?sessionId= delivers the client's messages. */
export class LegacySseEndpoint {
  private readonly clients = new Map<string, LegacyClient>();

  constructor(
    private readonly server: McpServer<any>,
    private readonly paths: LegacyPaths,
    private readonly onerror: (error: Error) => void,
    private readonly keepAliveMs: number,
    /** The stream's limits: senders wait past `maxBufferedBytes`; past `maxUnreadBytes` the client is cut off, which ends its session (this transport cannot resume). */
    private readonly limits: SseWriterLimits,
    /** The handler's body reader: the same size limit and server-wide budget as Streamable HTTP. */
    private readonly readBody: (req: IncomingHttp, cors: HeaderMap, limit: number) => Promise<{ body: unknown } | HttpReply>,
    private readonly auth?: LegacyAuth,
  ) {}

  serves(path: string): boolean {
    return path === this.paths.ssePath || path === this.paths.messagesPath;
  }

  get size(): number {
    return this.clients.size;
  }

  sessions(): ServerSession[] {
    return [...this.clients.values()].map((c) => c.session);
  }

  handle(req: IncomingHttp, path: string, extra: MessageExtra, cors: HeaderMap, maxBodyBytes: number): Promise<HttpReply> | HttpReply {
    if (path === this.paths.ssePath) {
      if (req.method !== "GET") return httpError(405, -32000, "Method Not Allowed", { ...cors, allow: "GET" });
      if (!accepts(req.header("accept"), "text/event-stream")) return httpError(406, -32000, "Not Acceptable: the client must accept text/event-stream", cors);
      return this.open(cors, extra);
    }
    if (req.method !== "POST") return httpError(405, -32000, "Method Not Allowed", { ...cors, allow: "POST" });
    return this.post(req, extra, cors, maxBodyBytes);
  }

  private async open(cors: HeaderMap, extra: MessageExtra): Promise<HttpReply> {
    const id = crypto.randomUUID();
    const writer = new SseWriter(this.keepAliveMs, this.limits);
    const transport = new LegacySseTransport(id, writer);
    const session = await this.server.connect(transport);
    this.clients.set(id, { transport, session, owner: this.auth?.ownerOf(extra.authInfo) });
    session.peer.onClose(() => this.clients.delete(id));
    // The client going away ends the session: this transport cannot resume.
    writer.onCancel(() => void session.close());
    // Relative, so it resolves against whatever URL the client reached us by.
    writer.write(`event: endpoint\ndata: ${this.paths.messagesPath}?sessionId=${id}\n\n`);
    return sseReply(writer, { ...SSE_HEADERS, ...cors });
  }

  private async post(req: IncomingHttp, extra: MessageExtra, cors: HeaderMap, limit: number): Promise<HttpReply> {
    const id = new URLSearchParams(req.path.slice(req.path.indexOf("?") + 1)).get("sessionId");
    if (!id) return httpError(400, -32000, "Bad Request: sessionId query parameter is required", cors);
    const client = this.clients.get(id);
    // Another caller's session answers exactly as a missing one (as on Streamable HTTP).
    if (!client || (client.owner !== undefined && client.owner !== this.auth?.ownerOf(extra.authInfo))) {
      return httpError(404, -32001, "Session not found", cors);
    }
    let body = req.parsedBody;
    if (body === undefined) {
      const read = await this.readBody(req, cors, limit);
      if (isHttpReply(read)) return read;
      body = read.body;
    }
    const denied = this.auth?.checkItems(body, extra.authInfo, req);
    if (denied) return withHeaders(denied, cors);
    // Replies travel on the GET stream; the engine answers malformed messages there too.
    client.transport.receive(body, extra);
    return emptyReply(202, cors);
  }

  /** Ends sessions whose stream is gone (the connection is the session here). */
  async sweep(): Promise<void> {
    for (const { transport, session } of [...this.clients.values()]) if (!transport.writer.isOpen) await session.close();
  }
}
