import type { McpClient } from "../client/client.js";
import type { JsonRpcMessage, JsonRpcRequest } from "../protocol/jsonrpc.js";
import type { InitializeResult } from "../protocol/types.js";
import type { McpHeaderDeclaration } from "../protocol/mcp-headers.js";
import { StreamableHttpClientTransport, jsonRpcErrorIn, type HttpErrorData, type StreamableHttpClientOptions } from "./http-client.js";
import { SseClientTransport, type SseClientOptions } from "./legacy-sse-client.js";
import type { Transport, TransportSink } from "../protocol/transport.js";

export interface ConnectHttpOptions extends StreamableHttpClientOptions {
  /** Options for the legacy transport if it is used (default: `headers`, `fetch` and `onerror` from above). */
  sse?: SseClientOptions;
}

export interface HttpConnection {
  /** The transport in use: close it through the client. */
  transport: StreamableHttpClientTransport | SseClientTransport;
  kind: "streamable-http" | "sse";
  result: InitializeResult;
}

/**
 * Connects `client` to `url`: Streamable HTTP first; if the server answers that
 * initialize POST with 400, 404 or 405 (and not with a JSON-RPC error of its own, which
 * a current server would send), the same URL is tried as a deprecated HTTP+SSE stream,
 * as the spec's backwards-compatibility section advises. On failure the client is closed.
 */
export async function connectWithFallback(client: McpClient, url: string | URL, options: ConnectHttpOptions = {}): Promise<HttpConnection> {
  const transport = new FallbackTransport(url, options);
  try {
    const result = await client.connect(transport);
    return { transport: transport.inner, kind: transport.kind, result };
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
}

/**
 * One transport to the client, so its single connect() can cover both attempts: the
 * first reply to initialize decides, and a refused POST switches to the legacy
 * transport, re-sending that same initialize there.
 */
class FallbackTransport implements Transport {
  inner: StreamableHttpClientTransport | SseClientTransport;
  kind: "streamable-http" | "sse" = "streamable-http";
  private decided = false;
  private init?: JsonRpcRequest;
  private switching?: Promise<void>;
  private sink?: TransportSink;

  constructor(
    private readonly url: string | URL,
    private readonly options: ConnectHttpOptions,
  ) {
    this.inner = new StreamableHttpClientTransport(url, options);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(sink: TransportSink): void {
    this.sink = sink;
    const first = this.inner as StreamableHttpClientTransport;
    first.start({
      message: (message, extra) => {
        if (!this.decided && this.refused(message)) {
          this.switching = this.fallBack(first, message as JsonRpcMessage);
          return;
        }
        this.decided = true;
        sink.message(message, extra);
      },
      parseError: (detail) => {
        this.decided = true;
        sink.parseError(detail);
      },
      invalidFrame: (detail) => sink.invalidFrame?.(detail),
      // Closing the abandoned first transport must not close the client.
      closed: () => {
        if (this.inner === first) sink.closed();
      },
    });
  }

  /** Is this the initialize request's error for a POST answered 400/404/405 without a JSON-RPC error? */
  private refused(message: unknown): boolean {
    const m = message as { id?: unknown; error?: { data?: HttpErrorData } };
    if (!this.init || m.id !== this.init.id || !m.error) return false;
    const { httpStatus, body } = m.error.data ?? {};
    if (httpStatus !== 400 && httpStatus !== 404 && httpStatus !== 405) return false;
    return jsonRpcErrorIn(body ?? "") === undefined;
  }

  private async fallBack(first: StreamableHttpClientTransport, refusal: JsonRpcMessage): Promise<void> {
    const o = this.options;
    const legacy = new SseClientTransport(this.url, o.sse ?? { headers: o.headers, fetch: o.fetch, onerror: o.onerror });
    this.inner = legacy;
    this.kind = "sse";
    await first.close().catch(() => {});
    try {
      await legacy.start(this.sink!);
      this.decided = true;
      await legacy.send(this.init!);
    } catch (error) {
      this.decided = true;
      // Both failed: the initialize fails with the first refusal, plus why the fallback failed.
      const e = (refusal as { error: { message: string } }).error;
      this.sink!.message({ ...refusal, error: { ...e, message: `${e.message}; the HTTP+SSE fallback failed too: ${(error as Error).message}` } });
    }
  }

  async send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    if (this.switching) await this.switching;
    if (!this.decided && !Array.isArray(message) && "method" in message && message.method === "initialize" && "id" in message) {
      this.init = message as JsonRpcRequest;
    }
    await this.inner.send(message);
  }

  setProtocolVersion(version: string): void {
    if (this.inner instanceof StreamableHttpClientTransport) this.inner.setProtocolVersion(version);
  }

  /** Time spent authorizing (StreamableHttpClientTransport.authorizationMs). */
  authorizationMs(): number {
    return this.inner instanceof StreamableHttpClientTransport ? this.inner.authorizationMs() : 0;
  }

  /** 2026-07-28: the listed tools' `x-mcp-header` declarations, for the Mcp-Param-* headers (McpClient sets them). */
  setToolHeaders(headers: Map<string, McpHeaderDeclaration[]>): void {
    if (this.inner instanceof StreamableHttpClientTransport) this.inner.setToolHeaders(headers);
  }

  async close(): Promise<void> {
    if (this.switching) await this.switching;
    await this.inner.close();
  }
}
