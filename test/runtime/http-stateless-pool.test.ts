/**
 * Stateless Streamable HTTP reuses the sessions that answer POSTs (StatelessPool). What
 * one POST does must never be seen by the next: these run over a real socket through
 * `serveHttp`, as a client would, and check that a state change retires its session,
 * that concurrent POSTs with the same JSON-RPC id each get their own answer, and that
 * the pool stays bounded.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { McpServer, serveHttp, type RunningHttpServer } from "../../runtime/src/index.js";

const V = "2025-11-25";
const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": V };

function makeServer(): McpServer {
  const server = new McpServer({ name: "pool", version: "1.0.0" }, { capabilities: { logging: {} } });
  server.tool({
    name: "note",
    inputSchema: { type: "object", properties: { n: { type: "number" } }, required: ["n"] },
    handler: async ({ n }: { n: number }, ctx) => {
      await ctx.log.info(`note ${n}`);
      // Interleave: every concurrent call is in flight at once before any answers.
      await new Promise((resolve) => setImmediate(resolve));
      return `n=${n}`;
    },
  });
  return server;
}

async function postJson(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: "POST", headers: HEADERS, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

describe("stateless session reuse, SSE replies", { timeout: 30_000 }, () => {
  let running: RunningHttpServer;
  before(async () => (running = await serveHttp(makeServer(), { port: 0, sessions: false })));
  after(() => running.close());

  test("logging/setLevel on one POST does not silence the next POST's logs", async () => {
    const set = await postJson(running.url, { jsonrpc: "2.0", id: 1, method: "logging/setLevel", params: { level: "error" } });
    assert.equal(set.status, 200);
    assert.match(set.text, /"result":\{\}/);
    const callOnce = await postJson(running.url, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "note", arguments: { n: 1 } } });
    assert.match(callOnce.text, /notifications\/message/, "the info log reaches the client: the level set by another POST did not stick");
    assert.match(callOnce.text, /n=1/);
  });
});

describe("stateless session reuse, JSON replies", { timeout: 30_000 }, () => {
  let running: RunningHttpServer;
  const server = makeServer();
  before(async () => (running = await serveHttp(server, { port: 0, sessions: false, json: true })));
  after(() => running.close());

  test("32 concurrent POSTs with the same id each get their own answer", async () => {
    const replies = await Promise.all(
      Array.from({ length: 32 }, (_, n) => postJson(running.url, { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "note", arguments: { n } } })),
    );
    replies.forEach((r, n) => {
      assert.equal(r.status, 200);
      const reply = JSON.parse(r.text);
      assert.equal(reply.id, 7);
      assert.equal(reply.result.content[0].text, `n=${n}`);
    });
  });

  test("the pool keeps at most 64 idle sessions, and every server session is idle or closed once answered", async () => {
    await Promise.all(
      Array.from({ length: 100 }, (_, n) => postJson(running.url, { jsonrpc: "2.0", id: n, method: "tools/call", params: { name: "note", arguments: { n } } })),
    );
    assert.ok(server.sessions.size <= 64, `idle stateless sessions are bounded, got ${server.sessions.size}`);
    assert.ok(server.sessions.size >= 1, "answered POSTs leave their sessions for reuse");
  });

  test("a state change (logging/setLevel) retires the session instead of pooling it", async () => {
    const before = server.sessions.size;
    const r = await postJson(running.url, { jsonrpc: "2.0", id: 1, method: "logging/setLevel", params: { level: "error" } });
    assert.equal(r.status, 200);
    assert.ok(server.sessions.size <= before, "the session that took a state change was closed, not pooled");
    for (const s of server.sessions) assert.equal((s as unknown as { logLevelIndex: number }).logLevelIndex, 0, "no pooled session carries a log level");
  });
});
