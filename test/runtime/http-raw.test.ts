/**
 * Streamable HTTP, server side, request by request: every status code and guard,
 * sessions (ids, termination, limits, eviction, TTL, a shared store across two
 * handlers), CORS, and the node adapter's limits. Most requests go through
 * `handler.fetch(new Request(...))` in-process, which is also the edge/fetch path;
 * a few go over a real socket through `serveHttp`, with fetch, node:http and net.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { McpHttpHandler, MemorySessionStore, createHttpHandler, parseHttpArgs, serveHttp, type HttpHandlerOptions, type McpServer, type RunningHttpServer } from "../../runtime/src/index.js";
import { Inbox, type Wire } from "./helpers.js";
import {
  ACCEPT_BOTH,
  Gates,
  LATEST,
  SseReader,
  callTool,
  errorOf,
  get,
  initBody,
  makeTestServer,
  mcpHeaders,
  notification,
  openSession,
  post,
  replyOf,
  request,
  webRequest,
  type Fetcher,
} from "./http-helpers.js";

const URL_ = "http://localhost/mcp";
const text = (reply: Wire) => reply.result.content[0].text as string;

/** The handler's live sessions (private), to check what it holds. */
const liveOf = (h: McpHttpHandler) => (h as any).live as Map<string, { transport: { pendingCount: number; busy: boolean }; session: any }>;

function handlerFor(options: HttpHandlerOptions = {}, gates = new Gates()): { h: McpHttpHandler; server: McpServer; gates: Gates; fetch: Fetcher; errors: Inbox<Error> } {
  const errors = new Inbox<Error>();
  const server = makeTestServer(gates, { onerror: (e) => errors.push(e) });
  const h = createHttpHandler(server, options);
  return { h, server, gates, fetch: h.fetch, errors };
}

async function call(fetch: Fetcher, sessionId: string | undefined, body: unknown, version = LATEST, url = URL_): Promise<Wire> {
  const response = await fetch(post(url, body, { sessionId, version }));
  assert.equal(response.status, 200, `HTTP ${response.status}`);
  return replyOf(response, (body as { id?: unknown }).id);
}

