/**
 * Issue 16, finding 4: a deprecated HTTP+SSE session (GET /sse, POST /messages) belongs
 * to the token that opened it, as a Streamable HTTP session does. Another user, or the
 * same user through another client, gets 404 on its message URL, and nothing of theirs
 * runs in it or comes down its stream. Per-item scopes are checked on these POSTs too.
 * Real HTTP on 127.0.0.1, raw fetch.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SseReader, initBody, notification, request, callTool } from "./http-helpers.js";
import { bearerHeader, openSession, post, serveWithAuth, type Served } from "./auth-helpers.js";
import { McpServer, serveHttp, type AuthInfo } from "../../runtime/src/index.js";

const IDENTITIES: Record<string, AuthInfo> = {
  alice: { subject: "alice", clientId: "app", scopes: ["notes:read"] },
  bob: { subject: "bob", clientId: "app", scopes: ["notes:read", "notes:write"] },
  "alice-other-app": { subject: "alice", clientId: "other-app", scopes: ["notes:read"] },
};

describe("legacy HTTP+SSE sessions are bound to the token that opened them", { timeout: 30_000 }, () => {
  let served: Served;
  before(async () => {
    served = await serveWithAuth(
      { verifier: "custom", authorizationServers: ["https://login.example.com"], verifyToken: (token) => IDENTITIES[token] },
      { legacySse: true },
    );
  });
  after(() => served?.close());

  async function openLegacy(token: string): Promise<{ sse: SseReader; messages: string }> {
    const response = await fetch(`${served.origin}/sse`, { headers: { accept: "text/event-stream", ...bearerHeader(token) } });
    assert.equal(response.status, 200);
    const sse = new SseReader(response);
    const endpoint = await sse.events.waitFor((e) => e.event === "endpoint", "the endpoint event");
    return { sse, messages: `${served.origin}${endpoint.data}` };
  }

  const send = (url: string, body: unknown, token: string) =>
    fetch(url, { method: "POST", headers: { "content-type": "application/json", ...bearerHeader(token) }, body: JSON.stringify(body) });

  test("another subject or another client gets 404; the owner is served", async () => {
    const alice = await openLegacy("alice");
    try {
      assert.equal((await send(alice.messages, initBody(1, "2024-11-05"), "alice")).status, 202);
      await alice.sse.reply(1);
      assert.equal((await send(alice.messages, notification("notifications/initialized"), "alice")).status, 202);

      for (const intruder of ["bob", "alice-other-app"]) {
        const refused = await send(alice.messages, callTool(`${intruder}-call`, "whoami"), intruder);
        assert.equal(refused.status, 404, `${intruder} must not reach alice's session`);
        assert.equal(((await refused.json()) as { error: { code: number } }).error.code, -32001);
      }
      // The owner still is served, and nothing the intruders sent ran or came down her stream.
      assert.equal((await send(alice.messages, callTool(2, "whoami"), "alice")).status, 202);
      const reply = await alice.sse.reply(2);
      assert.equal(JSON.parse((reply.result as { content: { text: string }[] }).content[0]!.text).subject, "alice");
      assert.ok(!alice.sse.messages().some((m) => typeof m.id === "string" && m.id.endsWith("-call")), "no intruder reply on alice's stream");
    } finally {
      await alice.sse.cancel();
    }
  });

  test("per-item scopes are checked on legacy POSTs (403 with a step-up challenge)", async () => {
    const alice = await openLegacy("alice");
    try {
      await send(alice.messages, initBody(1, "2024-11-05"), "alice");
      await alice.sse.reply(1);
      await send(alice.messages, notification("notifications/initialized"), "alice");
      const denied = await send(alice.messages, callTool(3, "write_note"), "alice");
      assert.equal(denied.status, 403);
      assert.match(denied.headers.get("www-authenticate") ?? "", /insufficient_scope/);
      assert.equal((await send(alice.messages, request(4, "ping"), "alice")).status, 202);
      await alice.sse.reply(4);
      assert.ok(!alice.sse.messages().some((m) => m.id === 3), "the refused call never ran");
    } finally {
      await alice.sse.cancel();
    }
  });

  test("Streamable HTTP binds to the client id too: the same user through another app gets 404", async () => {
    const headers = await openSession(served.url, "alice");
    const list = { jsonrpc: "2.0", id: 2, method: "tools/list" };
    assert.equal((await post(served.url, list, { ...headers, ...bearerHeader("alice-other-app") })).status, 404);
    assert.equal((await post(served.url, list, { ...headers, ...bearerHeader("bob") })).status, 404);
    assert.equal((await post(served.url, list, headers)).status, 200);
  });

  test("an unauthenticated GET /sse is refused (401)", async () => {
    const response = await fetch(`${served.origin}/sse`, { headers: { accept: "text/event-stream" } });
    assert.equal(response.status, 401);
    await response.body?.cancel();
  });
});

describe("sessions are bound with a custom authenticate function too", { timeout: 30_000 }, () => {
  test("Streamable HTTP and legacy SSE: another identity gets 404", async () => {
    const server = new McpServer({ name: "custom-auth", version: "1" });
    server.tool({ name: "whoami", handler: (_input, ctx) => ctx.auth?.subject ?? "nobody" });
    const running = await serveHttp(server, {
      port: 0,
      legacySse: true,
      authenticate: (req) => {
        const user = req.header("x-user");
        return user ? { subject: user, scopes: [] } : new Response("who are you?", { status: 401 });
      },
    });
    const origin = new URL(running.url).origin;
    try {
      const as = (user: string) => ({ "x-user": user });
      const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
      const init = await fetch(running.url, { method: "POST", headers: { ...headers, ...as("alice") }, body: JSON.stringify(initBody(1)) });
      assert.equal(init.status, 200);
      const sessionId = init.headers.get("mcp-session-id")!;
      await init.body?.cancel();
      const list = (user: string) =>
        fetch(running.url, { method: "POST", headers: { ...headers, ...as(user), "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" }, body: JSON.stringify(request(2, "tools/list")) });
      const stolen = await list("bob");
      assert.equal(stolen.status, 404);
      await stolen.body?.cancel();
      const own = await list("alice");
      assert.equal(own.status, 200);
      await own.body?.cancel();

      const opened = await fetch(`${origin}/sse`, { headers: { accept: "text/event-stream", ...as("alice") } });
      const sse = new SseReader(opened);
      try {
        const endpoint = await sse.events.waitFor((e) => e.event === "endpoint", "the endpoint event");
        const post = (user: string, body: unknown) => fetch(`${origin}${endpoint.data}`, { method: "POST", headers: { "content-type": "application/json", ...as(user) }, body: JSON.stringify(body) });
        const refused = await post("bob", initBody(1, "2024-11-05"));
        assert.equal(refused.status, 404);
        await refused.body?.cancel();
        assert.equal((await post("alice", initBody(1, "2024-11-05"))).status, 202);
        await sse.reply(1);
      } finally {
        await sse.cancel();
      }
    } finally {
      await running.close();
      await server.close();
    }
  });
});
