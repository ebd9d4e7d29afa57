import { ErrorCode, McpError, type JsonRpcMessage } from "../protocol/jsonrpc.js";
import { buildHeaders, deliverJson, errorText, failureFor, mediaType, requestIdsOf, type HeadersOption, type HttpErrorData } from "./http-client.js";
import { SseParser, pumpSse } from "./sse-parser.js";
import type { Transport, TransportSink } from "../protocol/transport.js";

/*
 * Client side of the deprecated HTTP+SSE transport (protocol 2024-11-05): one GET
 * stream carries everything the server says; its first event, `endpoint`, names the
 * URL the client POSTs each message to. Kept for servers that predate Streamable HTTP.
 */

export interface SseClientOptions {
  headers?: HeadersOption;
  fetch?: typeof fetch;
  /** How long start() waits for the `endpoint` event (ms, default 30 000). */
  endpointTimeoutMs?: number;
  /** Failures with no request to report them on (a notification's POST, a dropped stream). */
  onerror?: (error: Error) => void;
}

export class SseClientTransport implements Transport {
  private readonly url: URL;
  private readonly fetchFn: typeof fetch;
  private readonly abort = new AbortController();
  private sink?: TransportSink;
  private endpoint?: URL;
  private closed = false;

  constructor(
    url: string | URL,
    private readonly options: SseClientOptions = {},
  ) {
    this.url = new URL(url);
    const f = options.fetch;
    this.fetchFn = f ? (input, init) => f(input, init) : (input, init) => fetch(input, init);
  }

  /** Where messages are POSTed, once the server has said. */
  get endpointUrl(): URL | undefined {
    return this.endpoint;
  }

  /** The session the server put in the endpoint URL (`?sessionId=`), if any. */
  get sessionId(): string | undefined {
    return this.endpoint?.searchParams.get("sessionId") ?? undefined;
  }

  /** Opens the stream; resolves once the endpoint is known, rejects if it never comes. */
  async start(sink: TransportSink): Promise<void> {
    this.sink = sink;
    const signal = this.abort.signal;
    let response: Response;
    try {
      const headers = await buildHeaders(this.options.headers, { accept: "text/event-stream" });
      response = await this.fetchFn(this.url, { method: "GET", headers, signal });
    } catch (error) {
      throw new McpError(ErrorCode.ConnectionClosed, `GET ${this.url} failed: ${errorText(error)}`);
    }
    const type = mediaType(response.headers.get("content-type"));
    if (!response.ok || type !== "text/event-stream" || !response.body) {
      const body = await response.text().catch(() => "");
      const why = response.ok ? `Content-Type ${JSON.stringify(type)}, not an SSE stream` : `HTTP ${response.status}${body ? `: ${body.slice(0, 500)}` : ""}`;
      throw new McpError(ErrorCode.ConnectionClosed, `GET ${this.url} for the SSE stream: ${why}`, { httpStatus: response.status, body: body.slice(0, 4096) } satisfies HttpErrorData);
    }
    const body = response.body;

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!error) return resolve();
        this.abort.abort(error);
        reject(error);
      };
      const timeoutMs = this.options.endpointTimeoutMs ?? 30_000;
      const timer = setTimeout(() => settle(new McpError(ErrorCode.ConnectionClosed, `no endpoint event on ${this.url} within ${timeoutMs} ms`)), timeoutMs);
      const parser = new SseParser((event) => {
        if (event.event === "endpoint") {
          if (this.endpoint) return; // only the first one counts
          try {
            this.endpoint = this.resolveEndpoint(event.data);
            settle();
          } catch (error) {
            settle(error as Error);
          }
        } else if (event.event === "message" && event.data !== "") {
          deliverJson(this.sink, event.data, (error) => this.options.onerror?.(error instanceof Error ? error : new Error(String(error))));
        }
      });
      pumpSse(body, parser, signal).then(
        () => this.ended(settle, undefined),
        (error) => this.ended(settle, error),
      );
    });
  }

  /** The endpoint event's URL, relative to the SSE URL, and only on the same origin. */
  private resolveEndpoint(data: string): URL {
    let url: URL;
    try {
      url = new URL(data.trim(), this.url);
    } catch {
      throw new McpError(ErrorCode.ConnectionClosed, `the endpoint event's URL is invalid: ${JSON.stringify(data)}`);
    }
    // The stream must not send our messages (and credentials) anywhere else.
    if (url.origin !== this.url.origin) {
      throw new McpError(ErrorCode.ConnectionClosed, `refusing endpoint ${url.origin}: not the origin of ${this.url}`);
    }
    return url;
  }

  private ended(settle: (error?: Error) => void, error: unknown): void {
    if (this.closed) return;
    if (!this.endpoint) {
      settle(new McpError(ErrorCode.ConnectionClosed, `the SSE stream from ${this.url} ended before the endpoint event${error ? `: ${errorText(error)}` : ""}`));
      return;
    }
    // This transport cannot resume: the session is over.
    if (error) this.options.onerror?.(new Error(`SSE stream dropped: ${errorText(error)}`));
    this.closed = true;
    this.sink?.closed();
  }

  async send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    if (this.closed) throw new McpError(ErrorCode.ConnectionClosed, "Transport closed");
    const endpoint = this.endpoint;
    if (!endpoint) throw new McpError(ErrorCode.ConnectionClosed, "Not connected: no endpoint yet");
    const ids = requestIdsOf(Array.isArray(message) ? message : [message]);
    let failure: { message: string; data: HttpErrorData; body?: string } | undefined;
    try {
      const headers = await buildHeaders(this.options.headers, { "content-type": "application/json" });
      const response = await this.fetchFn(endpoint, { method: "POST", headers, body: JSON.stringify(message), signal: this.abort.signal });
      if (response.ok) {
        // 202 Accepted: the reply, if any, comes on the GET stream.
        await response.body?.cancel().catch(() => {});
        return;
      }
      const body = await response.text().catch(() => "");
      failure = { message: `HTTP ${response.status} from POST ${endpoint}${body ? `: ${body.slice(0, 500)}` : ""}`, data: { httpStatus: response.status, body: body.slice(0, 4096) }, body };
    } catch (error) {
      if (this.closed) return;
      failure = { message: `POST ${endpoint} failed: ${errorText(error)}`, data: {} };
    }
    if (ids.length === 0) throw new McpError(ErrorCode.ConnectionClosed, failure.message, failure.data);
    for (const id of ids) this.sink?.message(failureFor(id, failure.message, failure.data, failure.body));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort(new McpError(ErrorCode.ConnectionClosed, "Transport closed"));
    this.sink?.closed();
  }
}
