/**
 * Helpers for the server-side HTTP tests: the kitchen-sink fixture served over HTTP
 * as a child process, the official SDK client connected to it, raw MCP requests
 * (Web `Request`s, for `handler.fetch` in-process or `fetch` over a socket), and an
 * SSE reader built on `eventsource-parser` (the parser the SDK client itself uses).
 * Every wait is for an event: a line of stderr, an SSE event, a response, an exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { Client, type ClientOptions } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, type StreamableHTTPReconnectionOptions } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { McpServer, type Context, type LoggingLevel } from "../../runtime/src/index.js";
import { Inbox, fixtureCommand, repoRoot, type ExitInfo, type Wire } from "./helpers.js";

export const ACCEPT_BOTH = "application/json, text/event-stream";
export const LATEST = "2025-11-25";

// ---------------------------------------------------------------- the fixture over HTTP

/** The kitchen-sink (or another fixture) serving `--http 0 ...args` on 127.0.0.1. */
export class HttpFixture {
  stderr = "";
  exitInfo?: ExitInfo;
  readonly exited: Promise<ExitInfo>;
  private readonly stderrLines = new Inbox<string>();

  private constructor(
    readonly child: ChildProcess,
    /** Filled in once the server says where it listens. */
    public url = "",
  ) {
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (s: string) => {
      this.stderr += s;
      this.stderrLines.push(s);
    });
    this.exited = new Promise((resolve) => {
      child.once("close", (code, signal) => {
        this.exitInfo = { code, signal };
        this.stderrLines.fail(new Error(`the server exited (code ${code}, signal ${signal}); stderr:\n${this.stderr}`));
        resolve(this.exitInfo);
      });
    });
  }

  static async start(args: string[] = [], options: { fixture?: string; env?: Record<string, string> } = {}): Promise<HttpFixture> {
    const { command, args: argv } = fixtureCommand(options.fixture ?? "kitchen-sink.ts", ["--http", "0", ...args]);
    const child = spawn(command, argv, { cwd: repoRoot, env: { ...process.env, ...options.env }, stdio: ["ignore", "ignore", "pipe"] });
    const fixture = new HttpFixture(child);
    await fixture.waitForStderr(/listening on (http:\/\/\S+)/);
    fixture.url = /listening on (http:\/\/\S+)/.exec(fixture.stderr)![1]!;
    return fixture;
  }

  /** `http://127.0.0.1:<port>` */
  get origin(): string {
    return new URL(this.url).origin;
  }

  async waitForStderr(pattern: RegExp): Promise<void> {
    if (pattern.test(this.stderr)) return;
    await this.stderrLines.waitFor(() => pattern.test(this.stderr), `stderr matching ${pattern}`);
  }

  /** SIGTERM (graceful shutdown) and the exit. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<ExitInfo> {
    if (!this.exitInfo) this.child.kill(signal);
    return this.exited;
  }
}

// ---------------------------------------------------------------- fetch with a log

export interface FetchRecord {
  method: string;
  url: string;
  requestHeaders: Headers;
  /** The request body, when it was a string. */
  body?: string;
  status: number;
  headers: Headers;
}

/** A fetch that logs every exchange (once its response headers arrive). */
export function recordingFetch(log: Inbox<FetchRecord>): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const response = await fetch(input, init);
    log.push({
      method: request.method,
      url: request.url,
      requestHeaders: request.headers,
      body: typeof init?.body === "string" ? init.body : undefined,
      status: response.status,
      headers: response.headers,
    });
    return response;
  };
}

// ---------------------------------------------------------------- the official SDK client over HTTP

export interface SdkHttpConnection {
  client: Client;
  transport: StreamableHTTPClientTransport | SSEClientTransport;
  /** Every server notification the client received, in order. */
  notifications: Inbox<{ method: string; params?: any }>;
  /** Every HTTP exchange the transport made. */
  http: Inbox<FetchRecord>;
  /** Errors the transport reported (`onerror`). */
  errors: Inbox<Error>;
  close(): Promise<void>;
}

/**
 * The official SDK client over Streamable HTTP (`kind: "streamable"`, to the endpoint)
 * or the deprecated HTTP+SSE transport (`kind: "sse"`, to `/sse`).
 */
