/**
 * Input-required round trips (2026-07-28 MRTR): the same handler asks a session-era
 * client with requests and ends a 2026-07-28 call with `input_required`; the retry's
 * answers (and the earlier rounds', sealed in requestState) are what the ctx calls return.
 * The state's HMAC, expiry and binding to the request are checked; so are missing,
 * extra and malformed answers, batching, several rounds, capabilities, and the secret
 * shared by replicas. Over stdio (the modern fixture as a child process) and in process.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { McpServer, Peer, RequestStateCodec, createMemoryTransportPair } from "../../runtime/src/index.js";
import { RawServer } from "./helpers.js";
import { ACCEPT_BOTH, HttpFixture } from "./http-helpers.js";

const V = "2026-07-28";
const meta = (caps: Record<string, unknown> = { elicitation: {}, sampling: {}, roots: {} }) => ({
  "io.modelcontextprotocol/protocolVersion": V,
  "io.modelcontextprotocol/clientCapabilities": caps,
});
const SAMPLED = { role: "assistant", content: { type: "text", text: "Hi" }, model: "m" };
const accept = (content: Record<string, unknown>) => ({ action: "accept", content });

describe("MRTR over stdio (the modern fixture)", () => {
  let server: RawServer;
  before(() => {
    server = new RawServer("modern.ts");
  });
  after(() => server?.close());

  const greet = (more: Record<string, unknown> = {}, caps?: Record<string, unknown>) =>
    server.request("tools/call", { name: "greet", arguments: {}, _meta: meta(caps), ...more });

  test("round 1 asks the first input; round 2 the two asked together; round 3 completes, side effect once", async () => {
    const r1 = (await greet()).result;
    assert.equal(r1.resultType, "input_required");
    assert.deepEqual(Object.keys(r1.inputRequests), ["user_name"]);
    assert.deepEqual(r1.inputRequests.user_name, {
      method: "elicitation/create",
      params: { mode: "form", message: "What is your name?", requestedSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } },
    });
    assert.equal(typeof r1.requestState, "string");
    assert.equal(r1._meta["io.modelcontextprotocol/serverInfo"].name, "modern-fixture");

    const r2 = (await greet({ inputResponses: { user_name: accept({ name: "Ada" }) }, requestState: r1.requestState })).result;
    assert.equal(r2.resultType, "input_required");
    assert.deepEqual(Object.keys(r2.inputRequests), ["greeting", "roots_1"], "inputs started together are asked in one round, in call order");
    assert.equal(r2.inputRequests.greeting.method, "sampling/createMessage");
    assert.deepEqual(r2.inputRequests.roots_1, { method: "roots/list", params: {} });
    assert.notEqual(r2.requestState, r1.requestState);
    assert.doesNotMatch(server.stderr, /effect:/, "the side effect after the inputs has not run yet");

    // Only this round's answers: the name travels in requestState.
    const r3 = (await greet({ inputResponses: { greeting: SAMPLED, roots_1: { roots: [{ uri: "file:///a" }] } }, requestState: r2.requestState })).result;
    assert.equal(r3.resultType, "complete");
    assert.equal(r3.content[0].text, "Hi, Ada! (1 roots, round 2)");
    await server.waitForStderr(/effect: 1/);
  });

  test("a missing answer is asked again; unknown extra answers are ignored", async () => {
    const again = (await greet({ inputResponses: { wrong_key: accept({ x: 1 }) } })).result;
    assert.equal(again.resultType, "input_required");
    assert.deepEqual(Object.keys(again.inputRequests), ["user_name"]);
    const extra = (await greet({ inputResponses: { user_name: accept({ name: "Bo" }), junk: { action: "accept" } } })).result;
    assert.deepEqual(Object.keys(extra.inputRequests), ["greeting", "roots_1"], "answers without requestState are a first round's");
  });

  test("malformed inputResponses and answers are -32602, not a complete result", async () => {
    for (const inputResponses of [null, 5, [], { user_name: 12345 }, { user_name: { action: "maybe" } }]) {
      const r = await greet({ inputResponses });
      assert.equal(r.error?.code, -32602, JSON.stringify(inputResponses));
    }
    assert.equal((await greet({ requestState: 42 })).error?.code, -32602);
  });

  test("requestState: tampered, from another request, or made up is refused with -32602", async () => {
    const r1 = (await greet()).result;
    const tampered = await greet({ inputResponses: { user_name: accept({ name: "Eve" }) }, requestState: `${r1.requestState}-TAMPERED` });
    assert.equal(tampered.error?.code, -32602);
    assert.match(tampered.error!.message, /integrity/);
    // Flip one character of the payload: the HMAC no longer matches.
    const s = r1.requestState as string;
    const flipped = (s[3] === "A" ? "B" : "A") + "";
    assert.equal((await greet({ requestState: s.slice(0, 3) + flipped + s.slice(4) })).error?.code, -32602);
    // The state of greet does not open two_rounds, nor greet called with other arguments.
    const other = await server.request("tools/call", { name: "two_rounds", arguments: {}, _meta: meta(), requestState: s });
    assert.match(other.error!.message, /different request/);
    const otherArgs = await server.request("tools/call", { name: "greet", arguments: { x: 1 }, _meta: meta(), requestState: s });
    assert.match(otherArgs.error!.message, /different request/);
    assert.equal((await greet({ requestState: "made.up" })).error?.code, -32602);
  });

  test("several rounds carry earlier answers and the handler's roundData", async () => {
    const call = (more: Record<string, unknown>) => server.request("tools/call", { name: "two_rounds", arguments: { topic: "t" }, _meta: meta(), ...more });
    const r1 = (await call({})).result;
    assert.deepEqual(Object.keys(r1.inputRequests), ["first"]);
    const r2 = (await call({ inputResponses: { first: accept({ a: "A" }) }, requestState: r1.requestState })).result;
    assert.deepEqual(Object.keys(r2.inputRequests), ["second"]);
    const r3 = (await call({ inputResponses: { second: accept({ b: "B" }) }, requestState: r2.requestState })).result;
    assert.equal(r3.content[0].text, 'A+B about t (carried: {"topic":"t","startedAt":"first-round"})');
  });

  test("input_required also ends prompts/get and resources/read; never a list", async () => {
    const p1 = (await server.request("prompts/get", { name: "ask_prompt", _meta: meta() })).result;
    assert.deepEqual(Object.keys(p1.inputRequests), ["user_context"]);
    const p2 = (await server.request("prompts/get", { name: "ask_prompt", _meta: meta(), inputResponses: { user_context: accept({ context: "c" }) }, requestState: p1.requestState })).result;
    assert.deepEqual(p2.messages, [{ role: "user", content: { type: "text", text: "Use this context: c" } }]);
    assert.equal(p2.resultType, "complete");
    const r1 = (await server.request("resources/read", { uri: "asks://x", _meta: meta() })).result;
    assert.deepEqual(Object.keys(r1.inputRequests), ["consent"]);
    const r2 = (await server.request("resources/read", { uri: "asks://x", _meta: meta(), inputResponses: { consent: accept({ ok: true }) }, requestState: r1.requestState })).result;
    assert.deepEqual(r2.contents, [{ uri: "asks://x", mimeType: "text/plain", text: "asks://x: granted" }]);
    assert.deepEqual([r2.ttlMs, r2.cacheScope], [1000, "public"]);
    for (const method of ["tools/list", "prompts/list"]) assert.equal((await server.request(method, { _meta: meta() })).result.resultType, "complete");
  });

  test("only declared capabilities are asked: -32021 names the missing one", async () => {
    const r = await greet({}, { sampling: {} });
    assert.equal(r.error?.code, -32021);
    assert.deepEqual(r.error?.data, { requiredCapabilities: { elicitation: {} } });
    const rootsMissing = await greet({ inputResponses: { user_name: accept({ name: "A" }) } }, { elicitation: {}, sampling: {} });
    assert.deepEqual(rootsMissing.error?.data, { requiredCapabilities: { roots: {} } });
  });

  test("the same process answers a session-era client with requests, as before", async () => {
    const init = await server.initialize("2025-11-25", { elicitation: {}, sampling: {}, roots: {} });
    assert.equal(init.protocolVersion, "2025-11-25");
    const id = server.freshId();
    const from = server.inbox.items.length;
    server.send({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "greet", arguments: {} } });
    const elicit = await server.message("elicitation/create", () => true, from);
    assert.equal(elicit.params.message, "What is your name?");
    server.send({ jsonrpc: "2.0", id: elicit.id, result: accept({ name: "Cy" }) });
    const sample = await server.message("sampling/createMessage", () => true, from);
    server.send({ jsonrpc: "2.0", id: sample.id, result: SAMPLED });
    const roots = await server.message("roots/list", () => true, from);
    server.send({ jsonrpc: "2.0", id: roots.id, result: { roots: [] } });
    const reply = await server.response(id, from);
    assert.equal(reply.result.content[0].text, "Hi, Cy! (0 roots, round 0)");
    assert.equal(reply.result.resultType, undefined);
    // And 2026-07-28 requests still work in this process after initialize.
    assert.equal((await greet()).result.resultType, "input_required");
  });
});

describe("requestState codec", () => {
  test("seals and opens; binding, expiry and the secret are checked", async () => {
    const codec = new RequestStateCodec({ secret: "s".repeat(32), ttlMs: 1000 });
    const state = await codec.seal({ answers: { a: { action: "cancel" } }, round: 1, data: { n: 1 } }, "binding-1", 10_000);
    assert.deepEqual(await codec.open(state, "binding-1", 10_500), { answers: { a: { action: "cancel" } }, round: 1, data: { n: 1 } });
    await assert.rejects(codec.open(state, "binding-2", 10_500), /different request/);
    await assert.rejects(codec.open(state, "binding-1", 11_000), /expired/);
    await assert.rejects(new RequestStateCodec({ secret: "t".repeat(32) }).open(state, "binding-1", 10_500), /integrity/);
    const [body, mac] = state.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, "base64url").toString()), r: { a: { action: "accept" } } })).toString("base64url");
    await assert.rejects(codec.open(`${forged}.${mac}`, "binding-1", 10_500), /integrity/);
    assert.throws(() => new RequestStateCodec({ secret: "short" }), /at least 32 bytes/);
  });

  test("replicas that share MCP_REQUEST_STATE_SECRET accept each other's state; others refuse it", async () => {
    const secret = "replica-secret-0123456789-abcdefghij";
    const [a, b, c] = await Promise.all([
      HttpFixture.start([], { fixture: "modern.ts", env: { MCP_REQUEST_STATE_SECRET: secret } }),
      HttpFixture.start([], { fixture: "modern.ts", env: { MCP_REQUEST_STATE_SECRET: secret } }),
      HttpFixture.start([], { fixture: "modern.ts" }),
    ]);
    try {
      const call = async (url: string, more: Record<string, unknown> = {}) => {
        const params = { name: "two_rounds", arguments: {}, _meta: meta(), ...more };
        const r = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: ACCEPT_BOTH, "mcp-protocol-version": V, "mcp-method": "tools/call", "mcp-name": "two_rounds" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params }),
        });
        return (await r.json()) as any;
      };
      const r1 = (await call(a.url)).result;
      const onB = await call(b.url, { inputResponses: { first: accept({ a: "1" }) }, requestState: r1.requestState });
      assert.deepEqual(Object.keys(onB.result.inputRequests), ["second"], "replica b opened replica a's state");
      const onC = await call(c.url, { inputResponses: { first: accept({ a: "1" }) }, requestState: r1.requestState });
      assert.equal(onC.error?.code, -32602, "a process with its own random secret refuses it");
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()]);
    }
  });
});

describe("MRTR in process: batching, handler errors, expiry", () => {
  const start = async (server: McpServer) => {
    const [a, b] = createMemoryTransportPair();
    await server.connect(a);
    const peer = new Peer();
    await peer.connect(b);
    return peer;
  };

  test("a handler that catches InputRequired still ends with input_required; other errors are isError results", async () => {
    const server = new McpServer({ name: "t", version: "1" });
    server.tool({
      name: "swallow",
      handler: async (_a, ctx) => {
        try {
          await ctx.elicitForm("?", { type: "object", properties: {} }, { key: "q" });
          return "answered";
        } catch {
          return "swallowed";
        }
      },
    });
    server.tool({
      name: "fails_after",
      handler: async (_a, ctx) => {
        await ctx.elicitForm("?", { type: "object", properties: {} }, { key: "q" });
        throw new Error("boom");
      },
    });
    const peer = await start(server);
    const r = await peer.request<any>("tools/call", { name: "swallow", arguments: {}, _meta: meta() });
    assert.equal(r.resultType, "input_required");
    assert.deepEqual(Object.keys(r.inputRequests), ["q"]);
    const done = await peer.request<any>("tools/call", { name: "fails_after", arguments: {}, _meta: meta(), inputResponses: { q: { action: "decline" } } });
    assert.equal(done.isError, true);
    assert.match(done.content[0].text, /boom/);
    await server.close();
  });

  test("an expired requestState is refused", async () => {
    const server = new McpServer({ name: "t", version: "1" }, { requestState: { ttlMs: 1 } });
    server.tool({
      name: "two",
      handler: async (_a, ctx) => {
        await ctx.elicitForm("1", { type: "object", properties: {} }, { key: "one" });
        await ctx.elicitForm("2", { type: "object", properties: {} }, { key: "two" });
        return "ok";
      },
    });
    const peer = await start(server);
    const r1 = await peer.request<any>("tools/call", { name: "two", arguments: {}, _meta: meta() });
    // The state expires 1 ms after it was sealed; wait on a timer past that instant.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await assert.rejects(
      peer.request("tools/call", { name: "two", arguments: {}, _meta: meta(), inputResponses: { one: { action: "cancel" } }, requestState: r1.requestState }),
      (e: any) => e.code === -32602 && /expired/.test(e.message),
    );
    await server.close();
  });

  test("input requests are only possible in tools/call, prompts/get and resources/read", async () => {
    const server = new McpServer({ name: "t", version: "1" });
    server.prompt({
      name: "p",
      get: () => "x",
      arguments: [{ name: "a" }],
      complete: { a: async (_v, _c, ctx) => [(await ctx.listRoots()).length.toString()] },
    });
    const peer = await start(server);
    await assert.rejects(
      peer.request("completion/complete", { ref: { type: "ref/prompt", name: "p" }, argument: { name: "a", value: "" }, _meta: meta() }),
      (e: any) => e.code === -32600 && /only tools\/call, prompts\/get and resources\/read/.test(e.message),
    );
    await server.close();
  });
});
