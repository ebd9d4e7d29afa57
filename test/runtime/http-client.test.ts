/**
 * The HTTP client transports: the SSE parser on its own (every WHATWG edge case, every
 * chunk boundary), Streamable HTTP and deprecated HTTP+SSE against the reference
 * server (`@modelcontextprotocol/server-everything`, bound to 127.0.0.1), fallback
 * detection, and resumption / failure handling against small scripted node:http
 * servers. Every wait is for an event (a line of output, a request, a message).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  McpClient,
  type CreateMessageParams,
  type ElicitationRequest,
  type ElicitResult,
  type LogMessage,
  type Progress,
  type Root,
} from "../../runtime/src/index.js";
import { SseParser, readSseEvents, type SseEvent } from "../../runtime/src/transports/sse-parser.js";
import { StreamableHttpClientTransport } from "../../runtime/src/transports/http-client.js";
import { SseClientTransport } from "../../runtime/src/transports/legacy-sse-client.js";
import { connectWithFallback } from "../../runtime/src/transports/connect-http.js";
import { Inbox, repoRoot } from "./helpers.js";

const everything = fileURLToPath(new URL("../../node_modules/@modelcontextprotocol/server-everything/dist/index.js", import.meta.url));
const text = (r: { content: unknown[] }, i = 0) => (r.content[i] as { text: string }).text;
const clientInfo = { name: "mcpgen-http-test-client", version: "1.0.0" };

// ---------------------------------------------------------------- SSE parser

function parseAll(chunks: string[]): { events: SseEvent[]; parser: SseParser } {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  for (const c of chunks) parser.feed(c);
  parser.end();
  return { events, parser };
}
const parse = (s: string) => parseAll([s]).events;

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
}
async function collect(stream: ReadableStream<Uint8Array>): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const e of readSseEvents(stream)) events.push(e);
  return events;
}

describe("SseParser", () => {
  test("fields, default type, multi-line data, one leading space dropped", () => {
    assert.deepEqual(parse("data: hello\n\nevent: ping\ndata:a\ndata:  b\ndata\n\n"), [
      { event: "message", data: "hello", id: "" },
      { event: "ping", data: "a\n b\n", id: "" },
    ]);
  });

  test("CR, LF and CRLF line endings, mixed", () => {
    const expected = [
      { event: "x", data: "1\n2", id: "" },
      { event: "message", data: "3", id: "" },
    ];
    assert.deepEqual(parse("event: x\rdata: 1\r\ndata: 2\n\r\ndata: 3\r\r"), expected);
    assert.deepEqual(parse("event: x\r\ndata: 1\r\ndata: 2\r\n\r\ndata: 3\r\n\r\n"), expected);
    assert.deepEqual(parse("event: x\ndata: 1\ndata: 2\n\ndata: 3\n\n"), expected);
    // CR then LF is one line end, but LF then CR is two.
    assert.deepEqual(parse("data: a\n\rdata: b\r\n\n"), [{ event: "message", data: "a", id: "" }, { event: "message", data: "b", id: "" }]);
  });

  test("comments are ignored; unknown fields too; a field without a colon has an empty value", () => {
    assert.deepEqual(parse(": keep-alive\n:\nfoo: bar\ndata\ndata\n\n"), [{ event: "message", data: "\n", id: "" }]);
    assert.deepEqual(parse(": only a comment\n\n"), []);
  });

  test("a leading BOM is dropped once; elsewhere it is data", () => {
    assert.deepEqual(parse("\uFEFFdata: a\n\n"), [{ event: "message", data: "a", id: "" }]);
    // A second BOM makes the first line's field name "\uFEFFdata", which is unknown.
    assert.deepEqual(parse("\uFEFF\uFEFFdata: a\n\ndata: \uFEFFb\n\n"), [{ event: "message", data: "\uFEFFb", id: "" }]);
    assert.deepEqual(parseAll(["", "\uFEFF", "data: a\n\n"]).events, [{ event: "message", data: "a", id: "" }]);
  });

  test("id persists across events, an empty id resets it, an id with NUL is ignored", () => {
    const { events, parser } = parseAll(["id: 1\ndata: a\n\ndata: b\n\nid: 2\0x\ndata: c\n\nid\ndata: d\n\nid: 7\n\n"]);
    assert.deepEqual(events.map((e) => e.id), ["1", "1", "1", ""]);
    // A block with no data fires nothing, but its id still becomes the last event id.
    assert.equal(events.length, 4);
    assert.equal(parser.lastEventId, "7");
  });

  test("retry takes ASCII digits only", () => {
    const retries = (s: string) => parseAll([s]).parser.retry;
    assert.equal(retries("retry: 1500\n\n"), 1500);
    assert.equal(retries("retry:0\n\n"), 0);
    for (const bad of ["retry: 1.5\n\n", "retry: -1\n\n", "retry:  10\n\n", "retry: 10ms\n\n", "retry:\n\n", "retry: ١٢\n\n"]) {
      assert.equal(retries(bad), undefined, bad);
    }
    const { events } = parseAll(["retry: 10\ndata: a\n\nretry: x\ndata: b\n\n"]);
    assert.deepEqual(events.map((e) => e.retry), [10, 10]);
  });

  test("an empty data line is an event (MCP's priming event); no data line is none", () => {
    assert.deepEqual(parse("id: p\nretry: 5\ndata: \n\n"), [{ event: "message", data: "", id: "p", retry: 5 }]);
    assert.deepEqual(parse("event: x\n\n"), []);
    // The event type does not leak into the next event.
    assert.deepEqual(parse("event: x\n\ndata: y\n\n"), [{ event: "message", data: "y", id: "" }]);
  });

  test("end of stream: an unterminated event is discarded, as is a final unterminated line", () => {
    assert.deepEqual(parse("data: a\n\ndata: b\n"), [{ event: "message", data: "a", id: "" }]);
    assert.deepEqual(parse("data: a\n\ndata: b"), [{ event: "message", data: "a", id: "" }]);
  });

  test("resume() seeds the id and retry of a reconnected stream", () => {
    const events: SseEvent[] = [];
    new SseParser((e) => events.push(e)).resume("41", 9).feed("data: x\n\n");
    assert.deepEqual(events, [{ event: "message", data: "x", id: "41", retry: 9 }]);
  });

  const sample =
    "\uFEFF: hi\r\nretry: 250\r\nid: é-1\r\nevent: update\r\ndata: {\"a\":\"héllo 😀\"}\r\ndata: second line\r\n\r\n" +
    "data: plain\n\nid: x\0y\rdata: 中文\r\rdata:\n\n:\ndata: last\r\n\r\n";

  test("every chunk boundary over the text (including CR|LF) gives the same events", () => {
    const whole = parse(sample);
    assert.deepEqual(whole, [
      { event: "update", data: '{"a":"héllo 😀"}\nsecond line', id: "é-1", retry: 250 },
      { event: "message", data: "plain", id: "é-1", retry: 250 },
      { event: "message", data: "中文", id: "é-1", retry: 250 },
      { event: "message", data: "", id: "é-1", retry: 250 },
      { event: "message", data: "last", id: "é-1", retry: 250 },
    ]);
    for (let i = 0; i <= sample.length; i++) {
      assert.deepEqual(parseAll([sample.slice(0, i), sample.slice(i)]).events, whole, `split at ${i}`);
    }
    assert.deepEqual(parseAll([...sample]).events, whole, "one UTF-16 unit at a time");
  });

  test("every byte boundary through readSseEvents (TextDecoder, streaming) gives the same events", async () => {
    const whole = parse(sample);
    const bytes = new TextEncoder().encode(sample);
    for (let i = 0; i <= bytes.length; i++) {
      assert.deepEqual(await collect(streamOf([bytes.slice(0, i), bytes.slice(i)])), whole, `split at byte ${i}`);
    }
    assert.deepEqual(await collect(streamOf([...bytes].map((b) => Uint8Array.of(b)))), whole, "one byte at a time");
  });

  test("a large data line in many chunks", () => {
    const big = "x".repeat(1 << 20);
    const chunks = ["data: "];
    for (let i = 0; i < big.length; i += 1000) chunks.push(big.slice(i, i + 1000));
    chunks.push("\n\n");
    const { events } = parseAll(chunks);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.data.length, big.length);
  });

  test("breaking out of readSseEvents cancels the stream", async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode("data: 1\n\ndata: 2\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const e of readSseEvents(stream)) {
      assert.equal(e.data, "1");
      break;
    }
    assert.equal(cancelled, true);
  });
});

// ---------------------------------------------------------------- server-everything

/** A port that was free a moment ago (the reference server takes its port from PORT). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * server-everything calls `app.listen(PORT)`, which binds every interface. This
 * preload makes a listen on a bare port bind 127.0.0.1 instead.
 */
