/**
 * docs/http.md's recipes, run: every ```ts block of the guide is a file under
 * test/fixtures/http/ (only the runtime's import specifiers differ) or examples/multi,
 * and each is exercised here over a real socket on 127.0.0.1 with the official SDK
 * client (or raw fetch), or, for the fetch-style handler of edge runtimes, with Web
 * Request/Response objects alone. Every wait is for an event: a listening socket, a
 * notification, an SSE event, a reply.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { dirname, join, relative, resolve } from "node:path";
import { serve } from "@hono/node-server";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ProgressNotificationSchema, type ProgressNotification } from "@modelcontextprotocol/sdk/types.js";
import { createHttpHandler } from "../../runtime/src/http.js";
import { createApp as createExpressApp } from "../fixtures/http/express.js";
import { createApp as createRouterApp } from "../fixtures/http/express-router.js";
import { buildApp as buildFastify } from "../fixtures/http/fastify.js";
import { createServer as createCalc } from "../fixtures/http/generated/server.js";
import { app as honoApp, mcp as honoMcp } from "../fixtures/http/hono.js";
import { createLimitedHandler } from "../fixtures/http/limits.js";
import { createListener } from "../fixtures/http/node-http.js";
import type { RedisLike } from "../fixtures/http/redis-stores.js";
import { createReplicaHandler } from "../fixtures/http/replicas.js";
import worker from "../fixtures/http/worker.js";
import { Inbox, repoRoot } from "./helpers.js";

const DOC = join(repoRoot, "docs", "http.md");
const FIXTURES = join(repoRoot, "test", "fixtures", "http");
const LATEST = "2025-11-25";
const JSON_AND_SSE = "application/json, text/event-stream";

// ---------------------------------------------------------------- helpers

/** Listens on 127.0.0.1 with a free port; resolves with the base URL. */
async function listen(server: Server): Promise<string> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

interface Connected {
  client: Client;
  progress: Inbox<ProgressNotification["params"]>;
}

/** The SDK client over Streamable HTTP (or legacy SSE), recording progress notifications. */
async function connect(url: string, legacy = false): Promise<Connected> {
  const client = new Client({ name: "http-mount-test", version: "1.0.0" }, { capabilities: {} });
  const progress = new Inbox<ProgressNotification["params"]>();
  client.setNotificationHandler(ProgressNotificationSchema, (n) => progress.push({ ...n.params }));
  await client.connect(legacy ? new SSEClientTransport(new URL(url)) : new StreamableHTTPClientTransport(new URL(url)));
  return { client, progress };
}

/** initialize, tools/call add, and countdown with its progress streamed before the result. */
async function exerciseCalc({ client, progress }: Connected): Promise<void> {
  assert.equal(client.getServerVersion()?.name, "calc");
  const sum = await client.callTool({ name: "add", arguments: { a: 2, b: 40 } });
  assert.deepEqual(sum.structuredContent, { sum: 42 });
  const from = progress.items.length;
  const r = await client.callTool({ name: "countdown", arguments: { from: 3 }, _meta: { progressToken: "cd" } });
  assert.deepEqual(r.content, [{ type: "text", text: "liftoff" }]);
  await progress.waitFor((p) => p.progressToken === "cd" && p.progress === 3, "the last countdown progress", from);
  assert.deepEqual(
    progress.items.slice(from).map((p) => [p.progress, p.total, p.message]),
    [
      [1, 3, "2 left"],
      [2, 3, "1 left"],
      [3, 3, "0 left"],
    ],
  );
}

interface SseEvent {
  event: string;
  id?: string;
  data: string;
  retry?: number;
}

/** Reads SSE events from a response body as they arrive (enough of the format for these tests). */
async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const e: SseEvent = { event: "message", data: "" };
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") e.event = value;
        else if (field === "id") e.id = value;
        else if (field === "retry") e.retry = Number(value);
        else if (field === "data") data.push(value);
      }
      if (data.length === 0 && e.id === undefined) continue; // a comment (keep-alive)
      e.data = data.join("\n");
      yield e;
    }
  }
}

