/**
 * Streamable HTTP in the 2026-07-28 era, byte by byte: the modern fixture served over a
 * real socket (a child process), driven with raw fetch. Header validation (-32020),
 * envelope (-32602), versions (-32022), removed methods (404 -32601), capabilities
 * (-32021), Mcp-Param headers with the base64 form, JSON vs SSE replies, cancellation by
 * closing the stream, result fields (resultType, serverInfo, cache hints), and that the
 * session era keeps working on the same endpoint.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ACCEPT_BOTH, HttpFixture, LATEST, SseReader, openSession, post as legacyPost, request as legacyRequest } from "./http-helpers.js";

const V = "2026-07-28";
const CAPS = { elicitation: {}, sampling: {}, roots: {} };
const meta = (extra: Record<string, unknown> = {}) => ({
  "io.modelcontextprotocol/protocolVersion": V,
  "io.modelcontextprotocol/clientCapabilities": CAPS,
  "io.modelcontextprotocol/clientInfo": { name: "modern-http-test", version: "1.0.0" },
  ...extra,
});

/** The headers a 2026-07-28 client sends for this body (overridable, or removable with undefined). */
function headersFor(method: string, params: Record<string, unknown>, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const h: Record<string, string | undefined> = {
    "content-type": "application/json",
    accept: ACCEPT_BOTH,
    "mcp-protocol-version": V,
    "mcp-method": method,
  };
  if (method === "tools/call" || method === "prompts/get") h["mcp-name"] = params.name as string;
  if (method === "resources/read") h["mcp-name"] = params.uri as string;
  for (const [k, v] of Object.entries(extra)) h[k.toLowerCase()] = v;
  return Object.fromEntries(Object.entries(h).filter((e): e is [string, string] => e[1] !== undefined));
}

let nextId = 1;

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** POSTs one request; a JSON reply is parsed, an SSE one read to its response. */
async function send(url: string, method: string, params: Record<string, unknown>, extra: Record<string, string | undefined> = {}, id: number | string = nextId++): Promise<Reply & { notifications: any[] }> {
  const response = await fetch(url, { method: "POST", headers: headersFor(method, params, extra), body: JSON.stringify({ jsonrpc: "2.0", id, method, params }) });
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("text/event-stream")) {
    const sse = new SseReader(response);
    const body = await sse.reply(id);
    await sse.cancel();
    return { status: response.status, headers: response.headers, body, notifications: sse.messages().filter((m) => m.method !== undefined) };
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined, notifications: [] };
}

const call = (url: string, name: string, args: Record<string, unknown> = {}, more: Record<string, unknown> = {}, extra: Record<string, string | undefined> = {}) =>
  send(url, "tools/call", { name, arguments: args, _meta: meta(), ...more }, extra);

