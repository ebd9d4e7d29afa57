/**
 * Issue 16, finding 5: `__proto__`, `constructor` and `prototype` as keys in every object
 * a client controls (tool arguments, the arguments a requestState is bound to, `_meta`,
 * elicitation answers in both eras). JSON.parse makes them own data keys; the runtime
 * must keep them as data: hashed into the requestState binding (so changed arguments
 * are refused), never turned into a prototype that makes an answer say what it did not.
 * Method names are client-controlled keys too: `constructor` or `toString` must not find
 * Object.prototype's members in the dispatch tables.
 * The modern fixture as a real child process over stdio; messages are written as text,
 * so the keys reach the server exactly as an attacker would send them.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawServer } from "./helpers.js";

const V = "2026-07-28";
const KEYS = ["__proto__", "constructor", "prototype"] as const;
const meta = { "io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": { elicitation: {}, sampling: {}, roots: {} } };
const SAMPLED = { role: "assistant", content: { type: "text", text: "Hi" }, model: "m" };

/** `{"<key>": value}` with `key` as an own data key, as JSON.parse makes it. */
const own = (key: string, value: unknown): Record<string, unknown> => JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value)}}`);

describe("prototype keys in client-controlled objects (modern fixture, stdio)", { timeout: 30_000 }, () => {
  let server: RawServer;
  before(() => {
    server = new RawServer("modern.ts");
  });
  after(() => server?.close());

  const call = (name: string, args: Record<string, unknown>, more: Record<string, unknown> = {}) =>
    server.request("tools/call", { name, arguments: args, _meta: meta, ...more });

  for (const key of KEYS) {
    test(`requestState is bound to an own "${key}" argument: changed arguments are refused, equal ones accepted`, async () => {
      const r1 = (await call("two_rounds", own(key, { amount: 1 }))).result;
      assert.equal(r1.resultType, "input_required");
      const answer = { inputResponses: { first: { action: "accept", content: { a: "A" } } }, requestState: r1.requestState };

      const changed = await call("two_rounds", own(key, { amount: 1_000_000 }), answer);
      assert.equal(changed.error?.code, -32602, `a changed "${key}" argument must not pass the binding`);
      assert.match(changed.error!.message, /different request/);
      const dropped = await call("two_rounds", {}, answer);
      assert.equal(dropped.error?.code, -32602, `dropping the "${key}" argument must not pass the binding`);

      const same = await call("two_rounds", own(key, { amount: 1 }), answer);
      assert.equal(same.result?.resultType, "input_required", JSON.stringify(same));
      assert.deepEqual(Object.keys(same.result.inputRequests), ["second"]);
    });

    test(`tool arguments with an own "${key}" key: a required argument is not found through it`, async () => {
      const reply = await call("region", own(key, { region: "eu" }));
      assert.equal(reply.result?.isError, true, JSON.stringify(reply));
      assert.match(reply.result.content[0].text, /region/);
      assert.doesNotMatch(reply.result.content[0].text, /region=eu/);
      const ok = await call("region", { region: "us", ...own(key, { count: 5 }) });
      assert.equal(ok.result?.content?.[0]?.text, "region=us count=undefined verbose=undefined", JSON.stringify(ok));
    });

    test(`an elicitation answer whose content has an own "${key}" key is data, not a prototype (2026-07-28)`, async () => {
      const r1 = (await call("greet", {})).result;
      const content = own(key, { name: "Mallory" });
      const r2 = (await call("greet", {}, { inputResponses: { user_name: { action: "accept", content } }, requestState: r1.requestState })).result;
      assert.equal(r2.resultType, "input_required", JSON.stringify(r2));
      // The answer travels to round 3 inside the sealed state: it must come back as data too.
      const r3 = (await call("greet", {}, { inputResponses: { greeting: SAMPLED, roots_1: { roots: [] } }, requestState: r2.requestState })).result;
      assert.equal(r3.content[0].text, "Hi, accept! (0 roots, round 2)", "content.name is not inherited from the answer");
    });

    test(`_meta with an own "${key}" key: no progress token read through it, and the call is served`, async () => {
      const from = server.inbox.items.length;
      const reply = await call("chatty", {}, { _meta: { ...meta, ...own(key, { progressToken: "leak" }) } });
      assert.equal(reply.result?.content?.[0]?.text, "chatted");
      const progress = server.inbox.items.slice(from).filter((m) => !Array.isArray(m) && m.method === "notifications/progress");
      assert.deepEqual(progress, [], "a progress token behind a prototype key is not one");
    });
  }

  test('session era: an elicitation answer with own "__proto__", "constructor" and "prototype" keys', async () => {
    await server.initialize("2025-11-25", { elicitation: {}, sampling: {}, roots: {} });
    for (const key of KEYS) {
      const id = server.freshId();
      const from = server.inbox.items.length;
      server.send({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "greet", arguments: own(key, { x: 1 }) } });
      const elicit = await server.message("elicitation/create", () => true, from);
      server.send(`{"jsonrpc":"2.0","id":${JSON.stringify(elicit.id)},"result":{"action":"accept","content":{${JSON.stringify(key)}:{"name":"Mallory"}}}}`);
      const sample = await server.message("sampling/createMessage", () => true, from);
      server.send({ jsonrpc: "2.0", id: sample.id, result: SAMPLED });
      const roots = await server.message("roots/list", () => true, from);
      server.send({ jsonrpc: "2.0", id: roots.id, result: { roots: [] } });
      const reply = await server.response(id, from);
      assert.equal(reply.result.content[0].text, "Hi, accept! (0 roots, round 0)", key);
    }
  });

  test("method names that are Object.prototype members are unknown methods, in both eras", async () => {
    // The session was initialized by the test before.
    for (const method of ["constructor", "__proto__", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"]) {
      for (const params of [{}, { _meta: meta }]) {
        const reply = await server.request(method, params);
        assert.equal(reply.error?.code, -32601, `${method} ${JSON.stringify(reply)}`);
        assert.equal(reply.error!.message, `Method not found: ${method}`);
      }
    }
  });
});