const LOOPBACK_PRELOAD =
  "data:text/javascript," +
  encodeURIComponent(
    'import net from "node:net"; const listen = net.Server.prototype.listen;' +
      "net.Server.prototype.listen = function (...a) {" +
      '  if ((typeof a[0] === "number" || (typeof a[0] === "string" && /^\\d+$/.test(a[0]))) && typeof a[1] !== "string") a.splice(1, 0, "127.0.0.1");' +
      "  return listen.apply(this, a); };",
  );

interface Everything {
  base: string;
  child: ChildProcess;
  /** stdout and stderr lines, as they come. */
  lines: Inbox<string>;
  stop(): Promise<void>;
}

async function startEverything(mode: "streamableHttp" | "sse"): Promise<Everything> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", LOOPBACK_PRELOAD, everything, mode], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = new Inbox<string>();
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (s: string) => {
      const parts = (partial + s).split("\n");
      partial = parts.pop()!;
      for (const line of parts) lines.push(line);
    });
  }
  child.once("close", (code, signal) => lines.fail(new Error(`server-everything exited (${code ?? signal}):\n${lines.items.join("\n")}`)));
  await lines.waitFor((l) => /listening on port|running on port/.test(l), "the server's listening line");
  return {
    base: `http://127.0.0.1:${port}`,
    child,
    lines,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

for (const mode of ["streamableHttp", "sse"] as const) {
  describe(`McpClient → server-everything over ${mode === "sse" ? "HTTP+SSE (deprecated)" : "Streamable HTTP"}`, { timeout: 60_000 }, () => {
    let server: Everything;
    let client: McpClient;
    let transport: StreamableHttpClientTransport | SseClientTransport;
    const logs = new Inbox<LogMessage>();
    const notifications = new Inbox<{ method: string; params: Record<string, unknown> }>();
    const samplings: CreateMessageParams[] = [];
    const elicitations: ElicitationRequest[] = [];
    const transportErrors: Error[] = [];
    let elicitReply: ElicitResult = { action: "cancel" };
    let roots: Root[] = [{ uri: "file:///work/project", name: "project" }];
    const url = () => (mode === "sse" ? `${server.base}/sse` : `${server.base}/mcp`);

    before(async () => {
      server = await startEverything(mode);
      client = new McpClient(clientInfo, {
        onSampling: async (params) => {
          samplings.push(params);
          return { role: "assistant", content: { type: "text", text: "sampled answer" }, model: "stub-model", stopReason: "endTurn" };
        },
        onElicitation: async (params) => {
          elicitations.push(params);
          return elicitReply;
        },
        roots: () => roots,
        onLog: (m) => logs.push(m),
        onNotification: (method, params) => notifications.push({ method, params }),
        timeoutMs: 20_000,
      });
      const onerror = (e: Error) => transportErrors.push(e);
      transport = mode === "sse" ? new SseClientTransport(url(), { onerror }) : new StreamableHttpClientTransport(url(), { onerror });
      const init = await client.connect(transport);
      assert.equal(init.protocolVersion, "2025-11-25");
    });

    after(async () => {
      await client?.close();
      await server?.stop();
    });

    test("initialize: server info and a session id", () => {
      assert.equal(client.serverInfo?.name, "mcp-servers/everything");
      assert.match(transport.sessionId ?? "", /^[0-9a-f-]{36}$/);
      if (transport instanceof StreamableHttpClientTransport) assert.equal(transport.protocolVersion, "2025-11-25");
      else assert.equal(transport.endpointUrl?.pathname, "/message");
    });

    test("the server asks for our roots on its own stream, and logs the answer", async () => {
      // Streamable HTTP: this request and log arrive on the standalone GET stream.
      const log = await logs.waitFor((m) => String(m.data).startsWith("Roots updated"), "the roots log");
      assert.equal(log.data, "Roots updated: 1 root(s) received from client");
    });

    test("tools: list (all pages) and call; a 1 MB echo", async () => {
      const names = (await client.listTools()).map((t) => t.name);
      for (const n of ["echo", "get-sum", "trigger-long-running-operation", "trigger-sampling-request", "trigger-elicitation-request", "toggle-simulated-logging"]) {
        assert.ok(names.includes(n), `${n} in ${names}`);
      }
      assert.equal(text(await client.callTool("echo", { message: "hello" })), "Echo: hello");
      assert.equal(text(await client.callTool("get-sum", { a: 2, b: 3 })), "The sum of 2 and 3 is 5.");
      const message = "0123456789abcdef".repeat(65536);
      assert.equal(text(await client.callTool("echo", { message })), `Echo: ${message}`);
    });

    test("progress on a long-running call, and cancelling one", async () => {
      const seen: Progress[] = [];
      const done = await client.callTool("trigger-long-running-operation", { duration: 0.05, steps: 3 }, { onprogress: (p) => seen.push(p) });
      assert.match(text(done), /Long running operation completed/);
      assert.deepEqual(seen.map((p) => [p.progress, p.total]), [[1, 3], [2, 3], [3, 3]]);

      const controller = new AbortController();
      let first!: () => void;
      const progressed = new Promise<void>((resolve) => (first = resolve));
      const call = client.callTool("trigger-long-running-operation", { duration: 1, steps: 20 }, { signal: controller.signal, onprogress: () => first() });
      await progressed;
      controller.abort(new Error("stop it"));
      await assert.rejects(call, /stop it/);
      assert.deepEqual(await client.ping(), {});
    });

    test("resources and prompts: list and read", async () => {
      const resources = await client.listResources();
      assert.ok(resources.length > 0);
      const read = await client.readResource(resources[0]!.uri);
      assert.equal(read.contents[0]!.uri, resources[0]!.uri);
      const dynamic = await client.readResource("demo://resource/dynamic/text/1");
      assert.match((dynamic.contents[0] as { text: string }).text, /^Resource 1: /);
      assert.equal((await client.listResourceTemplates()).length, 2);
      const prompts = await client.listPrompts();
      assert.ok(prompts.some((p) => p.name === "args-prompt"));
      const got = await client.getPrompt("args-prompt", { city: "Paris", state: "Texas" });
      assert.equal((got.messages[0]!.content as { text: string }).text, "What's weather in Paris, Texas?");
      await assert.rejects(client.readResource("demo://nothing/here"), (e: any) => e.code === -32602 || e.code === -32002);
    });

    test("sampling and elicitation: the server's requests mid-call, our replies POSTed back", async () => {
      const r = await client.callTool("trigger-sampling-request", { prompt: "What is MCP?", maxTokens: 42 });
      assert.match(text(r), /sampled answer/);
      assert.equal(samplings.at(-1)!.maxTokens, 42);
      elicitReply = { action: "accept", content: { name: "Ada Lovelace", check: true } };
      const accepted = await client.callTool("trigger-elicitation-request");
      assert.match(text(accepted), /User provided the requested information/);
      assert.ok(elicitations.at(-1)!.requestedSchema);
      elicitReply = { action: "decline" };
      assert.match(text(await client.callTool("trigger-elicitation-request")), /declined/);
    });

    test("logging: level, and the server's own log messages", async () => {
      assert.deepEqual(await client.setLoggingLevel("debug"), {});
      const from = logs.items.length;
      const started = await client.callTool("toggle-simulated-logging");
      assert.match(text(started), /Started simulated/);
      const sid = transport.sessionId!;
      await logs.waitFor((m) => String(m.data).endsWith(`SessionId ${sid}`), "a simulated log message", from);
      assert.match(text(await client.callTool("toggle-simulated-logging")), /Stopped simulated logging/);
    });

    test("roots list_changed and resources/updated", async () => {
      roots = [...roots, { uri: "file:///work/docs", name: "docs" }];
      const from = logs.items.length;
      await client.sendRootsListChanged();
      await logs.waitFor((m) => m.data === "Roots updated: 2 root(s) received from client", "the second roots log", from);
      const uri = "demo://resource/dynamic/text/1";
      await client.subscribeResource(uri);
      const n = notifications.items.length;
      await client.callTool("toggle-subscriber-updates");
      await notifications.waitFor((x) => x.method === "notifications/resources/updated" && x.params.uri === uri, "resources/updated", n);
      await client.callTool("toggle-subscriber-updates");
    });

    test(`connectWithFallback picks ${mode === "sse" ? '"sse"' : '"streamable-http"'}`, async () => {
      const other = new McpClient(clientInfo, { timeoutMs: 20_000 });
      const { kind, transport: t, result } = await connectWithFallback(other, url());
      try {
        assert.equal(kind, mode === "sse" ? "sse" : "streamable-http");
        assert.ok(mode === "sse" ? t instanceof SseClientTransport : t instanceof StreamableHttpClientTransport);
        assert.equal(result.protocolVersion, "2025-11-25");
        assert.equal(text(await other.callTool("echo", { message: "via fallback" })), "Echo: via fallback");
      } finally {
        await other.close();
      }
    });

    test("close ends the session on the server", async () => {
      const sid = transport.sessionId!;
      await client.close();
      if (mode === "sse") {
        await server.lines.waitFor((l) => l.includes(`Client Disconnected:  ${sid}`) || l.includes(`Client Disconnected: ${sid}`), "the disconnect line");
      } else {
        await server.lines.waitFor((l) => l === `Received session termination request for session ${sid}`, "the DELETE line");
        assert.equal(transport.sessionId, undefined);
        // The session is gone: server-everything says 400 (the spec asks for 404).
        const r = await fetch(url(), {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
        });
        await r.body?.cancel();
        assert.equal(r.status, 400);
      }
      assert.deepEqual(transportErrors.map((e) => e.message), []);
    });
  });
}

// ---------------------------------------------------------------- scripted servers

interface Req {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}
type Handler = (req: Req, res: http.ServerResponse) => void;

/** A node:http server on 127.0.0.1 that records every request and answers via `handler`. */
async function scripted(handler: Handler) {
  const requests = new Inbox<Req>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const r: Req = { method: req.method!, headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
    requests.push(r);
    handler(r, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const SESSION = "sess-1";
const initResult = { protocolVersion: "2025-11-25", capabilities: { tools: {} }, serverInfo: { name: "scripted", version: "0" } };

function json(res: http.ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
function sseHead(res: http.ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "mcp-session-id": SESSION });
  res.flushHeaders();
}
const ev = (id: string | undefined, message: unknown, extra = "") => `${id !== undefined ? `id: ${id}\n` : ""}${extra}data: ${JSON.stringify(message)}\n\n`;
const progress = (token: unknown, n: number) => ({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: token, progress: n, total: 3 } });
const toolResult = (id: unknown, s: string) => ({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: s }] } });