/** Every event of a stream that the server ends. */
async function allEvents(body: ReadableStream<Uint8Array>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const e of sseEvents(body)) out.push(e);
  return out;
}

const messagesOf = (events: SseEvent[]) => events.filter((e) => e.data !== "").map((e) => JSON.parse(e.data) as Record<string, any>);

const initialize = (id: number | string = 0) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion: LATEST, capabilities: {}, clientInfo: { name: "fetch-test", version: "1.0.0" } },
});

/** A Web Request as an edge runtime hands it over (the Host header included). */
function webRequest(method: string, body?: unknown, headers: Record<string, string> = {}, url = "https://mcp.example.com/mcp"): Request {
  return new Request(url, {
    method,
    headers: { host: new URL(url).host, accept: JSON_AND_SSE, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A Map-backed stand-in for Redis with the commands RedisLike names. */
class FakeRedis implements RedisLike {
  readonly strings = new Map<string, string>();
  readonly lists = new Map<string, string[]>();
  readonly sets = new Map<string, Set<string>>();
  commands = 0;
  async get(key: string) {
    this.commands++;
    return this.strings.get(key) ?? null;
  }
  async set(key: string, value: string, px: "PX", ms: number) {
    this.commands++;
    assert.equal(px, "PX");
    assert.ok(ms > 0);
    this.strings.set(key, value);
    return "OK";
  }
  async del(...keys: string[]) {
    this.commands++;
    let n = 0;
    for (const k of keys) n += Number(this.strings.delete(k) || this.lists.delete(k) || this.sets.delete(k));
    return n;
  }
  async incr(key: string) {
    this.commands++;
    const n = Number(this.strings.get(key) ?? "0") + 1;
    this.strings.set(key, String(n));
    return n;
  }
  async rpush(key: string, value: string) {
    this.commands++;
    const list = this.lists.get(key) ?? [];
    list.push(value);
    this.lists.set(key, list);
    return list.length;
  }
  async lrange(key: string, start: number, stop: number) {
    this.commands++;
    const list = this.lists.get(key) ?? [];
    return list.slice(start, stop === -1 ? undefined : stop + 1);
  }
  async sadd(key: string, member: string) {
    this.commands++;
    const set = this.sets.get(key) ?? new Set();
    const had = set.has(member);
    set.add(member);
    this.sets.set(key, set);
    return had ? 0 : 1;
  }
  async smembers(key: string) {
    this.commands++;
    return [...(this.sets.get(key) ?? [])];
  }
  async pexpire(key: string) {
    this.commands++;
    return this.strings.has(key) || this.lists.has(key) || this.sets.has(key) ? 1 : 0;
  }
}

// ---------------------------------------------------------------- the guide's code is this code

describe("docs/http.md", () => {
  test("every ts block is a fixture (or examples/multi) file, verbatim, and each fixture is shown once", () => {
    const doc = readFileSync(DOC, "utf8");
    const blocks = [...doc.matchAll(/(?:<!-- example: (\S+) -->\n)?```ts\n([\s\S]*?)```/g)];
    const shown: string[] = [];
    for (const [, path, code] of blocks) {
      assert.ok(path, `a ts block without an example marker:\n${code!.slice(0, 200)}`);
      const file = join(repoRoot, path);
      // The fixtures import the runtime's source; readers import the package.
      const source = readFileSync(file, "utf8").replace(/"(\.\.\/)+runtime\/src\/(index|http)\.js"/g, (_m, _up, entry: string) =>
        entry === "index" ? '"@mcpgen/runtime"' : '"@mcpgen/runtime/http"',
      );
      assert.equal(code, source, `${path} differs from its copy in docs/http.md`);
      shown.push(path);
    }
    const fixtures = readdirSync(FIXTURES)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => relative(repoRoot, join(FIXTURES, f)));
    assert.deepEqual(
      shown.filter((p) => p.startsWith("test/")).sort(),
      fixtures.sort(),
      "each top-level fixture appears in the doc exactly once",
    );
    assert.ok(shown.includes("examples/multi/src/main.ts"));
  });

  for (const entry of ["http.ts", "core.ts"])
  test(`runtime/src/${entry} imports no node: module (edge runtimes)`, () => {
    const seen = new Set<string>();
    const nodeImports: string[] = [];
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, "utf8");
      for (const m of src.matchAll(/^\s*(?:import|export)\s(?:type\s)?[^;]*?from\s+"([^"]+)"/gm)) {
        if (/^\s*(?:import|export)\s+type\s/.test(m[0])) continue;
        const spec = m[1]!;
        if (spec.startsWith("node:")) nodeImports.push(`${relative(repoRoot, file)} imports ${spec}`);
        else if (spec.startsWith(".")) walk(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
        else nodeImports.push(`${relative(repoRoot, file)} imports the package ${spec}`);
      }
    };
    walk(join(repoRoot, "runtime", "src", entry));
    assert.ok(seen.size > 5, "the walk followed the imports");
    assert.deepEqual(nodeImports, []);
  });
});

// ---------------------------------------------------------------- Express

describe("Express: app.use(express.json()) then app.use(toNodeListener(handler))", { timeout: 30_000 }, () => {
  let base: string;
  let httpServer: Server;
  let fixture: ReturnType<typeof createExpressApp>;
  before(async () => {
    fixture = createExpressApp();
    fixture.app.set("env", "test"); // express logs the errors it answers otherwise
    httpServer = fixture.app.listen(0, "127.0.0.1");
    await once(httpServer, "listening");
    base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  });
  after(async () => {
    await fixture.mcp.close();
    await closeServer(httpServer);
  });

  test("the SDK client initializes and calls tools; the parsed body is used, SSE streams through", async () => {
    const c = await connect(`${base}/mcp`);
    await exerciseCalc(c);
    // Other paths reach the routes after the middleware (next()).
    const health = await fetch(`${base}/health`);
    assert.deepEqual(await health.json(), { ok: true, sessions: 1 });
    await c.client.close();
  });

  test("a long call frees its connection (ctx.closeSseStream) and the SDK client resumes it", async () => {
    const c = await connect(`${base}/mcp`);
    const r = await c.client.callTool({ name: "report", arguments: { sections: 3 }, _meta: { progressToken: "rep" } }, undefined, { timeout: 20_000 });
    assert.deepEqual(r.content, [{ type: "text", text: "Section 1: done\nSection 2: done\nSection 3: done" }]);
    await c.progress.waitFor((p) => p.progressToken === "rep" && p.progress === 3, "the last report progress");
    assert.deepEqual(
      c.progress.filter((p) => p.progressToken === "rep").map((p) => p.progress),
      [1, 2, 3],
    );
    await c.client.close();
  });

  test("malformed JSON is refused by express.json() (its 400, not JSON-RPC's -32700)", async () => {
    const r = await fetch(`${base}/mcp`, { method: "POST", headers: { "content-type": "application/json", accept: JSON_AND_SSE }, body: "{oops" });
    assert.equal(r.status, 400);
    assert.doesNotMatch(await r.text(), /-32700/);
  });
});

describe("Express: under a router prefix, with legacy SSE", { timeout: 30_000 }, () => {
  let base: string;
  let httpServer: Server;
  let fixture: ReturnType<typeof createRouterApp>;
  before(async () => {
    fixture = createRouterApp();
    httpServer = fixture.app.listen(0, "127.0.0.1");
    await once(httpServer, "listening");
    base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  });
  after(async () => {
    await fixture.mcp.close();
    await closeServer(httpServer);
  });

  test("Streamable HTTP at /api/mcp; the router's other routes still answer", async () => {
    const c = await connect(`${base}/api/mcp`);
    await exerciseCalc(c);
    assert.deepEqual(await (await fetch(`${base}/api/version`)).json(), { version: "1.0.0" });
    assert.equal((await fetch(`${base}/mcp`, { method: "POST" })).status, 404, "nothing outside the prefix");
    await c.client.close();
  });

  test("legacy HTTP+SSE at /api/sse and /api/messages (the router parsed the POSTs)", async () => {
    const c = await connect(`${base}/api/sse`, true);
    assert.equal(c.client.getServerVersion()?.name, "calc");
    const sum = await c.client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
    assert.deepEqual(sum.structuredContent, { sum: 3 });
    await c.client.close();
  });
});

// ---------------------------------------------------------------- Hono

describe("Hono on @hono/node-server: app.all('/mcp', c => handler.fetch(c.req.raw))", { timeout: 30_000 }, () => {
  let base: string;
  let httpServer: Server;
  before(async () => {
    httpServer = serve({ fetch: honoApp.fetch, hostname: "127.0.0.1", port: 0 }) as Server;
    if (!httpServer.listening) await once(httpServer, "listening");
    base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  });
  after(async () => {
    await honoMcp.close();
    await closeServer(httpServer);
  });

  test("the SDK client initializes, calls tools, gets progress over SSE, and ends its session", async () => {
    const c = await connect(`${base}/mcp`);
    await exerciseCalc(c);
    assert.equal(honoMcp.sessionCount, 1);
    assert.deepEqual(await (await fetch(`${base}/health`)).json(), { ok: true });
    await (c.client.transport as StreamableHTTPClientTransport).terminateSession();
    assert.equal(honoMcp.sessionCount, 0, "DELETE ended the session");
    await c.client.close();
  });
});

// ---------------------------------------------------------------- Fastify

describe("Fastify: a route that hijacks the reply and passes request.body", { timeout: 30_000 }, () => {
  let base: string;
  let app: ReturnType<typeof buildFastify>;
  before(async () => {
    app = buildFastify();
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(() => app.close());

  test("the SDK client initializes, calls tools and gets progress over SSE", async () => {
    const c = await connect(`${base}/mcp`);
    await exerciseCalc(c);
    await (c.client.transport as StreamableHTTPClientTransport).terminateSession();
    await c.client.close();
  });

  test("errors keep the runtime's JSON-RPC shape (the hijacked route writes them)", async () => {
    const r = await fetch(`${base}/mcp`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: "{}" });
    assert.equal(r.status, 406);
    assert.equal(((await r.json()) as { error: { code: number } }).error.code, -32000);
  });
});

// ---------------------------------------------------------------- node:http

describe("plain node:http: two servers on one listener (mountHandlers + toNodeListener)", { timeout: 30_000 }, () => {
  let base: string;
  let fixture: ReturnType<typeof createListener>;
  before(async () => {
    fixture = createListener();
    base = await listen(fixture.server);
  });
  after(async () => {
    await fixture.mcp.close();
    await closeServer(fixture.server);
  });

  test("calc at /calc/mcp with the SDK client", async () => {
    const c = await connect(`${base}/calc/mcp`);
    await exerciseCalc(c);
    await c.client.close();
  });

  test("echo at /echo/mcp: stateless JSON, plain fetch, no session", async () => {
    const post = (body: unknown) =>
      fetch(`${base}/echo/mcp`, { method: "POST", headers: { "content-type": "application/json", accept: JSON_AND_SSE, "mcp-protocol-version": LATEST }, body: JSON.stringify(body) });
    const init = await post(initialize(1));
    assert.equal(init.status, 200);
    assert.equal(init.headers.get("content-type"), "application/json");
    assert.equal(init.headers.get("mcp-session-id"), null);
    assert.equal(((await init.json()) as any).result.serverInfo.name, "echo");
    const call = await post({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo", arguments: { text: "hi" } } });
    assert.deepEqual(((await call.json()) as any).result.content, [{ type: "text", text: "hi" }]);
  });

  test("/health is the app's; unknown paths get a JSON-RPC 404", async () => {
    assert.equal(await (await fetch(`${base}/health`)).text(), "ok");
    const r = await fetch(`${base}/nope`, { method: "POST" });
    assert.equal(r.status, 404);
    assert.match(((await r.json()) as { error: { message: string } }).error.message, /Not Found: \/nope/);
  });
});

// ---------------------------------------------------------------- fetch only (Workers, Deno, Bun)

describe("the fetch-style handler with Web Request/Response only (no server)", { timeout: 30_000 }, () => {
  test("worker.ts: initialize and a tools/call whose SSE stream is read as it arrives", async () => {
    const init = await worker.fetch(webRequest("POST", initialize()));
    assert.equal(init.status, 200);
    assert.equal(init.headers.get("content-type"), "text/event-stream");
    assert.equal(init.headers.get("mcp-session-id"), null, "stateless");
    const [reply] = messagesOf(await allEvents(init.body!));
    assert.equal(reply!.result.serverInfo.name, "calc");

    const call = await worker.fetch(
      webRequest("POST", { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "countdown", arguments: { from: 2 }, _meta: { progressToken: 1 } } }, { "mcp-protocol-version": LATEST }),
    );
    assert.equal(call.status, 200);
    const seen: Record<string, any>[] = [];
    for await (const e of sseEvents(call.body!)) {
      const m = JSON.parse(e.data);
      seen.push(m);
      // The progress arrives on its own, before the result is even produced.
      if (seen.length === 1) assert.equal(m.method, "notifications/progress");
    }
    assert.deepEqual(
      seen.map((m) => m.method ?? m.result.content[0].text),
      ["notifications/progress", "notifications/progress", "liftoff"],
    );
  });

  test("worker.ts: guards answer with plain Responses (foreign Host 403, GET 405 when stateless, 406)", async () => {
    const foreign = await worker.fetch(webRequest("POST", initialize(), { host: "evil.example" }));
    assert.equal(foreign.status, 403);
    assert.match(((await foreign.json()) as any).error.message, /Host 'evil.example' is not allowed/);
    assert.equal((await worker.fetch(webRequest("GET"))).status, 405);
    assert.equal((await worker.fetch(webRequest("POST", initialize(), { accept: "application/json" }))).status, 406);
  });

  test("stateful over fetch: session header, resumption with Last-Event-ID after closeSseStream, DELETE", async () => {
    const handler = createHttpHandler(createCalc(), { allowedHosts: ["mcp.example.com"] });
    try {
      const init = await handler.fetch(webRequest("POST", initialize()));
      const sessionId = init.headers.get("mcp-session-id")!;
      assert.match(sessionId, /^[0-9a-f]{32}$/);
      await allEvents(init.body!);
      const headers = { "mcp-session-id": sessionId, "mcp-protocol-version": LATEST };
      assert.equal((await handler.fetch(webRequest("POST", { jsonrpc: "2.0", method: "notifications/initialized" }, headers))).status, 202);

      // The report closes its stream after section 1: priming event, progress 1, end.
      const call = await handler.fetch(
        webRequest("POST", { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "report", arguments: { sections: 3 }, _meta: { progressToken: "r" } } }, headers),
      );
      const first = await allEvents(call.body!);
      assert.equal(first[0]!.data, "", "a priming event first");
      assert.equal(first[0]!.retry, 1000);
      assert.deepEqual(messagesOf(first).map((m) => m.params?.progress), [1]);
      const lastId = first.at(-1)!.id!;

      // Reconnect with the last id seen: the rest of the progress, then the result.
      const resumed = await handler.fetch(webRequest("GET", undefined, { ...headers, "last-event-id": lastId, accept: "text/event-stream" }));
      assert.equal(resumed.status, 200);
      const rest = messagesOf(await allEvents(resumed.body!));
      assert.deepEqual(rest.map((m) => m.params?.progress ?? m.result.content[0].text), [2, 3, "Section 1: done\nSection 2: done\nSection 3: done"]);

      assert.equal((await handler.fetch(webRequest("DELETE", undefined, headers))).status, 200);
      assert.equal((await handler.fetch(webRequest("POST", { jsonrpc: "2.0", id: 2, method: "tools/list" }, headers))).status, 404);
    } finally {
      await handler.close();
    }
  });
});

// ---------------------------------------------------------------- replicas sharing stores

describe("replicas.ts: two handlers sharing the Redis-backed stores of redis-stores.ts", { timeout: 30_000 }, () => {
  test("a session begun on replica A goes on on replica B, and B replays A's stream", async () => {
    const redis = new FakeRedis();
    const a = createReplicaHandler(redis);
    const b = createReplicaHandler(redis);
    // Behind a load balancer both see the public host; these run on localhost.
    const local = (method: string, body?: unknown, headers: Record<string, string> = {}) => webRequest(method, body, headers, "http://localhost/mcp");
    try {
      const init = await a.fetch(local("POST", initialize()));
      const sessionId = init.headers.get("mcp-session-id")!;
      await allEvents(init.body!);
      const headers = { "mcp-session-id": sessionId, "mcp-protocol-version": LATEST };
      await a.fetch(local("POST", { jsonrpc: "2.0", method: "notifications/initialized" }, headers));
      assert.ok(redis.strings.has(`mcp:session:${sessionId}`), "the session record is in Redis");

      // Replica B never saw this session: it resumes it from the session store.
      const onB = await b.fetch(local("POST", { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "add", arguments: { a: 1, b: 1 } } }, headers));
      assert.equal(onB.status, 200);
      assert.deepEqual(messagesOf(await allEvents(onB.body!))[0]!.result.structuredContent, { sum: 2 });

      // A call on A frees its stream; the client resumes on A, then (say A went away) on B.
      const call = await a.fetch(
        local("POST", { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "report", arguments: { sections: 2 }, _meta: { progressToken: "p" } } }, headers),
      );
      const firstId = (await allEvents(call.body!)).at(-1)!.id!;
      const resume = { ...headers, "last-event-id": firstId, accept: "text/event-stream" };
      const fromA = messagesOf(await allEvents((await a.fetch(local("GET", undefined, resume))).body!));
      assert.equal(fromA.at(-1)!.result.content[0].text, "Section 1: done\nSection 2: done");
      const fromB = messagesOf(await allEvents((await b.fetch(local("GET", undefined, resume))).body!));
      assert.deepEqual(fromB, fromA, "replica B replays the same events from Redis");

      // Ending the session forgets it everywhere.
      assert.equal((await b.fetch(local("DELETE", undefined, headers))).status, 200);
      assert.equal(redis.strings.has(`mcp:session:${sessionId}`), false);
      assert.ok(![...redis.lists.keys()].some((k) => k.includes(sessionId)), "its events are dropped");
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe("limits.ts: a handler with tighter memory limits", () => {
  test("refuses a body over its 1 MiB limit and serves the rest", async () => {
    const handler = createLimitedHandler(createCalc());
    const post = (body: string) =>
      handler.fetch(new Request("http://localhost/mcp", { method: "POST", headers: { accept: JSON_AND_SSE, "content-type": "application/json" }, body }));
    const big = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", params: { pad: "x".repeat(1024 * 1024) } }));
    assert.equal(big.status, 413);
    const init = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: LATEST, capabilities: {}, clientInfo: { name: "t", version: "1" } } }));
    assert.equal(init.status, 200);
    assert.match(await init.text(), /"protocolVersion":"2025-11-25"/);
    await handler.close();
  });
});
