import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "../server/server.js";
import { mountHandlers } from "../transports/http/handler.js";
import { McpHttpHandler, type HttpHandlerOptions } from "./http-handler.js";
import { OVER_BUDGET, TOO_LARGE, decodeChunks, type IncomingHttp } from "../transports/http/incoming.js";
import type { HttpReply } from "../transports/http/responses.js";
import type { SseWriter } from "../transports/http/sse.js";

/** Adapts a node:http request; pass `parsedBody` when a framework already read the body. */
export function fromNodeRequest(req: IncomingMessage, parsedBody?: unknown): IncomingHttp {
  const h = req.headers;
  return {
    method: req.method ?? "GET",
    // Express strips a mount prefix from `url` but keeps it in `originalUrl`.
    path: (req as { originalUrl?: string }).originalUrl ?? req.url ?? "/",
    header: (name) => {
      const v = h[name];
      return Array.isArray(v) ? v.join(", ") : v;
    },
    headers: () => h,
    text: (limit, onBytes) => readNodeBody(req, limit, onBytes),
    parsedBody: parsedBody ?? (req as { body?: unknown }).body,
  };
}

function readNodeBody(req: IncomingMessage, limit: number, onBytes?: (n: number) => boolean): Promise<string | typeof TOO_LARGE | typeof OVER_BUDGET> {
  if (Number(req.headers["content-length"] ?? NaN) > limit) return Promise.resolve(TOO_LARGE);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // Stop reading; the rest of the body is discarded with the connection.
    const stop = (why: typeof TOO_LARGE | typeof OVER_BUDGET) => {
      settled = true;
      req.off("data", onData);
      req.resume();
      resolve(why);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop(TOO_LARGE);
      if (onBytes && !onBytes(chunk.length)) return stop(OVER_BUDGET);
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => !settled && resolve(decodeChunks(chunks, size)));
    req.once("error", reject);
  });
}

/**
 * Writes a reply of the HTTP core: a JSON body leaves in one write with its headers; an
 * SSE body goes straight from its writer to the socket.
 */
export function writeReply(res: ServerResponse, reply: HttpReply): void {
  if (reply.sse) {
    writeSse(res, reply.status, reply.headers, reply.sse);
    return;
  }
  const body = reply.body;
  reply.headers["content-length"] = body === undefined ? "0" : String(Buffer.byteLength(body));
  res.writeHead(reply.status, reply.headers);
  res.end(body);
}

/** Writes a Web `Response` to a node:http response, streaming its body until either side ends it. */
export async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  if (response.body === null) {
    headers["content-length"] = "0";
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const streaming = headers["content-type"]?.startsWith("text/event-stream");
  if (!streaming) {
    const body = Buffer.from(await response.arrayBuffer());
    headers["content-length"] = String(body.byteLength);
    res.writeHead(response.status, headers);
    res.end(body);
    return;
  }
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = response.body.getReader();
  // The client hanging up cancels the stream, which tells the session it disconnected.
  const onClose = () => void reader.cancel().catch(() => undefined);
  res.once("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((resolve) => (res.once("drain", resolve), res.once("close", resolve)));
      if (res.destroyed) break;
    }
  } catch {
    // Cancelled because the client went away.
  } finally {
    res.off("close", onClose);
    if (!res.destroyed) res.end();
  }
}

/**
 * An SSE body written straight to the socket. What is written in one turn of the event
 * loop (the headers, a priming event, often the reply and the end) is gathered into one
 * string and leaves in one write: a POST answered at once costs one `end(text)`, as a
 * JSON reply does, instead of a write per event that node would gather again.
 */
function writeSse(res: ServerResponse, status: number, headers: Record<string, string>, writer: SseWriter): void {
  res.writeHead(status, headers);
  const out = new NodeSseOutput(res);
  // The client hanging up tells the session it disconnected.
  res.once("close", () => writer.cancel());
  writer.attach(out);
  out.schedule();
}

/** What `writeSse` gives the writer: text gathered per tick, then written at once. */
class NodeSseOutput {
  private pending = "";
  private scheduled = false;
  private ending = false;
  private wrote = false;

  constructor(private readonly res: ServerResponse) {}

  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    process.nextTick(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const res = this.res;
    // Ended already: the tick scheduled before `end` has nothing left to do.
    if (res.writableEnded || res.destroyed) return;
    const text = this.pending;
    this.pending = "";
    if (this.ending) {
      res.end(text);
    } else if (text.length > 0) {
      this.wrote = true;
      res.write(text);
    } else if (!this.wrote) {
      // An idle stream still shows its headers at once.
      res.flushHeaders();
      this.wrote = true;
    }
  }

  write(text: string): void {
    if (this.ending || this.res.destroyed) return;
    this.pending += text;
    this.schedule();
  }

  /** Now, not on the next tick: a shutdown closes connections right after ending streams. */
  end(): void {
    if (this.ending) return;
    this.ending = true;
    this.flush();
  }