describe("sessions and status codes (in-process, handler.fetch)", { timeout: 30_000 }, () => {
  const { h, fetch, errors } = handlerFor();
  after(() => h.close());

  test("initialize → 200 SSE: crypto-random visible-ASCII Mcp-Session-Id, priming event with retry, then the reply", async () => {
    const response = await fetch(post(URL_, initBody(1)));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    assert.equal(response.headers.get("cache-control"), "no-cache, no-transform");
    assert.equal(response.headers.get("x-accel-buffering"), "no");
    const id = response.headers.get("mcp-session-id")!;
    assert.match(id, /^[\x21-\x7e]{32,}$/, "visible ASCII, at least 128 bits of hex");
    const sse = new SseReader(response);
    const events = await sse.all();
    assert.equal(events.length, 2);
    assert.equal(events[0]!.data, "", "priming event: an id and empty data");
    assert.ok(events[0]!.id?.startsWith(`${id}.`), "event ids name the session");
    assert.deepEqual(sse.retries, [1000]);
    const reply = JSON.parse(events[1]!.data);
    assert.equal(reply.id, 1);
    assert.equal(reply.result.protocolVersion, LATEST);
    assert.ok(events[1]!.id! > events[0]!.id!);

    const ids = new Set<string>([id]);
    for (let i = 0; i < 50; i++) ids.add((await openSession(fetch, URL_)).sessionId);
    assert.equal(ids.size, 51, "every session id is new");
    for (const sid of ids) assert.match(sid, /^[0-9a-f]{32}$/);
    // 50 ids of 128 random bits share no long prefix: not a counter or a timestamp.
    const prefixes = new Set([...ids].map((s) => s.slice(0, 6)));
    assert.ok(prefixes.size > 45, `${prefixes.size} distinct prefixes`);
  });

  test("priming events only for 2025-11-25 clients", async () => {
    for (const version of ["2025-06-18", "2025-03-26"]) {
      const response = await fetch(post(URL_, initBody(1, version)));
      const events = await new SseReader(response).all();
      assert.equal(events.length, 1, version);
      assert.notEqual(events[0]!.data, "");
      assert.equal(JSON.parse(events[0]!.data).result.protocolVersion, version);
    }
  });

  test("notifications and responses → 202 with no body", async () => {
    const { sessionId } = await openSession(fetch, URL_);
    const n = await fetch(post(URL_, notification("notifications/roots/list_changed"), { sessionId, version: LATEST }));
    assert.equal(n.status, 202);
    assert.equal(await n.text(), "");
    const r = await fetch(post(URL_, { jsonrpc: "2.0", id: "server-1", result: {} }, { sessionId, version: LATEST }));
    assert.equal(r.status, 202);
    const e = await fetch(post(URL_, { jsonrpc: "2.0", id: 7, error: { code: -1, message: "no" } }, { sessionId, version: LATEST }));
    assert.equal(e.status, 202);
    // Neither answers anything the server asked: the engine reports them, nothing more.
    await errors.waitFor((x) => /unknown request id 7/.test(x.message), "the stray error response reported");
    assert.ok(errors.items.some((x) => /unknown request id "server-1"/.test(x.message)));
  });

  test("a request: 200 with its reply on an SSE stream that then ends", async () => {
    const { sessionId } = await openSession(fetch, URL_);
    const response = await fetch(post(URL_, callTool(2, "echo", { message: "hi" }), { sessionId, version: LATEST }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("mcp-session-id"), null, "the id is sent on the InitializeResult only");
    const sse = new SseReader(response);
    assert.equal(await sse.ended, "end");
    const messages = sse.messages();
    assert.equal(messages.length, 1);
    assert.equal(text(messages[0]!), "hi");
  });

  test("missing Mcp-Session-Id → 400; unknown → 404 -32001; terminated → 404", async () => {
    const missing = await fetch(post(URL_, request(1, "ping"), { version: LATEST }));
    assert.equal(missing.status, 400);
    assert.deepEqual(await errorOf(missing), { code: -32000, message: "Bad Request: Mcp-Session-Id header is required" });
    const missingGet = await fetch(get(URL_, { version: LATEST }));
    assert.equal(missingGet.status, 400);

    for (const unknown of ["0123456789abcdef0123456789abcdef", "nope", "x".repeat(500)]) {
      const r = await fetch(post(URL_, request(1, "ping"), { sessionId: unknown, version: LATEST }));
      assert.equal(r.status, 404);
      assert.equal((await errorOf(r)).code, -32001);
      assert.equal((await fetch(get(URL_, { sessionId: unknown }))).status, 404);
      assert.equal((await fetch(webRequest(URL_, { method: "DELETE", headers: { "mcp-session-id": unknown } }))).status, 404);
    }

    const { sessionId } = await openSession(fetch, URL_);
    assert.equal(text(await call(fetch, sessionId, callTool(1, "echo", { message: "alive" }))), "alive");
    const del = await fetch(webRequest(URL_, { method: "DELETE", headers: { "mcp-session-id": sessionId, "mcp-protocol-version": LATEST } }));
    assert.equal(del.status, 200);
    const after = await fetch(post(URL_, request(2, "ping"), { sessionId, version: LATEST }));
    assert.equal(after.status, 404);
    assert.deepEqual(await errorOf(after), { code: -32001, message: "Session not found" });
    assert.equal((await fetch(get(URL_, { sessionId, version: LATEST }))).status, 404);
    assert.ok(!liveOf(h).has(sessionId));
  });

  test("DELETE ends the session's open GET stream and calls in flight", async () => {
    const { h: h2, fetch: f2 } = handlerFor();
    const { sessionId } = await openSession(f2, URL_);
    const stream = new SseReader(await f2(get(URL_, { sessionId, version: LATEST })));
    const held = new SseReader(await f2(post(URL_, callTool(1, "hold", { key: "never" }, { progressToken: 1 }), { sessionId, version: LATEST })));
    await held.message((m) => m.method === "notifications/progress");
    assert.equal((await f2(webRequest(URL_, { method: "DELETE", headers: { "mcp-session-id": sessionId } }))).status, 200);
    assert.equal(await stream.ended, "end");
    assert.equal(await held.ended, "end");
    assert.equal(h2.sessionCount, 0);
    await h2.close();
  });

  test("MCP-Protocol-Version: unsupported → 400 (POST, GET, DELETE); absent → accepted", async () => {
    const { sessionId } = await openSession(fetch, URL_);
    // (2026-07-28 is not among them: it is served per request, see modern-http.test.ts.)
    for (const bad of ["1999-01-01", "latest", ""]) {
      const r = await fetch(post(URL_, request(1, "ping"), { sessionId, version: bad }));
      assert.equal(r.status, 400, `POST with version '${bad}'`);
      const e = await errorOf(r);
      assert.equal(e.code, -32000);
      assert.match(e.message, /unsupported MCP-Protocol-Version/);
      assert.equal((await fetch(get(URL_, { sessionId, version: bad }))).status, 400, `GET with '${bad}'`);
      const del = await fetch(webRequest(URL_, { method: "DELETE", headers: { "mcp-session-id": sessionId, "mcp-protocol-version": bad } }));
      assert.equal(del.status, 400, `DELETE with '${bad}'`);
    }
    // Absent: a 2025-03-26 client, which never sends it.
    const r = await fetch(post(URL_, callTool(2, "echo", { message: "no header" }), { sessionId }));
    assert.equal(r.status, 200);
    assert.equal(text(await replyOf(r, 2)), "no header");
    // Every supported revision is accepted.
    for (const v of ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]) {
      assert.equal((await fetch(post(URL_, notification("notifications/roots/list_changed"), { sessionId, version: v }))).status, 202, v);
    }
  });

  test("Accept: 406 unless a POST accepts both JSON and SSE and a GET accepts SSE", async () => {
    const { sessionId } = await openSession(fetch, URL_);
    for (const accept of ["application/json", "text/event-stream", "text/html", null]) {
      const r = await fetch(post(URL_, request(1, "ping"), { sessionId, version: LATEST, accept }));
      assert.equal(r.status, 406, `POST Accept ${accept}`);
      assert.equal((await errorOf(r)).code, -32000);
      const init = await fetch(post(URL_, initBody(1), { accept }));
      assert.equal(init.status, 406, `initialize with Accept ${accept}`);
    }
    for (const accept of ["application/json", "text/html", null]) {
      const r = await fetch(get(URL_, { sessionId, version: LATEST, accept }));
      assert.equal(r.status, 406, `GET Accept ${accept}`);
    }
    for (const accept of ["*/*", "application/*, text/*", "text/event-stream;q=0.9, application/json;q=1", "APPLICATION/JSON, TEXT/EVENT-STREAM"]) {
      const r = await fetch(post(URL_, request(3, "ping"), { sessionId, version: LATEST, accept }));
      assert.equal(r.status, 200, `POST Accept ${accept}`);
      await replyOf(r, 3);
    }
  });

  test("Content-Type: 415 unless application/json (parameters allowed)", async () => {
    const { sessionId } = await openSession(fetch, URL_);
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "application/jsonx", null]) {
      const r = await fetch(post(URL_, request(1, "ping"), { sessionId, version: LATEST, contentType }));
      assert.equal(r.status, 415, `Content-Type ${contentType}`);
      assert.equal((await errorOf(r)).code, -32000);
    }
    const ok = await fetch(post(URL_, request(2, "ping"), { sessionId, version: LATEST, contentType: "Application/JSON; charset=utf-8" }));
    assert.equal(ok.status, 200);
    await replyOf(ok, 2);
  });

  test("413 past maxBodyBytes: by Content-Length and by a streamed body without one", async () => {
    const { h: small, fetch: f } = handlerFor({ maxBodyBytes: 1024 });
    const { sessionId } = await openSession(f, URL_);
    const big = JSON.stringify(callTool(1, "echo", { message: "x".repeat(2000) }));
    const declared = await f(webRequest(URL_, { method: "POST", headers: { ...mcpHeaders({ sessionId, version: LATEST }), "content-length": String(big.length) }, body: big }));
    assert.equal(declared.status, 413);
    assert.match((await errorOf(declared)).message, /exceeds 1024 bytes/);
    let pulled = 0;
    const chunks = new ReadableStream<Uint8Array>({
      pull(controller) {
        // An endless body: reading must stop at the limit.
        pulled++;
        controller.enqueue(new TextEncoder().encode("x".repeat(256)));
      },
    });
    const streamed = await f(new Request(URL_, { method: "POST", headers: { host: "localhost", ...mcpHeaders({ sessionId, version: LATEST }) }, body: chunks, duplex: "half" } as RequestInit));
    assert.equal(streamed.status, 413);
    assert.ok(pulled < 10, `read ${pulled} chunks of an endless body`);
    // Just under the limit is fine.
    const fits = JSON.stringify(callTool(2, "echo", { message: "y".repeat(900) }));
    assert.ok(fits.length <= 1024);
    const ok = await f(post(URL_, fits, { sessionId, version: LATEST }));
    assert.equal(ok.status, 200);
    assert.equal(text(await replyOf(ok, 2)), "y".repeat(900));
    await small.close();
  });

  test("400 -32700 for a body that is not JSON; 400 -32600 for one that is not a JSON-RPC message", async () => {
    const { sessionId } = await openSession(fetch, URL_);
    for (const body of ["{not json", "", '{"jsonrpc":"2.0",', "\u0000"]) {
      const r = await fetch(post(URL_, body, { sessionId, version: LATEST }));
      assert.equal(r.status, 400, JSON.stringify(body));
      const e = await errorOf(r);
      assert.equal(e.code, -32700);
    }
    const invalid: unknown[] = [
      { foo: 1 },
      [],
      JSON.stringify("a string"),
      42,
      null,
      { jsonrpc: "1.0", id: 1, method: "ping" },
      { jsonrpc: "2.0", id: { x: 1 }, method: "ping" },
      { jsonrpc: "2.0", id: null, method: "ping" },
      { jsonrpc: "2.0", id: 1 },
      { jsonrpc: "2.0", result: {} },
    ];
    for (const body of invalid) {
      const r = await fetch(post(URL_, body, { sessionId, version: LATEST }));
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal((await errorOf(r)).code, -32600, JSON.stringify(body));
    }
    // Before any session too.
    const r = await fetch(post(URL_, "{oops"));
    assert.equal(r.status, 400);
    assert.equal((await errorOf(r)).code, -32700);
  });

  test("batches: accepted in 2025-03-26 only; initialize never in a batch", async () => {
    const old = await openSession(fetch, URL_, "2025-03-26");
    const batch = [callTool("a", "echo", { message: "one" }), notification("notifications/roots/list_changed"), callTool("b", "echo", { message: "two" })];
    const r = await fetch(post(URL_, batch, { sessionId: old.sessionId, version: "2025-03-26" }));
    assert.equal(r.status, 200);
    const sse = new SseReader(r);
    await sse.ended;
    const replies = sse.messages().flatMap((m) => (Array.isArray(m) ? m : [m]));
    assert.deepEqual(replies.map((m) => m.id).sort(), ["a", "b"]);
    // A batch of notifications only: 202.
    assert.equal((await fetch(post(URL_, [notification("notifications/roots/list_changed")], { sessionId: old.sessionId, version: "2025-03-26" }))).status, 202);
    // Duplicate ids in one batch are refused.
    const dup = await fetch(post(URL_, [request(1, "ping"), request(1, "ping")], { sessionId: old.sessionId, version: "2025-03-26" }));
    assert.equal(dup.status, 400);

    for (const version of ["2025-06-18", "2025-11-25"]) {
      const s = await openSession(fetch, URL_, version);
      const refused = await fetch(post(URL_, [request(1, "ping")], { sessionId: s.sessionId, version }));
      assert.equal(refused.status, 400, version);
      const e = await errorOf(refused);
      assert.equal(e.code, -32600);
      assert.match(e.message, /batches are not supported/);
    }
    const initBatch = await fetch(post(URL_, [initBody(1, "2025-03-26")]));
    assert.equal(initBatch.status, 400);
    assert.match((await errorOf(initBatch)).message, /initialize must not be part of a batch/);
  });

  test("GET: one standalone stream per session (409 for a second); a new one once it closes", async () => {
    const { sessionId } = await openSession(fetch, URL_);
    const first = await fetch(get(URL_, { sessionId, version: LATEST }));
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("content-type"), "text/event-stream");
    const sse = new SseReader(first);
    const priming = await sse.events.waitFor(() => true);
    assert.equal(priming.data, "");
    const second = await fetch(get(URL_, { sessionId, version: LATEST }));
    assert.equal(second.status, 409);
    assert.equal((await errorOf(second)).code, -32000);
    await sse.cancel();
    const third = await fetch(get(URL_, { sessionId, version: LATEST }));
    assert.equal(third.status, 200);
    await new SseReader(third).cancel();
  });

  test("a request id already in flight in the session → 409", async () => {
    const { h: h2, fetch: f2, gates } = handlerFor();
    const { sessionId } = await openSession(f2, URL_);
    const held = new SseReader(await f2(post(URL_, callTool(9, "hold", { key: "dup" }), { sessionId, version: LATEST })));
    await gates.until("dup");
    const dup = await f2(post(URL_, request(9, "ping"), { sessionId, version: LATEST }));
    assert.equal(dup.status, 409);
    assert.equal((await errorOf(dup)).code, -32600);
    gates.open("dup");
    assert.equal(text(await held.reply(9)), "released");
    // Once answered, the id may be used again.
    assert.deepEqual((await call(f2, sessionId, request(9, "ping"))).result, {});
    await h2.close();
  });

  test("405 with Allow for other methods; stateless: 405 for GET and DELETE with Allow: POST", async () => {
    for (const method of ["PUT", "PATCH", "HEAD"]) {
      const r = await fetch(webRequest(URL_, { method }));
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.get("allow"), "GET, POST, DELETE");
    }
    const stateless = handlerFor({ sessions: false });
    for (const method of ["GET", "DELETE"]) {
      const r = await stateless.fetch(webRequest(URL_, { method, headers: { accept: "text/event-stream" } }));
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.get("allow"), "POST");
      assert.equal((await errorOf(r)).code, -32000);
    }
    await stateless.h.close();
  });

  test("other paths → 404", async () => {
    for (const path of ["/", "/mcp/", "/mcpx", "/other"]) {
      const r = await fetch(post(`http://localhost${path}`, initBody(1)));
      assert.equal(r.status, 404, path);
    }
    // A query string is not part of the path.
    const q = await fetch(post("http://localhost/mcp?x=1", initBody(1)));
    assert.equal(q.status, 200);
  });

  test("initialize on an existing session → 400 -32600; the session is unharmed", async () => {
    const { sessionId } = await openSession(fetch, URL_);
    const again = await fetch(post(URL_, initBody(5), { sessionId, version: LATEST }));
    assert.equal(again.status, 400);
    const e = await errorOf(again);
    assert.equal(e.code, -32600);
    assert.match(e.message, /already initialized/);
    assert.equal(text(await call(fetch, sessionId, callTool(6, "echo", { message: "fine" }))), "fine");
  });

  test("a request before initialize (unknown session id aside) is refused", async () => {
    const stateless = handlerFor({ sessions: false });
    // Stateless: a request needs no initialize (the session is restored per request).
    assert.equal(text(await call(stateless.fetch, undefined, callTool(1, "echo", { message: "ok" }))), "ok");
    await stateless.h.close();
  });
});