export async function connectSdkHttp(
  url: string,
  options: {
    kind?: "streamable" | "sse";
    client?: ClientOptions;
    setup?: (client: Client) => void;
    reconnectionOptions?: StreamableHTTPReconnectionOptions;
  } = {},
): Promise<SdkHttpConnection> {
  const http = new Inbox<FetchRecord>();
  const errors = new Inbox<Error>();
  const f = recordingFetch(http);
  const transport =
    options.kind === "sse"
      ? new SSEClientTransport(new URL(url), { fetch: f, eventSourceInit: { fetch: f } })
      : new StreamableHTTPClientTransport(new URL(url), { fetch: f, reconnectionOptions: options.reconnectionOptions });
  const client = new Client({ name: "sdk-http-test-client", version: "1.0.0" }, options.client);
  const notifications = new Inbox<{ method: string; params?: any }>();
  client.fallbackNotificationHandler = async (n) => notifications.push(n as { method: string; params?: any });
  options.setup?.(client);
  client.onerror = (e) => errors.push(e);
  client.onclose = () => notifications.fail(new Error("the client connection closed"));
  await client.connect(transport);
  return { client, transport, notifications, http, errors, close: () => client.close() };
}

// ---------------------------------------------------------------- raw requests

export type Fetcher = (request: Request) => Promise<Response>;

export interface PostOptions {
  sessionId?: string;
  version?: string;
  accept?: string | null;
  contentType?: string | null;
  headers?: Record<string, string>;
}

/** A Web Request with the Host header of its URL (a platform adds one; `new Request` does not). */
export function webRequest(url: string, init: Omit<RequestInit, "headers"> & { headers?: Record<string, string> } = {}): Request {
  const headers: Record<string, string> = { host: new URL(url).host, ...init.headers };
  return new Request(url, { ...init, headers });
}

export function mcpHeaders(options: PostOptions = {}, post = true): Record<string, string> {
  const h: Record<string, string> = {};
  if (options.accept !== null) h.accept = options.accept ?? (post ? ACCEPT_BOTH : "text/event-stream");
  if (post && options.contentType !== null) h["content-type"] = options.contentType ?? "application/json";
  if (options.sessionId !== undefined) h["mcp-session-id"] = options.sessionId;
  if (options.version !== undefined) h["mcp-protocol-version"] = options.version;
  return { ...h, ...options.headers };
}

export function post(url: string, body: unknown, options: PostOptions = {}): Request {
  return webRequest(url, { method: "POST", headers: mcpHeaders(options), body: typeof body === "string" ? body : JSON.stringify(body) });
}

export function get(url: string, options: PostOptions & { lastEventId?: string; signal?: AbortSignal } = {}): Request {
  const headers = mcpHeaders(options, false);
  if (options.lastEventId !== undefined) headers["last-event-id"] = options.lastEventId;
  return webRequest(url, { method: "GET", headers, signal: options.signal });
}

export const initBody = (id: string | number = 1, version = LATEST, capabilities: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion: version, capabilities, clientInfo: { name: "raw-http", version: "0.0.1" } },
});

export const request = (id: string | number, method: string, params?: Record<string, unknown>) =>
  params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params };

export const notification = (method: string, params?: Record<string, unknown>) =>
  params === undefined ? { jsonrpc: "2.0", method } : { jsonrpc: "2.0", method, params };

export const callTool = (id: string | number, name: string, args: Record<string, unknown> = {}, meta?: Record<string, unknown>) =>
  request(id, "tools/call", meta ? { name, arguments: args, _meta: meta } : { name, arguments: args });

// ---------------------------------------------------------------- SSE

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export const isMessageEvent = (e: SseEvent) => e.data !== "" && (e.event === undefined || e.event === "message");

/**
 * Reads an SSE response body in the background with the SDK's own parser
 * (`eventsource-parser`); events arrive in `events`, `ended` settles when the stream
 * ends (`"end"`) or fails (`"error"`).
 */
export class SseReader {
  readonly events = new Inbox<SseEvent>();
  readonly retries: number[] = [];
  readonly ended: Promise<"end" | "error">;
  private readonly reader: ReadableStreamDefaultReader<SseEvent>;