  buffered(): number {
    return this.res.writableLength + this.pending.length;
  }

  onDrain(listener: () => void): void {
    const res = this.res;
    // Whichever comes first; the other listener goes with it.
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      listener();
    };
    res.once("drain", done);
    res.once("close", done);
  }

  destroy(): void {
    this.res.destroy();
  }
}

export interface HandlesHttp {
  handle(req: IncomingHttp): Promise<Response>;
  /** Plain replies (the HTTP core's own handlers): written without a Web `Response`. */
  serve?(req: IncomingHttp): Promise<HttpReply>;
  /** When present, middleware hands requests for other paths on to `next`. */
  serves?(path: string): boolean;
}

/**
 * A node:http listener, also usable as Express or Connect middleware: requests for
 * other paths go to `next` when there is one, else get 404.
 */
export function toNodeListener(target: HandlesHttp): (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void {
  return (req, res, next) => {
    if (next && target.serves && !target.serves((req as { originalUrl?: string }).originalUrl ?? req.url ?? "/")) {
      next();
      return;
    }
    const incoming = fromNodeRequest(req);
    (target.serve ? target.serve(incoming).then((reply) => writeReply(res, reply)) : target.handle(incoming).then((response) => writeResponse(res, response)))
      .catch((error: Error) => {
        if (next) return next(error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end();
      });
  };
}

export interface ServeHttpOptions extends HttpHandlerOptions {
  /** Interface to bind (default 127.0.0.1: local only). */
  host?: string;
  /** Port (default 3000; 0 picks a free one). */
  port?: number;
  /** Time allowed to receive a whole request, in ms (default 30,000); slower clients are cut off. */
  requestTimeoutMs?: number;
  /** Time allowed to receive the headers, in ms (default 10,000). */
  headersTimeoutMs?: number;
  /** How long shutdown waits for requests in flight, in ms (default 10,000). */
  shutdownTimeoutMs?: number;
  /** Shut down gracefully on SIGINT and SIGTERM, then exit (default false). */
  signals?: boolean;
}

export interface RunningHttpServer {
  /** The endpoint URL, such as `http://127.0.0.1:3000/mcp` (the first handler's). */
  readonly url: string;
  readonly port: number;
  readonly httpServer: Server;
  /** Stops accepting, lets requests in flight finish (bounded), then closes every stream. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * Serves one server (or several handlers, each on its own path) on node:http, bound
 * to 127.0.0.1 unless told otherwise.
 */
export async function serveHttp(target: McpServer<any> | McpHttpHandler | McpHttpHandler[], options: ServeHttpOptions = {}): Promise<RunningHttpServer> {
  const host = options.host ?? "127.0.0.1";
  // Bound beyond loopback, the Host is whatever name reaches the server: checking it
  // against localhost would refuse every real client, so only allowedHosts apply.
  const handlerOptions: HttpHandlerOptions = { ...options };
  if (!LOOPBACK.has(host) && options.allowedHosts === undefined) handlerOptions.allowedHosts = ["*"];
  const handlers = target instanceof McpServer ? [new McpHttpHandler(target, handlerOptions)] : Array.isArray(target) ? target : [target];
  const router: HandlesHttp = handlers.length === 1 ? handlers[0]! : mountHandlers(...handlers);
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const headersTimeout = Math.min(options.headersTimeoutMs ?? 10_000, requestTimeout || Infinity);
  // node enforces both only when it checks its connections (every 30 s by default):
  // check often enough that a slow client is cut off near its deadline.
  const shortest = Math.min(requestTimeout || Infinity, headersTimeout || Infinity);
  const connectionsCheckingInterval = Number.isFinite(shortest) ? Math.max(50, Math.min(30_000, Math.ceil(shortest / 4))) : 30_000;
  // Loaded here, not at the top: importing the runtime (a stdio server) should not load node:http.
  const { createServer } = await import("node:http");
  const httpServer = createServer({ requestTimeout, headersTimeout, connectionsCheckingInterval }, toNodeListener(router));
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port ?? 3000, host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const shownHost = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await Promise.all(handlers.map((h) => h.close({ timeoutMs: options.shutdownTimeoutMs ?? 10_000 })));
      httpServer.closeIdleConnections();
      httpServer.closeAllConnections();
      await stopped;
    })());
  if (options.signals) {
    // The process ends here, so each server's lifespan `stop` runs after the drain.
    const onSignal = () =>
      void close()
        .then(() => Promise.allSettled([...new Set(handlers.map((h) => h.server))].map((s) => s.close())))
        .then(() => process.exit(0));
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }
  return { url: `http://${shownHost}:${port}${handlers[0]!.path}`, port, httpServer, close };
}

// `ServerOptions.http` takes all of these (see ServerHttpDefaults in server/server.ts).
declare module "../server/server.js" {
  interface ServerHttpDefaults extends ServeHttpOptions {}
}