describe("JSON response mode (in-process)", { timeout: 30_000 }, () => {
  const { h, fetch } = handlerFor({ json: true });
  after(() => h.close());

  test("initialize and requests are answered with application/json", async () => {
    const init = await fetch(post(URL_, initBody(1)));
    assert.equal(init.status, 200);
    assert.equal(init.headers.get("content-type"), "application/json");
    const sessionId = init.headers.get("mcp-session-id")!;
    assert.match(sessionId, /^[0-9a-f]{32}$/);
    assert.equal(((await init.json()) as Wire).result.protocolVersion, LATEST);
    const r = await fetch(post(URL_, callTool(2, "echo", { message: "json" }), { sessionId, version: LATEST }));
    assert.equal(r.headers.get("content-type"), "application/json");
    assert.equal(text((await r.json()) as Wire), "json");
  });

  test("a 2025-03-26 batch gets one JSON array with every reply", async () => {
    const { sessionId } = await openSession(fetch, URL_, "2025-03-26");
    const r = await fetch(post(URL_, [callTool(1, "echo", { message: "a" }), request(2, "ping")], { sessionId, version: "2025-03-26" }));
    const body = (await r.json()) as Wire[];
    assert.ok(Array.isArray(body));
    assert.deepEqual(body.map((m) => m.id).sort(), [1, 2]);
  });

  test("notifications tied to a call go to the GET stream (a JSON body holds only the reply)", async () => {
    const { sessionId } = await openSession(fetch, URL_);
    const stream = new SseReader(await fetch(get(URL_, { sessionId, version: LATEST })));
    const r = await fetch(post(URL_, callTool(3, "log", { level: "info", text: "to the GET stream" }), { sessionId, version: LATEST }));
    assert.equal(text((await r.json()) as Wire), "logged");
    const log = await stream.message((m) => m.method === "notifications/message");
    assert.equal(log.params.data, "to the GET stream");
    await stream.cancel();
  });
});