  constructor(readonly response: Response) {
    if (!response.body) throw new Error(`no body (status ${response.status})`);
    const reader = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream({ onRetry: (ms) => this.retries.push(ms) }))
      .getReader() as ReadableStreamDefaultReader<SseEvent>;
    this.reader = reader;
    this.ended = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          this.events.push({ id: value.id, event: value.event, data: value.data });
        }
        this.events.fail(new Error("the SSE stream ended"));
        return "end" as const;
      } catch (error) {
        this.events.fail(new Error(`the SSE stream failed: ${(error as Error).message}`));
        return "error" as const;
      }
    })();
  }

  /** JSON-RPC messages carried so far (`message` events with data). */
  messages(): Wire[] {
    return this.events.items.filter(isMessageEvent).map((e) => JSON.parse(e.data) as Wire);
  }

  /** The first message matching `pred` (waits for it). */
  async message(pred: (m: Wire) => boolean, what = "a message"): Promise<Wire> {
    const e = await this.events.waitFor((e) => isMessageEvent(e) && pred(JSON.parse(e.data)), what);
    return JSON.parse(e.data) as Wire;
  }

  /** The reply carrying `id`. */
  reply(id: unknown): Promise<Wire> {
    return this.message((m) => m.method === undefined && m.id === id, `the reply to ${JSON.stringify(id)}`);
  }

  /** Disconnects (cancels the body), as a client that goes away. */
  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }

  /** Every event once the stream has ended. */
  async all(): Promise<SseEvent[]> {
    await this.ended;
    return this.events.items;
  }
}

/** The JSON-RPC reply to a POST, whether it came as JSON or on an SSE stream. */
export async function replyOf(response: Response, id?: unknown): Promise<Wire> {
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("application/json")) return (await response.json()) as Wire;
  if (!type.startsWith("text/event-stream")) throw new Error(`unexpected content-type '${type}' (status ${response.status})`);
  const sse = new SseReader(response);
  const reply = id === undefined ? await sse.message((m) => m.method === undefined) : await sse.reply(id);
  await sse.cancel();
  return reply;
}

/** Initializes a session over `fetcher` and sends `initialized`; returns the session id. */
export async function openSession(
  fetcher: Fetcher,
  url: string,
  version = LATEST,
  capabilities: Record<string, unknown> = {},
): Promise<{ sessionId: string; result: any; response: Response }> {
  const response = await fetcher(post(url, initBody("init", version, capabilities)));
  if (response.status !== 200) throw new Error(`initialize: HTTP ${response.status} ${await response.text()}`);
  const sessionId = response.headers.get("mcp-session-id");
  const reply = await replyOf(response, "init");
  if (reply.error) throw new Error(`initialize failed: ${JSON.stringify(reply.error)}`);
  const ack = await fetcher(post(url, notification("notifications/initialized"), { sessionId: sessionId ?? undefined, version }));
  if (ack.status !== 202) throw new Error(`initialized: HTTP ${ack.status}`);
  return { sessionId: sessionId!, result: reply.result, response };
}

/** The JSON-RPC error body of an HTTP error response. */
export async function errorOf(response: Response): Promise<{ code: number; message: string }> {
  const body = (await response.json()) as Wire;
  return body.error!;
}

/** A promise and the function that resolves it, for tests that release steps. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

// ---------------------------------------------------------------- an in-process server driven by the test

/**
 * Points a handler stops at until the test opens them: `wait(key)` (in a handler)
 * resolves once `open(key)` is called, before or after; `reached` says who waits.
 */
export class Gates {
  readonly reached = new Inbox<string>();
  private readonly waiting = new Map<string, () => void>();
  private readonly opened = new Set<string>();

  wait(key: string): Promise<void> {
    if (this.opened.delete(key)) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.set(key, resolve);
      this.reached.push(key);
    });
  }

  open(key: string): void {
    const resolve = this.waiting.get(key);
    if (resolve) {
      this.waiting.delete(key);
      resolve();
    } else {
      this.opened.add(key);
    }
  }

  /** Waits until a handler stops at `key`. */
  async until(key: string): Promise<void> {
    await this.reached.waitFor((k) => k === key, `a handler at gate ${key}`);
  }
}