/** Session plumbing every scripted server shares; `rest` handles what is left. */
function withSession(rest: Handler, options: { get?: Handler; del?: number } = {}): Handler {
  return (req, res) => {
    if (req.method === "POST" && req.body?.method === "initialize") return json(res, { jsonrpc: "2.0", id: req.body.id, result: initResult }, 200, { "mcp-session-id": SESSION });
    if (req.method === "POST" && (req.body?.method?.startsWith("notifications/") || "result" in (req.body ?? {}) || "error" in (req.body ?? {}))) {
      res.writeHead(202).end();
      return;
    }
    if (req.method === "DELETE") return void res.writeHead(options.del ?? 200).end();
    if (req.method === "GET" && !req.headers["last-event-id"] && !options.get) return void res.writeHead(405, { allow: "POST, DELETE" }).end();
    if (req.method === "GET" && options.get) return options.get(req, res);
    rest(req, res);
  };
}

async function connect(url: string, options: ConstructorParameters<typeof StreamableHttpClientTransport>[1] = {}, clientOptions: ConstructorParameters<typeof McpClient>[1] = {}) {
  const transport = new StreamableHttpClientTransport(url, { reconnect: { initialDelayMs: 1, maxRetries: 2 }, ...options });
  const client = new McpClient(clientInfo, { timeoutMs: 20_000, ...clientOptions });
  await client.connect(transport);
  return { client, transport };
}