describe("Host and Origin guards; CORS", { timeout: 30_000 }, () => {
  /** The status of a POST with these headers: 400 (no session id) means the guards let it through. */
  async function status(options: HttpHandlerOptions, headers: Record<string, string>, init?: { omitHostFrom?: string }): Promise<number> {
    const { h } = handlerFor(options);
    const all = { ...mcpHeaders({ version: LATEST }), ...headers };
    const req = init?.omitHostFrom
      ? new Request(init.omitHostFrom, { method: "POST", headers: all, body: JSON.stringify(request(1, "ping")) })
      : post(URL_, request(1, "ping"), { version: LATEST, headers });
    const r = await h.fetch(req);
    if (r.status === 403) {
      const e = await errorOf(r);
      assert.equal(e.code, -32000);
      assert.match(e.message, /^Forbidden/);
    }
    await h.close();
    return r.status;
  }
  const PASS = 400;

  test("Host: localhost, 127.0.0.1 and [::1] (any port) pass; anything else → 403", async () => {
    for (const host of ["localhost", "localhost:3000", "LOCALHOST:8080", "127.0.0.1", "127.0.0.1:65535", "[::1]", "[::1]:3000"]) {
      assert.equal(await status({}, { host }), PASS, host);
    }
    for (const host of ["evil.example.com", "evil.example.com:3000", "localhost.evil.com", "127.0.0.2", "10.0.0.1:3000", "[::2]:3000", "0.0.0.0"]) {
      assert.equal(await status({}, { host }), 403, host);
    }
    // A Request made in code has no Host header: the URL's host stands in for it.
    assert.equal(await status({}, {}, { omitHostFrom: "http://localhost:3000/mcp" }), PASS, "no Host header, local URL");
    assert.equal(await status({}, {}, { omitHostFrom: "http://evil.example.com/mcp" }), 403, "no Host header, foreign URL");
  });

  test("Origin: absent or local passes; others → 403", async () => {
    for (const origin of ["http://localhost", "http://localhost:5173", "https://127.0.0.1:8443", "http://[::1]:3000"]) {
      assert.equal(await status({}, { origin }), PASS, origin);
    }
    for (const origin of ["http://evil.example.com", "https://localhost.evil.com", "null", "file://", "not a url"]) {
      assert.equal(await status({}, { origin }), 403, origin);
    }
  });

  test("allowedHosts and allowedOrigins add to the local ones", async () => {
    const hosts = { allowedHosts: ["mcp.example.com"] };
    assert.equal(await status(hosts, { host: "mcp.example.com" }), PASS);
    assert.equal(await status(hosts, { host: "MCP.example.com:8443" }), PASS);
    assert.equal(await status(hosts, { host: "localhost:3000" }), PASS);
    assert.equal(await status(hosts, { host: "other.example.com" }), 403);
    assert.equal(await status(hosts, { host: "mcp.example.com.evil.net" }), 403);
    assert.equal(await status({ allowedHosts: ["*"] }, { host: "anything.example" }), PASS);

    const origins = { allowedOrigins: ["https://app.example.com"] };
    assert.equal(await status(origins, { origin: "https://app.example.com" }), PASS);
    assert.equal(await status(origins, { origin: "http://localhost:5173" }), PASS);
    assert.equal(await status(origins, { origin: "https://app.example.com.evil.net" }), 403);
    assert.equal(await status(origins, { origin: "http://app.example.com" }), 403, "the scheme counts");
    assert.equal(await status({ allowedOrigins: ["*"] }, { origin: "https://anywhere.example" }), PASS);
  });

  test("trustProxy: the host comes from X-Forwarded-Host / Forwarded, and only then", async () => {
    // Not trusted: the forwarded headers are ignored either way.
    assert.equal(await status({}, { host: "localhost", "x-forwarded-host": "evil.example.com" }), PASS);
    assert.equal(await status({}, { host: "internal.svc:8080", "x-forwarded-host": "localhost" }), 403);
    const trust = { trustProxy: true };
    assert.equal(await status(trust, { host: "internal.svc:8080", "x-forwarded-host": "localhost:3000" }), PASS);
    assert.equal(await status(trust, { host: "localhost", "x-forwarded-host": "evil.example.com" }), 403);
    assert.equal(await status(trust, { host: "internal.svc", "x-forwarded-host": "localhost, proxy.internal" }), PASS, "the first hop counts");
    assert.equal(await status(trust, { host: "internal.svc", forwarded: 'for=1.2.3.4;host="localhost:3000";proto=https' }), PASS);
    assert.equal(await status(trust, { host: "localhost", forwarded: "host=evil.example.com" }), 403);
    assert.equal(await status({ trustProxy: true, allowedHosts: ["mcp.example.com"] }, { host: "10.0.0.5", "x-forwarded-host": "mcp.example.com" }), PASS);
  });

  test("CORS off (default): no preflight (405), no CORS headers", async () => {
    const { h, fetch } = handlerFor();
    const pre = await fetch(webRequest(URL_, { method: "OPTIONS", headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" } }));
    assert.equal(pre.status, 405);
    assert.equal(pre.headers.get("access-control-allow-origin"), null);
    const init = await fetch(post(URL_, initBody(1), { headers: { origin: "http://localhost:5173" } }));
    assert.equal(init.status, 200);
    assert.equal(init.headers.get("access-control-allow-origin"), null);
    assert.equal(init.headers.get("access-control-expose-headers"), null);
    await h.close();
  });

  test("CORS on: preflight 204, allowed and exposed headers on every answer (errors too)", async () => {
    const { h, fetch } = handlerFor({ cors: true });
    const origin = "https://app.example.com";
    const pre = await fetch(webRequest(URL_, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } }));
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), origin);
    assert.match(pre.headers.get("access-control-allow-methods")!, /POST/);
    assert.match(pre.headers.get("access-control-allow-methods")!, /DELETE/);
    for (const name of ["content-type", "mcp-session-id", "mcp-protocol-version", "last-event-id", "authorization"]) {
      assert.match(pre.headers.get("access-control-allow-headers")!, new RegExp(name));
    }
    assert.equal(pre.headers.get("access-control-max-age"), "600");
    assert.equal(pre.headers.get("vary"), "Origin");
    const asked = await fetch(webRequest(URL_, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "x-custom, content-type" } }));
    assert.equal(asked.headers.get("access-control-allow-headers"), "x-custom, content-type");

    const init = await fetch(post(URL_, initBody(1), { headers: { origin } }));
    assert.equal(init.status, 200);
    assert.equal(init.headers.get("access-control-allow-origin"), origin);
    const exposed = init.headers.get("access-control-expose-headers")!;
    assert.match(exposed, /mcp-session-id/);
    assert.match(exposed, /mcp-protocol-version/);
    const missing = await fetch(post(URL_, request(1, "ping"), { headers: { origin } }));
    assert.equal(missing.status, 400);
    assert.equal(missing.headers.get("access-control-allow-origin"), origin, "errors carry CORS headers too");
    // Without an Origin (not a browser), no CORS headers.
    const plain = await fetch(post(URL_, initBody(1)));
    assert.equal(plain.headers.get("access-control-allow-origin"), null);
    await h.close();
  });

  test("CORS with an origin list: others get no preflight and a 403", async () => {
    const options = { cors: { origins: ["https://a.example"], maxAgeSeconds: 60 } };
    const { h, fetch } = handlerFor(options);
    const ok = await fetch(webRequest(URL_, { method: "OPTIONS", headers: { origin: "https://a.example", "access-control-request-method": "POST" } }));
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get("access-control-max-age"), "60");
    const other = await fetch(webRequest(URL_, { method: "OPTIONS", headers: { origin: "https://b.example", "access-control-request-method": "POST" } }));
    assert.equal(other.status, 405);
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    assert.equal(await status(options, { origin: "https://b.example" }), 403);
    assert.equal(await status(options, { origin: "https://a.example" }), PASS);
    await h.close();
  });
});