/**
 * A small server for in-process HTTP tests. Tools:
 *  echo {message}; info (what the context knows); log {level, text};
 *  steps {n, key}: for i in 1..n waits at gate `${key}.${i}`, then reports progress i
 *    and logs {step: i}; returns "did n steps";
 *  hold {key}: progress 0, then waits for gate `key` or a cancel;
 *  poll {key}: progress 1, closes its SSE stream (ctx.closeSseStream), waits at gate
 *    `key`, progress 2, returns "polled";
 *  notify {uri}: notifyResourceUpdated; toggle {enabled}: enables the `extra` tool.
 * Resource mem://greeting (subscribable).
 */
export function makeTestServer(gates = new Gates(), options: { onerror?: (e: Error) => void } = {}): McpServer {
  const server = new McpServer({ name: "http-test", version: "1.0.0" }, { onerror: options.onerror });
  server.tool<{ message: string }>({
    name: "echo",
    description: "Echoes",
    inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
    handler: ({ message }) => message,
  });
  server.tool({
    name: "info",
    description: "What the context knows",
    handler: (_a, ctx: Context) =>
      JSON.stringify({ sessionId: ctx.sessionId ?? null, protocolVersion: ctx.protocolVersion, clientCapabilities: ctx.clientCapabilities, clientInfo: ctx.clientInfo ?? null }),
  });
  server.tool<{ level: LoggingLevel; text: string }>({
    name: "log",
    description: "Logs once",
    inputSchema: { type: "object", properties: { level: { type: "string" }, text: { type: "string" } }, required: ["level", "text"] },
    handler: async ({ level, text }, ctx: Context) => {
      await ctx.log[level](text, "test");
      return "logged";
    },
  });
  server.tool<{ n: number; key: string }>({
    name: "steps",
    description: "Progress in steps the test releases",
    inputSchema: { type: "object", properties: { n: { type: "integer" }, key: { type: "string" } }, required: ["n", "key"] },
    handler: async ({ n, key }, ctx: Context) => {
      for (let i = 1; i <= n; i++) {
        await gates.wait(`${key}.${i}`);
        await ctx.progress(i, n);
        await ctx.log.info({ step: i }, "steps");
      }
      return `did ${n} steps`;
    },
  });
  server.tool<{ key: string }>({
    name: "hold",
    description: "Waits for a gate or a cancel",
    inputSchema: { type: "object", properties: { key: { type: "string" } }, required: ["key"] },
    handler: async ({ key }, ctx: Context) => {
      await ctx.progress(0, 1);
      await Promise.race([gates.wait(key), new Promise((resolve) => ctx.signal.addEventListener("abort", resolve))]);
      return ctx.signal.aborted ? "aborted" : "released";
    },
  });
  server.tool<{ key: string }>({
    name: "poll",
    description: "Closes its SSE stream mid-call",
    inputSchema: { type: "object", properties: { key: { type: "string" } }, required: ["key"] },
    handler: async ({ key }, ctx: Context) => {
      await ctx.progress(1, 2);
      ctx.closeSseStream();
      await gates.wait(key);
      await ctx.progress(2, 2);
      return "polled";
    },
  });
  server.tool<{ uri: string }>({
    name: "notify",
    description: "Says a resource changed",
    inputSchema: { type: "object", properties: { uri: { type: "string" } }, required: ["uri"] },
    handler: async ({ uri }, ctx: Context) => {
      await ctx.notifyResourceUpdated(uri);
      return "notified";
    },
  });
  const extra = server.tool({ name: "extra", description: "Toggled", enabled: false, handler: () => "extra" });
  server.tool<{ enabled: boolean }>({
    name: "toggle",
    description: "Enables or disables 'extra'",
    inputSchema: { type: "object", properties: { enabled: { type: "boolean" } }, required: ["enabled"] },
    handler: ({ enabled }) => {
      if (enabled) extra.enable();
      else extra.disable();
      return String(enabled);
    },
  });
  server.resource({ name: "greeting", uri: "mem://greeting", subscribe: true, read: () => "Hello" });
  return server;
}