describe("2026-07-28 over Streamable HTTP", () => {
  let fx: HttpFixture;
  before(async () => {
    fx = await HttpFixture.start([], { fixture: "modern.ts", env: { KEEP_ALIVE_MS: "100" } });
  });
  after(() => fx?.stop());

  test("server/discover: versions, capabilities, instructions, serverInfo, resultType and its cache hint", async () => {
    const r = await send(fx.url, "server/discover", { _meta: meta() });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("mcp-session-id"), null, "no session in the stateless era");
    assert.deepEqual(r.body.result, {
      supportedVersions: [V],
      capabilities: { logging: {}, tools: { listChanged: true }, resources: { subscribe: true, listChanged: true }, prompts: { listChanged: true }, completions: {} },
      instructions: "A fixture for the stateless revision.",
      resultType: "complete",
      _meta: { "io.modelcontextprotocol/serverInfo": { name: "modern-fixture", version: "2.0.0", title: "Modern Fixture" } },
      ttlMs: 60_000,
      cacheScope: "private",
    });
  });

  test("every result says resultType complete and who answered; lists and reads carry cache hints", async () => {
    const tools = await send(fx.url, "tools/list", { _meta: meta() });
    assert.equal(tools.body.result.resultType, "complete");
    assert.equal(tools.body.result._meta["io.modelcontextprotocol/serverInfo"].name, "modern-fixture");
    assert.deepEqual([tools.body.result.ttlMs, tools.body.result.cacheScope], [5000, "public"], "the tools entry of the cache option");
    // Deterministic order: registration order, the same on every call.
    const again = await send(fx.url, "tools/list", { _meta: meta() });
    assert.deepEqual(again.body.result.tools.map((t: any) => t.name), tools.body.result.tools.map((t: any) => t.name));
    for (const [method, key] of [["prompts/list", "prompts"], ["resources/list", "resources"], ["resources/templates/list", "resourceTemplates"]] as const) {
      const r = await send(fx.url, method, { _meta: meta() });
      assert.ok(Array.isArray(r.body.result[key]), method);
      assert.deepEqual([r.body.result.ttlMs, r.body.result.cacheScope, r.body.result.resultType], [1000, "public", "complete"], method);
    }
    const pinned = await send(fx.url, "resources/read", { uri: "res://pinned", _meta: meta() });
    assert.deepEqual([pinned.body.result.ttlMs, pinned.body.result.cacheScope], [86_400_000, "public"], "the resource's own hint wins");
    const watched = await send(fx.url, "resources/read", { uri: "res://watched", _meta: meta() });
    assert.deepEqual([watched.body.result.ttlMs, watched.body.result.cacheScope], [1000, "public"]);
    const completion = await send(fx.url, "completion/complete", { ref: { type: "ref/prompt", name: "ask_prompt" }, argument: { name: "topic", value: "a" }, _meta: meta() });
    assert.deepEqual(completion.body.result.completion.values, ["alpha"]);
    assert.equal(completion.body.result.resultType, "complete");
    assert.equal("ttlMs" in completion.body.result, false, "completions are not cacheable results");
    const custom = await send(fx.url, "custom/echo", { value: 7, _meta: meta() });
    assert.deepEqual(custom.body.result.echoed, 7, "raw handlers serve the modern era too");
    assert.equal(custom.body.result.resultType, "complete");
  });

  test("_meta missing or incomplete: 400 and -32602, with the request id", async () => {
    for (const params of [{}, { _meta: {} }, { _meta: { "io.modelcontextprotocol/protocolVersion": V } }, { _meta: { "io.modelcontextprotocol/clientCapabilities": {} } }]) {
      const r = await send(fx.url, "server/discover", params, {}, "bad-meta");
      assert.equal(r.status, 400, JSON.stringify(params));
      assert.equal(r.body.error.code, -32602);
      assert.equal(r.body.id, "bad-meta");
    }
    const noInfo = await send(fx.url, "server/discover", { _meta: { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": {} } });
    assert.equal(noInfo.status, 200, "clientInfo is optional");
  });

  test("versions: an unknown one is 400 -32022 naming both; the header must equal _meta (400 -32020)", async () => {
    const unknown = await send(fx.url, "server/discover", { _meta: meta({ "io.modelcontextprotocol/protocolVersion": "2099-01-01" }) }, { "mcp-protocol-version": "2099-01-01" }, 301);
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body, {
      jsonrpc: "2.0",
      id: 301,
      error: { code: -32022, message: unknown.body.error.message, data: { supported: [V], requested: "2099-01-01" } },
    });
    const mismatch = await send(fx.url, "server/discover", { _meta: meta({ "io.modelcontextprotocol/protocolVersion": "2099-01-01" }) });
    assert.deepEqual([mismatch.status, mismatch.body.error.code], [400, -32020]);
    const missing = await send(fx.url, "server/discover", { _meta: meta() }, { "mcp-protocol-version": undefined });
    assert.deepEqual([missing.status, missing.body.error.code], [400, -32020]);
  });

  test("Mcp-Method and Mcp-Name: required, case-sensitive values, trimmed, names case-insensitive", async () => {
    const params = { name: "greet", arguments: {}, _meta: meta() };
    const cases: [Record<string, string | undefined>, number][] = [
      [{ "mcp-method": undefined }, 400],
      [{ "mcp-method": "prompts/list" }, 400],
      [{ "mcp-method": "TOOLS/CALL" }, 400],
      [{ "mcp-name": undefined }, 400],
      [{ "mcp-name": "other" }, 400],
      [{ "mcp-name": "  greet  " }, 200],
      [{ "MCP-METHOD": "tools/call" }, 200],
    ];
    for (const [extra, status] of cases) {
      const r = await send(fx.url, "tools/call", params, extra);
      assert.equal(r.status, status, JSON.stringify(extra));
      if (status === 400) assert.equal(r.body.error.code, -32020, JSON.stringify(extra));
    }
    const read = await send(fx.url, "resources/read", { uri: "res://watched", _meta: meta() }, { "mcp-name": "res://other" });
    assert.deepEqual([read.status, read.body.error.code], [400, -32020], "resources/read names its uri");
  });

  test("Mcp-Param headers: required when the argument is present, base64 form decoded, integers compared as numbers", async () => {
    const ok = (r: Reply) => assert.equal(r.status, 200, JSON.stringify(r.body));
    const mismatch = (r: Reply) => assert.deepEqual([r.status, r.body.error?.code], [400, -32020], JSON.stringify(r.body));
    ok(await call(fx.url, "region", { region: "eu" }, {}, { "mcp-param-region": "eu" }));
    mismatch(await call(fx.url, "region", { region: "eu" }, {}, {}));
    mismatch(await call(fx.url, "region", { region: "eu" }, {}, { "mcp-param-region": "us" }));
    const hello = `=?base64?${Buffer.from("Héllo wörld ").toString("base64")}?=`;
    ok(await call(fx.url, "region", { region: "Héllo wörld " }, {}, { "mcp-param-region": hello }));
    mismatch(await call(fx.url, "region", { region: "Hello" }, {}, { "mcp-param-region": "=?base64?SGVsbG8?=" }));
    mismatch(await call(fx.url, "region", { region: "Hello" }, {}, { "mcp-param-region": "=?base64?SGVs!!!bG8=?=" }));
    ok(await call(fx.url, "region", { region: "=?base64?SGVsbG8=" }, {}, { "mcp-param-region": "=?base64?SGVsbG8=" }));
    ok(await call(fx.url, "region", { region: "eu", count: 42 }, {}, { "mcp-param-region": "eu", "mcp-param-count": "42.0" }));
    mismatch(await call(fx.url, "region", { region: "eu", count: 42 }, {}, { "mcp-param-region": "eu", "mcp-param-count": "43" }));
    ok(await call(fx.url, "region", { region: "eu", verbose: false }, {}, { "mcp-param-region": "eu", "mcp-param-verbose": "false" }));
    mismatch(await call(fx.url, "region", { region: "eu", verbose: false }, {}, { "mcp-param-region": "eu", "mcp-param-verbose": "False" }));
    ok(await call(fx.url, "region", { region: "eu", verbose: null, note: "x" }, {}, { "mcp-param-region": "eu" }));
    const listed = await send(fx.url, "tools/list", { _meta: meta() });
    const region = listed.body.result.tools.find((t: any) => t.name === "region");
    assert.equal(region.inputSchema.properties.region["x-mcp-header"], "Region", "the annotation is listed as written");
  });

  test("removed and unknown methods: 404 with -32601; a modern initialize too", async () => {
    for (const method of ["initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe", "no/such/method"]) {
      const r = await send(fx.url, method, { _meta: meta() }, {}, 500);
      assert.deepEqual([r.status, r.body.error.code, r.body.id], [404, -32601, 500], method);
    }
  });

  test("a capability the client did not declare: 400 and -32021 naming it (as a ClientCapabilities object)", async () => {
    const r = await send(fx.url, "tools/call", { name: "needs_sampling", arguments: {}, _meta: meta({ "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } }) });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, -32021);
    assert.deepEqual(r.body.error.data, { requiredCapabilities: { sampling: {} } });
    const url = await send(fx.url, "tools/call", { name: "url_elicit", arguments: {}, _meta: meta() });
    assert.deepEqual(url.body.error.data, { requiredCapabilities: { elicitation: { url: {} } } }, "form-only elicitation does not cover URL mode");
  });

  test("an unknown resource is -32602 with data.uri (never empty contents)", async () => {
    const r = await send(fx.url, "resources/read", { uri: "res://nope", _meta: meta() });
    assert.equal(r.status, 200, "a handler-level error stays in-band");
    assert.deepEqual([r.body.error.code, r.body.error.data], [-32602, { uri: "res://nope" }]);
  });

  test("notifications go on an SSE stream before the response; logs only at the level _meta asks for", async () => {
    const quiet = await call(fx.url, "chatty", {}, { _meta: { ...meta(), progressToken: "p1" } });
    assert.equal(quiet.headers.get("content-type"), "text/event-stream");
    assert.equal(quiet.headers.get("x-accel-buffering"), "no");
    assert.deepEqual(quiet.notifications.map((n) => n.method), ["notifications/progress", "notifications/progress"], "no logLevel: no log messages");
    assert.deepEqual(quiet.notifications.map((n) => n.params.progress), [1, 2]);
    assert.equal(quiet.body.result.content[0].text, "chatted");
    const info = await call(fx.url, "chatty", {}, { _meta: meta({ "io.modelcontextprotocol/logLevel": "info" }) });
    assert.deepEqual(info.notifications.map((n) => n.params.data), ["info line", "error line"]);
    const plain = await call(fx.url, "greet", {}, { _meta: meta({ "io.modelcontextprotocol/clientCapabilities": { elicitation: {}, sampling: {}, roots: {} } }) });
    assert.equal(plain.headers.get("content-type"), "application/json", "no notification: one JSON body");
  });

  test("closing the response stream cancels the request", async () => {
    const controller = new AbortController();
    const params = { name: "slow", arguments: {}, _meta: meta() };
    const response = await fetch(fx.url, {
      method: "POST",
      headers: headersFor("tools/call", params),
      body: JSON.stringify({ jsonrpc: "2.0", id: "slow-1", method: "tools/call", params }),
      signal: controller.signal,
    });
    // The call runs past the switch to SSE: keep-alive comments flow on the stream.
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    await fx.waitForStderr(/started: slow/);
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /^: keep-alive/m);
    controller.abort();
    await fx.waitForStderr(/aborted: slow/);
  });

  test("GET and DELETE from a 2026-07-28 client are 405; Mcp-Session-Id and Last-Event-ID are ignored on its POSTs", async () => {
    for (const method of ["GET", "DELETE"]) {
      const r = await fetch(fx.url, { method, headers: { accept: "text/event-stream", "mcp-protocol-version": V } });
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.get("allow"), "POST");
      await r.body?.cancel();
    }
    const r = await send(fx.url, "tools/list", { _meta: meta() }, { "mcp-session-id": "no-such-session", "last-event-id": "x.1" });
    assert.equal(r.status, 200);
  });

  test("batches and posted responses are refused; a notification is 202", async () => {
    const batch = await fetch(fx.url, {
      method: "POST",
      headers: headersFor("tools/list", {}),
      body: JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: meta() } }]),
    });
    assert.deepEqual([batch.status, ((await batch.json()) as any).error.code], [400, -32600]);
    const note = await fetch(fx.url, {
      method: "POST",
      headers: headersFor("notifications/cancelled", {}),
      body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1, _meta: meta() } }),
    });
    assert.equal(note.status, 202);
  });

  test("the session era still works on the same endpoint, GET stream included", async () => {
    const { sessionId } = await openSession((r) => fetch(r), fx.url, LATEST);
    const list = await fetch(legacyPost(fx.url, legacyRequest(2, "tools/list"), { sessionId, version: LATEST }));
    assert.equal(list.status, 200);
    const reply = (await (new SseReader(list).reply(2))) as any;
    assert.equal(reply.result.resultType, undefined, "no 2026-07-28 fields on session-era results");
    const stream = await fetch(fx.url, { headers: { accept: "text/event-stream", "mcp-session-id": sessionId, "mcp-protocol-version": LATEST } });
    assert.equal(stream.status, 200);
    await stream.body?.cancel();
    const ping = await fetch(legacyPost(fx.url, legacyRequest(3, "ping"), { sessionId, version: LATEST }));
    assert.deepEqual(((await new SseReader(ping).reply(3)) as any).result, {});
  });
});