describe("session limits: maxSessions, LRU eviction, TTL sweep, a store shared by two handlers", { timeout: 30_000 }, () => {
  test("503 with Retry-After when maxSessions are all busy; room once one goes idle", async () => {
    const { h, fetch } = handlerFor({ maxSessions: 2 });
    const a = await openSession(fetch, URL_);
    const b = await openSession(fetch, URL_);
    const streamA = new SseReader(await fetch(get(URL_, { sessionId: a.sessionId, version: LATEST })));
    const streamB = new SseReader(await fetch(get(URL_, { sessionId: b.sessionId, version: LATEST })));
    await streamA.events.waitFor(() => true);
    await streamB.events.waitFor(() => true);
    const full = await fetch(post(URL_, initBody(1)));
    assert.equal(full.status, 503);
    assert.equal(full.headers.get("retry-after"), "5");
    assert.equal((await errorOf(full)).code, -32000);
    assert.equal(h.sessionCount, 2);
    // A's stream goes away: A is idle and makes room.
    await streamA.cancel();
    const c = await openSession(fetch, URL_);
    assert.equal(h.sessionCount, 2);
    assert.deepEqual([...liveOf(h).keys()].sort(), [b.sessionId, c.sessionId].sort());
    await streamB.cancel();
    await h.close();
  });

  test("at the cap the least recently active idle session is closed, and resumed from the store when it returns", async () => {
    const { h, fetch } = handlerFor({ maxSessions: 2 });
    const a = await openSession(fetch, URL_);
    const b = await openSession(fetch, URL_, "2025-06-18");
    // B's state, to check it survives: a log level and the negotiated revision.
    assert.deepEqual((await call(fetch, b.sessionId, request(1, "logging/setLevel", { level: "error" }), "2025-06-18")).result, {});
    await call(fetch, a.sessionId, request(1, "ping")); // A is now the most recent
    const c = await openSession(fetch, URL_);
    assert.deepEqual([...liveOf(h).keys()].sort(), [a.sessionId, c.sessionId].sort(), "B, the least recent, was evicted");

    // B comes back: resumed transparently (A, now least recent, makes room).
    const info = JSON.parse(text(await call(fetch, b.sessionId, callTool(2, "info"), "2025-06-18")));
    assert.equal(info.sessionId, b.sessionId);
    assert.equal(info.protocolVersion, "2025-06-18");
    assert.equal(info.clientInfo.name, "raw-http");
    assert.ok(h.sessionCount <= 2);
    assert.ok(liveOf(h).has(b.sessionId) && !liveOf(h).has(a.sessionId));
    // Its log level came back too: info is filtered, error is sent.
    const quiet = new SseReader(await fetch(post(URL_, callTool(3, "log", { level: "info", text: "hidden" }), { sessionId: b.sessionId, version: "2025-06-18" })));
    await quiet.ended;
    assert.deepEqual(quiet.messages().map((m) => m.method ?? "reply"), ["reply"]);
    const loud = new SseReader(await fetch(post(URL_, callTool(4, "log", { level: "error", text: "shown" }), { sessionId: b.sessionId, version: "2025-06-18" })));
    await loud.ended;
    assert.deepEqual(loud.messages().map((m) => m.method ?? "reply"), ["notifications/message", "reply"]);
    // And A, evicted in turn, also comes back.
    assert.deepEqual((await call(fetch, a.sessionId, request(5, "ping"))).result, {});
    await h.close();
  });

  test("5,000 sessions with maxSessions 1,000: never more than 1,000 live", async () => {
    const { h, fetch } = handlerFor({ maxSessions: 1000, json: true });
    let max = 0;
    for (let i = 0; i < 5000; i++) {
      const r = await fetch(post(URL_, initBody(i)));
      assert.equal(r.status, 200);
      await r.arrayBuffer();
      max = Math.max(max, h.sessionCount);
    }
    assert.equal(max, 1000);
    assert.equal(h.sessionCount, 1000);
    await h.close();
  });

  test("idle sessions are closed after sessionTtlMs (sweep), busy ones are kept; the store brings them back until it expires them", async () => {
    const store = new MemorySessionStore({ ttlMs: 60_000 });
    const { h, fetch } = handlerFor({ sessionTtlMs: 60_000, sessionStore: store });
    const idle = await openSession(fetch, URL_);
    const busy = await openSession(fetch, URL_);
    const stream = new SseReader(await fetch(get(URL_, { sessionId: busy.sessionId, version: LATEST })));
    await stream.events.waitFor(() => true);
    await h.sweep(Date.now() + 30_000);
    assert.equal(h.sessionCount, 2, "not idle long enough yet");
    await h.sweep(Date.now() + 60_001);
    assert.equal(h.sessionCount, 1);
    assert.ok(liveOf(h).has(busy.sessionId), "a session with an open stream is not idle");
    assert.equal(await stream.events.items.length, 1);
    // The swept session's record is still in the store: it resumes.
    assert.deepEqual((await call(fetch, idle.sessionId, request(1, "ping"))).result, {});
    assert.equal(h.sessionCount, 2);
    // Once the store's own TTL passes, the session is gone for good: 404.
    await h.sweep(Date.now() + 60_001);
    store.get(idle.sessionId)!.lastActiveAt -= 120_000;
    const gone = await fetch(post(URL_, request(2, "ping"), { sessionId: idle.sessionId, version: LATEST }));
    assert.equal(gone.status, 404);
    assert.equal(store.size, 1);
    await stream.cancel();
    await h.close();
  });

  test("another replica: a session made on handler A is served by handler B (another McpServer) through a shared store", async () => {
    const store = new MemorySessionStore();
    const serverA = makeTestServer();
    const serverB = makeTestServer();
    const a = createHttpHandler(serverA, { sessionStore: store });
    const b = createHttpHandler(serverB, { sessionStore: store });
    const { sessionId } = await openSession(a.fetch, URL_, "2025-06-18", { sampling: {}, roots: {} });
    await call(a.fetch, sessionId, request(1, "logging/setLevel", { level: "warning" }), "2025-06-18");
    await call(a.fetch, sessionId, request(2, "resources/subscribe", { uri: "mem://greeting" }), "2025-06-18");
    assert.equal(b.sessionCount, 0);

    const info = JSON.parse(text(await call(b.fetch, sessionId, callTool(3, "info"), "2025-06-18")));
    assert.deepEqual(info, { sessionId, protocolVersion: "2025-06-18", clientCapabilities: { sampling: {}, roots: {} }, clientInfo: { name: "raw-http", version: "0.0.1" } });
    assert.equal(b.sessionCount, 1);
    // The log level came along: info is filtered on B, warning is sent.
    const logs = new SseReader(await b.fetch(post(URL_, callTool(4, "log", { level: "info", text: "filtered" }), { sessionId, version: "2025-06-18" })));
    await logs.ended;
    assert.equal(logs.messages().length, 1);
    const warn = new SseReader(await b.fetch(post(URL_, callTool(5, "log", { level: "warning", text: "sent" }), { sessionId, version: "2025-06-18" })));
    assert.equal((await warn.message((m) => m.method === "notifications/message")).params.data, "sent");
    // So did the subscription: B's own server notifies this session on its GET stream.
    const stream = new SseReader(await b.fetch(get(URL_, { sessionId, version: "2025-06-18" })));
    await call(b.fetch, sessionId, callTool(6, "notify", { uri: "mem://greeting" }), "2025-06-18");
    const updated = await stream.message((m) => m.method === "notifications/resources/updated");
    assert.deepEqual(updated.params, { uri: "mem://greeting" });
    // Ended on B (DELETE): the store forgets it, so a replica that never held it answers 404.
    assert.equal((await b.fetch(webRequest(URL_, { method: "DELETE", headers: { "mcp-session-id": sessionId } }))).status, 200);
    const c = createHttpHandler(makeTestServer(), { sessionStore: store });
    assert.equal((await c.fetch(post(URL_, request(7, "ping"), { sessionId, version: "2025-06-18" }))).status, 404);
    await Promise.all([a.close(), b.close(), c.close()]);
  });
});