describe("StreamableHttpClientTransport against scripted servers", { timeout: 30_000 }, () => {
  test("headers: Accept, Content-Type, session id and protocol version (not on initialize); JSON replies", async () => {
    const s = await scripted(withSession((req, res) => json(res, toolResult(req.body.id, "json reply"))));
    try {
      const { client, transport } = await connect(s.url, { headers: () => ({ authorization: "Bearer t0k", Accept: "text/plain" }) });
      assert.equal(transport.sessionId, SESSION);
      assert.equal(text(await client.callTool("x")), "json reply");
      await client.close();
      const posts = s.requests.filter((r) => r.method === "POST");
      const [init, initialized, call] = posts;
      for (const p of posts) {
        assert.equal(p.headers.accept, "application/json, text/event-stream");
        assert.equal(p.headers["content-type"], "application/json");
        assert.equal(p.headers.authorization, "Bearer t0k");
      }
      assert.equal(init!.headers["mcp-session-id"], undefined);
      assert.equal(init!.headers["mcp-protocol-version"], undefined);
      assert.equal(initialized!.body.method, "notifications/initialized");
      for (const p of [initialized!, call!]) {
        assert.equal(p.headers["mcp-session-id"], SESSION);
        assert.equal(p.headers["mcp-protocol-version"], "2025-11-25");
      }
      // The standalone GET was tried once (405: none offered), and close sent DELETE.
      assert.deepEqual(s.requests.items.filter((r) => r.method !== "POST").map((r) => r.method), ["GET", "DELETE"]);
      const del = s.requests.items.find((r) => r.method === "DELETE")!;
      assert.equal(del.headers["mcp-session-id"], SESSION);
    } finally {
      await s.close();
    }
  });

  for (const how of ["destroyed", "ended"] as const) {
    test(`resume: the POST's stream is ${how} mid-call; GET + Last-Event-ID gets the rest exactly once`, async () => {
      const s = await scripted(
        withSession((req, res) => {
          if (req.method === "POST") {
            const token = req.body.params._meta.progressToken;
            sseHead(res);
            // Priming event (id, retry, empty data), one event, then the connection goes.
            res.write(`id: e0\nretry: 5\ndata: \n\n${ev("e1", progress(token, 1))}`, () => (how === "destroyed" ? res.socket!.destroy() : res.end()));
            return;
          }
          // GET with Last-Event-ID: replay what followed e1.
          assert.equal(req.headers["last-event-id"], "e1");
          const call = s.requests.items.find((r) => r.body?.method === "tools/call")!.body;
          sseHead(res);
          res.end(ev("e2", progress(call.params._meta.progressToken, 2)) + ev("e3", toolResult(call.id, "resumed")));
        }),
      );
      try {
        const { client } = await connect(s.url);
        const seen: number[] = [];
        const r = await client.callTool("slow", {}, { onprogress: (p) => seen.push(p.progress) });
        assert.equal(text(r), "resumed");
        assert.deepEqual(seen, [1, 2]);
        const resumes = s.requests.filter((r) => r.method === "GET" && r.headers["last-event-id"] !== undefined);
        assert.equal(resumes.length, 1);
        assert.equal(resumes[0]!.headers["mcp-session-id"], SESSION);
        assert.equal(resumes[0]!.headers["mcp-protocol-version"], "2025-11-25");
        assert.equal(resumes[0]!.headers.accept, "text/event-stream");
        await client.close();
      } finally {
        await s.close();
      }
    });
  }

  test("resume: a resumed stream that drops again is resumed from the newer id", async () => {
    let token: unknown;
    let callId: unknown;
    const s = await scripted(
      withSession((req, res) => {
        sseHead(res);
        if (req.method === "POST") {
          token = req.body.params._meta.progressToken;
          callId = req.body.id;
          res.write(`id: a0\nretry: 1\ndata: \n\n`, () => res.socket!.destroy());
        } else if (req.headers["last-event-id"] === "a0") {
          res.write(ev("a1", progress(token, 1)), () => res.socket!.destroy());
        } else {
          assert.equal(req.headers["last-event-id"], "a1");
          res.end(ev("a2", toolResult(callId, "twice")));
        }
      }),
    );
    try {
      const { client } = await connect(s.url);
      const seen: number[] = [];
      assert.equal(text(await client.callTool("slow", {}, { onprogress: (p) => seen.push(p.progress) })), "twice");
      assert.deepEqual(seen, [1]);
      await client.close();
    } finally {
      await s.close();
    }
  });

  test("a dropped stream without event ids fails the request at once (it cannot be resumed)", async () => {
    const s = await scripted(
      withSession((req, res) => {
        sseHead(res);
        res.write(ev(undefined, progress(req.body.params._meta.progressToken, 1)), () => res.socket!.destroy());
      }),
    );
    try {
      const { client } = await connect(s.url);
      await assert.rejects(client.callTool("x", {}, { onprogress: () => {} }), (e: any) => e.code === -32000 && /cannot be resumed/.test(e.message));
      await client.close();
    } finally {
      await s.close();
    }
  });

  test("resumption gives up after maxRetries attempts without progress", async () => {
    const s = await scripted(
      withSession((req, res) => {
        if (req.method === "POST") {
          sseHead(res);
          res.write(`id: z0\ndata: \n\n`, () => res.socket!.destroy());
        } else {
          res.writeHead(503).end("busy");
        }
      }),
    );
    try {
      const { client } = await connect(s.url, { reconnect: { initialDelayMs: 1, growFactor: 2, maxRetries: 3 } });
      await assert.rejects(client.callTool("x"), (e: any) => e.code === -32000 && /gave up after 3 reconnection attempt/.test(e.message) && /HTTP 503/.test(e.message));
      assert.equal(s.requests.filter((r) => r.method === "GET" && r.headers["last-event-id"] === "z0").length, 3);
      await client.close();
    } finally {
      await s.close();
    }
  });

  test("HTTP errors fail the request promptly: status and body in the message; 404 means the session expired", async () => {
    let status = 500;
    const s = await scripted(withSession((_req, res) => void res.writeHead(status, { "content-type": "text/plain" }).end(status === 500 ? "kaboom" : "no such session")));
    try {
      const { client } = await connect(s.url);
      await assert.rejects(client.callTool("x"), (e: any) => e.code === -32000 && /HTTP 500/.test(e.message) && /kaboom/.test(e.message) && e.data.httpStatus === 500);
      status = 404;
      await assert.rejects(client.callTool("x"), (e: any) => e.code === -32000 && /session sess-1 has expired/.test(e.message) && e.data.httpStatus === 404);
      await client.close();
    } finally {
      await s.close();
    }
  });

  test("bad JSON in an event is a parse error; the stream goes on", async () => {
    const s = await scripted(
      withSession((req, res) => {
        sseHead(res);
        res.end(`id: b0\ndata: {not json\n\n${ev("b1", toolResult(req.body.id, "after the bad one"))}`);
      }),
    );
    try {
      const { client } = await connect(s.url);
      assert.equal(text(await client.callTool("x")), "after the bad one");
      // The engine answers a parse error with -32700, POSTed back to the server.
      await s.requests.waitFor((r) => r.method === "POST" && r.body?.error?.code === -32700, "the -32700 report");
      await client.close();
    } finally {
      await s.close();
    }
  });

  test("standalone GET stream: server messages arrive, a drop is resumed with Last-Event-ID; DELETE 405 is fine", async () => {
    const log = (n: number) => ({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: `log ${n}` } });
    const s = await scripted(
      withSession(() => assert.fail("no other request expected"), {
        del: 405,
        get: (req, res) => {
          sseHead(res);
          if (req.headers["last-event-id"] === undefined) res.write(ev("g1", log(1)), () => res.socket!.destroy());
          else {
            assert.equal(req.headers["last-event-id"], "g1");
            res.write(ev("g2", log(2)) + ": keep-alive\n\n"); // and stays open
          }
        },
      }),
    );
    try {
      const logs = new Inbox<LogMessage>();
      const { client, transport } = await connect(s.url, {}, { onLog: (m) => logs.push(m) });
      await logs.waitFor((m) => m.data === "log 2", "the second log");
      assert.deepEqual(logs.items.map((m) => m.data), ["log 1", "log 2"]);
      await client.close();
      assert.equal(transport.sessionId, undefined);
      assert.ok(s.requests.items.some((r) => r.method === "DELETE"));
    } finally {
      await s.close();
    }
  });

  test("options: no standalone stream, no DELETE on close; terminateSession() on demand; resuming a known session", async () => {
    const s = await scripted(withSession((req, res) => json(res, toolResult(req.body.id, "ok"))));
    try {
      const { client, transport } = await connect(s.url, { openStandaloneStream: false, terminateOnClose: false });
      assert.equal(text(await client.callTool("x")), "ok");
      await client.close();
      assert.deepEqual(s.requests.items.map((r) => r.method), ["POST", "POST", "POST"]);
      assert.equal(transport.sessionId, SESSION);

      // A new transport picks the session up: no initialize, and the GET opens once told the version.
      const resumed = new StreamableHttpClientTransport(s.url, { sessionId: SESSION });
      const messages: unknown[] = [];
      resumed.start({ message: (m) => messages.push(m), parseError() {}, closed() {} });
      resumed.setProtocolVersion("2025-06-18");
      const get = await s.requests.waitFor((r) => r.method === "GET", "the standalone GET");
      assert.equal(get.headers["mcp-session-id"], SESSION);
      assert.equal(get.headers["mcp-protocol-version"], "2025-06-18");
      await resumed.terminateSession();
      assert.equal(resumed.sessionId, undefined);
      const del = s.requests.items.filter((r) => r.method === "DELETE");
      assert.equal(del.length, 1);
      assert.equal(del[0]!.headers["mcp-session-id"], SESSION);
      await resumed.close();
      assert.equal(s.requests.filter((r) => r.method === "DELETE").length, 1, "no second DELETE: the session is gone");
    } finally {
      await s.close();
    }
  });

  test("close() while a request is in flight: the request fails, nothing hangs", async () => {
    const s = await scripted(withSession(() => {})); // never answers tools/call
    try {
      const { client } = await connect(s.url);
      const call = client.callTool("x");
      await s.requests.waitFor((r) => r.body?.method === "tools/call", "the call");
      await client.close();
      await assert.rejects(call, (e: any) => e.code === -32000);
    } finally {
      await s.close();
    }
  });

  test("connectWithFallback: a JSON-RPC error body means a Streamable HTTP server, so no fallback", async () => {
    const s = await scripted((req, res) => json(res, { jsonrpc: "2.0", id: req.body?.id ?? null, error: { code: -32601, message: "Method not found: initialize" } }, 404));
    try {
      await assert.rejects(connectWithFallback(new McpClient(clientInfo), s.url), (e: any) => e.code === -32601 && /HTTP 404/.test(e.message));
      assert.deepEqual(s.requests.items.map((r) => r.method), ["POST"]);
    } finally {
      await s.close();
    }
  });

  test("connectWithFallback: a 405 without a JSON-RPC body falls back; if that fails too, both reasons are given", async () => {
    const s = await scripted((_req, res) => void res.writeHead(405, { "content-type": "text/plain" }).end("Method Not Allowed"));
    try {
      await assert.rejects(connectWithFallback(new McpClient(clientInfo), s.url), (e: any) => /HTTP 405/.test(e.message) && /HTTP\+SSE fallback failed too/.test(e.message));
      assert.deepEqual(s.requests.items.map((r) => r.method), ["POST", "GET"]);
    } finally {
      await s.close();
    }
  });
});