describe("deprecated HTTP+SSE endpoints (legacySse, in-process)", { timeout: 30_000 }, () => {
  test("GET /sse opens a session and names its message URL; POST there → 202, replies on the stream", async () => {
    const { h, fetch } = handlerFor({ legacySse: true });
    const opened = await fetch(webRequest("http://localhost/sse", { headers: { accept: "text/event-stream" } }));
    assert.equal(opened.status, 200);
    assert.equal(opened.headers.get("content-type"), "text/event-stream");
    const sse = new SseReader(opened);
    const endpoint = await sse.events.waitFor((e) => e.event === "endpoint");
    assert.match(endpoint.data, /^\/messages\?sessionId=[0-9a-f-]{36}$/);
    const messages = `http://localhost${endpoint.data}`;
    assert.equal(h.sessionCount, 1);
    const init = await fetch(post(messages, initBody(1, "2024-11-05")));
    assert.equal(init.status, 202);
    assert.equal((await sse.reply(1)).result.protocolVersion, "2024-11-05");
    assert.equal((await fetch(post(messages, notification("notifications/initialized")))).status, 202);
    assert.equal((await fetch(post(messages, callTool(2, "echo", { message: "legacy" })))).status, 202);
    assert.equal(text(await sse.reply(2)), "legacy");
    // Malformed JSON-RPC is answered on the stream, as the engine would on stdio.
    assert.equal((await fetch(post(messages, { jsonrpc: "2.0", id: 3, method: 42 }))).status, 202);
    assert.equal((await sse.reply(3)).error?.code, -32600);

    // Refusals.
    assert.equal((await fetch(post("http://localhost/messages", request(4, "ping")))).status, 400, "no sessionId");
    const unknown = await fetch(post("http://localhost/messages?sessionId=nope", request(4, "ping")));
    assert.equal(unknown.status, 404);
    assert.equal((await errorOf(unknown)).code, -32001);
    assert.equal((await fetch(post(messages, request(4, "ping"), { contentType: "text/plain" }))).status, 415);
    assert.equal((await fetch(post(messages, "{oops"))).status, 400);
    assert.equal((await fetch(webRequest("http://localhost/sse", { headers: { accept: "application/json" } }))).status, 406);
    const postSse = await fetch(post("http://localhost/sse", request(4, "ping")));
    assert.equal(postSse.status, 405);
    assert.equal(postSse.headers.get("allow"), "GET");
    const getMessages = await fetch(webRequest(messages, { headers: { accept: "text/event-stream" } }));
    assert.equal(getMessages.status, 405);
    assert.equal(getMessages.headers.get("allow"), "POST");
    // Guards apply here too.
    assert.equal((await fetch(webRequest("http://localhost/sse", { headers: { accept: "text/event-stream", host: "evil.example.com" } }))).status, 403);

    // The connection is the session: hanging up ends it.
    await sse.cancel();
    assert.equal(h.sessionCount, 0);
    assert.equal((await fetch(post(messages, request(5, "ping")))).status, 404);
    // The Streamable HTTP endpoint is still served beside it.
    assert.equal((await fetch(post(URL_, initBody(1)))).status, 200);
    await h.close();
  });

  test("legacy paths follow the endpoint's, or are set explicitly", async () => {
    const nested = handlerFor({ path: "/api/mcp", legacySse: true });
    const r = await nested.fetch(webRequest("http://localhost/api/sse", { headers: { accept: "text/event-stream" } }));
    const sse = new SseReader(r);
    assert.match((await sse.events.waitFor((e) => e.event === "endpoint")).data, /^\/api\/messages\?sessionId=/);
    await sse.cancel();
    await nested.h.close();
    const custom = handlerFor({ legacySse: { ssePath: "/events", messagesPath: "/rpc" } });
    const c = new SseReader(await custom.fetch(webRequest("http://localhost/events", { headers: { accept: "text/event-stream" } })));
    assert.match((await c.events.waitFor((e) => e.event === "endpoint")).data, /^\/rpc\?sessionId=/);
    assert.equal((await custom.fetch(webRequest("http://localhost/sse", { headers: { accept: "text/event-stream" } }))).status, 404);
    await c.cancel();
    await custom.h.close();
  });
});