describe("SseClientTransport against scripted servers", { timeout: 30_000 }, () => {
  const sink = { message() {}, parseError() {}, closed() {} };

  test("refuses an endpoint on another origin", async () => {
    const s = await scripted((_req, res) => {
      sseHead(res);
      res.write("event: endpoint\ndata: http://evil.example.com/message\n\n");
    });
    try {
      const t = new SseClientTransport(s.url);
      await assert.rejects(t.start(sink), /refusing endpoint http:\/\/evil\.example\.com/);
      await t.close();
    } finally {
      await s.close();
    }
  });

  test("rejects if the stream ends before the endpoint; resolves a relative endpoint against the SSE URL", async () => {
    let endpoint = false;
    const s = await scripted((_req, res) => {
      sseHead(res);
      if (endpoint) res.write("event: endpoint\ndata: messages?sessionId=abc\n\n");
      else res.end(": nothing\n\n");
    });
    try {
      await assert.rejects(new SseClientTransport(s.url).start(sink), /ended before the endpoint event/);
      endpoint = true;
      const t = new SseClientTransport(s.url);
      await t.start(sink);
      assert.equal(t.endpointUrl?.href, `${s.origin}/messages?sessionId=abc`);
      assert.equal(t.sessionId, "abc");
      await t.close();
    } finally {
      await s.close();
    }
  });
});