describe("a cancelled call settles its POST (no reply, no leak)", { timeout: 30_000 }, () => {
  for (const json of [false, true]) {
    test(`${json ? "JSON" : "SSE"} mode: notifications/cancelled ends the POST and frees the session`, async () => {
      const { h, fetch, gates } = handlerFor({ json });
      const { sessionId } = await openSession(fetch, URL_);
      const pending = fetch(post(URL_, callTool(5, "hold", { key: "never" }, { progressToken: "p" }), { sessionId, version: LATEST }));
      await gates.until("never");
      const live = liveOf(h).get(sessionId)!;
      assert.equal(live.transport.pendingCount, 1);
      const cancel = await fetch(post(URL_, notification("notifications/cancelled", { requestId: 5, reason: "stop" }), { sessionId, version: LATEST }));
      assert.equal(cancel.status, 202);
      const response = await pending;
      if (json) {
        assert.equal(response.status, 202, "nothing to answer with");
      } else {
        const sse = new SseReader(response);
        assert.equal(await sse.ended, "end");
        assert.ok(!sse.messages().some((m) => m.id === 5), "a cancelled request gets no reply");
      }
      assert.equal(live.transport.pendingCount, 0);
      assert.equal(live.transport.busy, false);
      // The handler saw the abort and finished (drain resolves once nothing is in flight).
      await live.session.peer.drain();
      assert.equal(live.session.peer.inflightCount, 0);
      await h.close();
    });
  }
});

describe("over a real socket (serveHttp)", { timeout: 30_000 }, () => {
  let running: RunningHttpServer;
  const errors = new Inbox<Error>();
  before(async () => {
    running = await serveHttp(makeTestServer(), { port: 0, maxBodyBytes: 1024, requestTimeoutMs: 400, headersTimeoutMs: 400, onerror: (e) => errors.push(e) });
  });
  after(() => running.close());

  test("binds 127.0.0.1 by default; initialize, call, DELETE, 404 with fetch", async () => {
    const address = running.httpServer.address() as AddressInfo;
    assert.equal(address.address, "127.0.0.1");
    assert.equal(running.url, `http://127.0.0.1:${address.port}/mcp`);
    const f: Fetcher = (r) => fetch(r);
    const { sessionId, response } = await openSession(f, running.url);
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    assert.equal(text(await call(f, sessionId, callTool(1, "echo", { message: "over tcp" }), LATEST, running.url)), "over tcp");
    const del = await fetch(running.url, { method: "DELETE", headers: { "mcp-session-id": sessionId } });
    assert.equal(del.status, 200);
    const gone = await fetch(post(running.url, request(2, "ping"), { sessionId, version: LATEST }));
    assert.equal(gone.status, 404);
    assert.equal(gone.headers.get("content-type"), "application/json");
  });

  /** A raw node:http request (any Host header, a chunked body). */
  function rawRequest(options: { headers: Record<string, string>; chunks?: string[]; method?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(running.url);
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: options.method ?? "POST", headers: options.headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on("error", reject);
      for (const c of options.chunks ?? []) req.write(c);
      req.end();
    });
  }

  test("403 for a foreign Host or Origin on the socket", async () => {
    const headers = { accept: ACCEPT_BOTH, "content-type": "application/json" };
    const evilHost = await rawRequest({ headers: { ...headers, host: "evil.example.com" }, chunks: [JSON.stringify(initBody(1))] });
    assert.equal(evilHost.status, 403);
    assert.equal(JSON.parse(evilHost.body).error.code, -32000);
    const evilOrigin = await rawRequest({ headers: { ...headers, host: "127.0.0.1", origin: "http://evil.example.com" }, chunks: [JSON.stringify(initBody(1))] });
    assert.equal(evilOrigin.status, 403);
    const local = await rawRequest({ headers: { ...headers, host: "localhost:1234" }, chunks: [JSON.stringify(initBody(1))] });
    assert.equal(local.status, 200);
  });

  test("413 for a chunked body past the limit", async () => {
    const headers = { accept: ACCEPT_BOTH, "content-type": "application/json", host: "127.0.0.1", "transfer-encoding": "chunked" };
    const r = await rawRequest({ headers, chunks: Array.from({ length: 8 }, () => "x".repeat(256)) });
    assert.equal(r.status, 413);
    assert.equal(JSON.parse(r.body).error.code, -32000);
  });

  /** Opens a socket, writes `head`, never finishes; resolves with what came back once the server closes it. */
  function slowClient(head: string): Promise<{ data: string; ms: number }> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const socket = net.connect(running.port, "127.0.0.1");
      let data = "";
      socket.setEncoding("utf8");
      socket.on("data", (d) => (data += d));
      socket.on("error", reject);
      socket.on("close", () => resolve({ data, ms: Date.now() - started }));
      socket.write(head);
    });
  }

  test("requestTimeoutMs: a client that never finishes its body is answered 408 and cut off", async () => {
    const r = await slowClient(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: ${ACCEPT_BOTH}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"jsonrpc":`);
    assert.match(r.data, /^HTTP\/1\.1 408/);
    assert.ok(r.ms < 5000, `cut off after ${r.ms} ms (limit 400 ms)`);
  });

  test("headersTimeoutMs: a client that never finishes its headers is cut off", async () => {
    const r = await slowClient("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: ");
    assert.match(r.data, /^HTTP\/1\.1 408/);
    assert.ok(r.ms < 5000, `cut off after ${r.ms} ms (limit 400 ms)`);
  });

  test("close(): open streams end and the listener stops", async () => {
    const other = await serveHttp(makeTestServer(), { port: 0 });
    const { sessionId } = await openSession((r) => fetch(r), other.url);
    const stream = new SseReader(await fetch(get(other.url, { sessionId, version: LATEST })));
    await stream.events.waitFor(() => true);
    await other.close();
    assert.equal(await stream.ended, "end");
    await assert.rejects(fetch(post(other.url, initBody(1))));
  });
});

describe("--http flags (parseHttpArgs)", { timeout: 30_000 }, () => {
  test("flags map onto serveHttp options and add to the manifest's defaults", () => {
    const o = parseHttpArgs(
      ["--http", "8080", "--host", "0.0.0.0", "--path", "/api/mcp", "--stateless", "--json", "--legacy-sse", "--allowed-host", "a.example", "--allowed-host=b.example", "--allowed-origin", "https://c.example", "--cors", "--trust-proxy"],
      { allowedHosts: ["m.example"] },
      {},
    );
    assert.deepEqual(o, {
      port: 8080,
      host: "0.0.0.0",
      path: "/api/mcp",
      sessions: false,
      json: true,
      legacySse: true,
      allowedHosts: ["m.example", "a.example", "b.example"],
      allowedOrigins: ["https://c.example"],
      cors: true,
      trustProxy: true,
    });
    assert.deepEqual(parseHttpArgs(["--http"], {}, { PORT: "4000" }), { port: 4000 });
    assert.deepEqual(parseHttpArgs(["--http", "--json", "--sse"], { json: true }, {}), { json: false });
    assert.throws(() => parseHttpArgs(["--http", "--path", "mcp"], {}, {}), /must start with/);
    assert.throws(() => parseHttpArgs(["--bogus"], {}, {}), /Unknown option --bogus/);
    assert.throws(() => parseHttpArgs(["--host"], {}, {}), /needs a value/);
    assert.throws(() => parseHttpArgs(["--port", "99999"], {}, {}), /not a port/);
  });
});
