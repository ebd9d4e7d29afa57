/**
 * Malformed and hostile input over real stdio: every case gets the right JSON-RPC
 * answer (-32700 with id null, -32600, -32601, -32602) and the server keeps serving.
 * One server for the whole file; the tests run in order (the first ones before
 * initialize).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawServer, isResponse, type Wire } from "./helpers.js";

const MAX = 64 * 1024;

describe("bad input over stdio", { timeout: 30_000 }, () => {
  let server: RawServer;
  before(() => {
    server = new RawServer("kitchen-sink.ts", { env: { MAX_MESSAGE_BYTES: String(MAX) } });
  });
  after(async () => {
    const exit = await server.close();
    assert.equal(exit.code, 0, `clean exit after all that; stderr:\n${server.stderr}`);
    assert.deepEqual(server.nonJson, [], "stdout carried only JSON-RPC");
  });

  /** Sends one line and returns the error reply with `id`. */
  async function errorFor(line: unknown, id: string | number | null, code: number, pattern?: RegExp): Promise<Wire> {
    const from = server.inbox.items.length;
    server.send(line);
    const reply = await server.inbox.waitFor((m) => !Array.isArray(m) && isResponse(m) && m.id === id, `a reply with id ${id}`, from);
    assert.ok(reply.error, `expected an error, got ${JSON.stringify(reply)}`);
    assert.equal(reply.error.code, code, reply.error.message);
    assert.equal(reply.jsonrpc, "2.0");
    if (pattern) assert.match(reply.error.message, pattern);
    return reply;
  }

  /** The server still answers, and nothing unexpected arrived since `from`. */
  async function stillServing(from?: number): Promise<void> {
    const start = from ?? server.inbox.items.length;
    const id = `alive-${server.freshId()}`;
    const reply = await server.request("ping", undefined, id);
    assert.deepEqual(reply.result, {});
    const extra = server.inbox.items.slice(start).filter((m) => !(isResponse(m) && m.id === id));
    assert.deepEqual(extra, [], "no reply other than the ping's");
  }

  describe("before initialize", () => {
    test("a request other than initialize or ping is refused with -32600", async () => {
      await errorFor({ jsonrpc: "2.0", id: 1, method: "tools/list" }, 1, -32600, /before initialize/);
      await errorFor({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo", arguments: { message: "x" } } }, 2, -32600);
    });

    test("ping is answered, notifications are ignored", async () => {
      const from = server.inbox.items.length;
      server.send({ jsonrpc: "2.0", method: "notifications/roots/list_changed" });
      await stillServing(from);
    });

    test("initialize with bad params is -32602 and leaves the session uninitialized", async () => {
      await errorFor({ jsonrpc: "2.0", id: 3, method: "initialize", params: { capabilities: {} } }, 3, -32602, /protocolVersion/);
      await errorFor({ jsonrpc: "2.0", id: 4, method: "initialize", params: { protocolVersion: 2025 } }, 4, -32602);
      await errorFor(
        { jsonrpc: "2.0", id: 5, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: "all" } },
        5,
        -32602,
        /capabilities/,
      );
      await errorFor({ jsonrpc: "2.0", id: 6, method: "resources/list" }, 6, -32600, /before initialize/);
    });

    test("then initialize works, and a second initialize is -32600", async () => {
      const init = await server.initialize("2025-11-25");
      assert.equal(init.protocolVersion, "2025-11-25");
      await errorFor(
        { jsonrpc: "2.0", id: 7, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "again", version: "1" } } },
        7,
        -32600,
        /already initialized/,
      );
      // The roots/list_changed sent before initialize never reached the author's handler.
      const events = JSON.parse((await server.call("tools/call", { name: "events", arguments: {} })).content[0].text);
      assert.deepEqual(events, []);
      await stillServing();
    });
  });

  describe("unparseable lines: -32700 with id null", () => {
    for (const [name, line] of [
      ["truncated JSON", '{"jsonrpc":"2.0","id":10,"method":"pi'],
      ["not JSON at all", "hello there"],
      ["a trailing comma", '{"jsonrpc":"2.0","id":11,"method":"ping",}'],
      ["single quotes", "{'jsonrpc':'2.0','id':12,'method':'ping'}"],
      ["two objects on one line", '{"jsonrpc":"2.0","id":13,"method":"ping"}{"jsonrpc":"2.0","id":14,"method":"ping"}'],
    ] as const) {
      test(name, async () => {
        await errorFor(line, null, -32700, /Parse error/);
        await stillServing();
      });
    }

    test("invalid UTF-8 bytes", async () => {
      const from = server.inbox.items.length;
      server.child.stdin!.write(Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":15,"method":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]));
      // The bytes decode to U+FFFD, so this parses, but the method does not exist.
      const reply = await server.inbox.waitFor((m) => isResponse(m) && m.id === 15, "reply 15", from);
      assert.equal(reply.error?.code, -32601);
      await stillServing();
    });
  });

  describe("wrong types in envelope fields: -32600", () => {
    const cases: [string, unknown, string | number | null][] = [
      ["a number", 42, null],
      ["a string", '"ping"', null],
      ["null", "null", null],
      ["true", "true", null],
      ["an empty array", "[]", null],
      ["jsonrpc missing", { id: 20, method: "ping" }, 20],
      ["jsonrpc 1.0", { jsonrpc: "1.0", id: 21, method: "ping" }, 21],
      ["jsonrpc as a number", { jsonrpc: 2, id: 22, method: "ping" }, 22],
      ["id null", { jsonrpc: "2.0", id: null, method: "ping" }, null],
      ["id an object", { jsonrpc: "2.0", id: { n: 1 }, method: "ping" }, null],
      ["id a boolean", { jsonrpc: "2.0", id: true, method: "ping" }, null],
      ["id an array", { jsonrpc: "2.0", id: [23], method: "ping" }, null],
      ["method a number", { jsonrpc: "2.0", id: 24, method: 42 }, 24],
      ["method null", { jsonrpc: "2.0", id: 25, method: null }, 25],
      ["method an object", { jsonrpc: "2.0", id: 26, method: { name: "ping" } }, 26],
      ["method missing", { jsonrpc: "2.0", id: 27 }, 27],
      ["params a string", { jsonrpc: "2.0", id: 28, method: "ping", params: "x" }, 28],
      ["params a number", { jsonrpc: "2.0", id: 29, method: "ping", params: 5 }, 29],
      ["params null", { jsonrpc: "2.0", id: 30, method: "ping", params: null }, 30],
      ["a notification with params a string", { jsonrpc: "2.0", method: "notifications/initialized", params: "x" }, null],
    ];
    for (const [name, line, id] of cases) {
      test(name, async () => {
        await errorFor(line, id, -32600, /Invalid Request/);
        await stillServing();
      });
    }
  });

  describe("wrong params: -32602", () => {
    const cases: [string, string, unknown, RegExp][] = [
      ["params an array (by position)", "ping", [], /named params/],
      ["tools/call name a number", "tools/call", { name: 5 }, /string 'name'/],
      ["tools/call of an unknown tool", "tools/call", { name: "nope", arguments: {} }, /Unknown tool: nope/],
      ["resources/read uri a number", "resources/read", { uri: 5 }, /string 'uri'/],
      ["resources/subscribe uri missing", "resources/subscribe", {}, /uri/],
      ["prompts/get argument a number", "prompts/get", { name: "greet", arguments: { name: 5 } }, /'name' must be a string/],
      ["prompts/get required argument missing", "prompts/get", { name: "greet", arguments: {} }, /Missing required argument/],
      ["prompts/get unknown prompt", "prompts/get", { name: "nope" }, /Unknown prompt/],
      ["completion/complete without ref", "completion/complete", { argument: { name: "x", value: "" } }, /ref/],
      ["completion/complete for an unknown prompt", "completion/complete", { ref: { type: "ref/prompt", name: "nope" }, argument: { name: "x", value: "" } }, /Unknown reference/],
      ["logging/setLevel to a number", "logging/setLevel", { level: 5 }, /Invalid log level/],
      ["a cursor that was never issued", "tools/list", { cursor: "garbage" }, /Invalid cursor/],
      ["a cursor of the wrong type", "prompts/list", { cursor: 7 }, /cursor/],
    ];
    for (const [name, method, params, pattern] of cases) {
      test(name, async () => {
        const id = `p-${server.freshId()}`;
        await errorFor({ jsonrpc: "2.0", id, method, params }, id, -32602, pattern);
        await stillServing();
      });
    }

    test("tool arguments that break the input schema are an isError result (not a protocol error)", async () => {
      const notObject = await server.call("tools/call", { name: "echo", arguments: ["x"] });
      assert.equal(notObject.isError, true);
      assert.match(notObject.content[0].text, /must be an object/);
      const wrong = await server.call("tools/call", { name: "echo", arguments: { message: 3 } });
      assert.equal(wrong.isError, true);
      assert.match(wrong.content[0].text, /message: must be string/);
    });
  });

  describe("unknown methods and stray messages", () => {
    test("an unknown method is -32601 with the request's id", async () => {
      await errorFor({ jsonrpc: "2.0", id: "u-1", method: "tools/explode" }, "u-1", -32601, /tools\/explode/);
      await errorFor({ jsonrpc: "2.0", id: 0, method: "" }, 0, -32601);
      await stillServing();
    });

    test("an unknown notification, and a response nobody asked for, get no reply", async () => {
      const from = server.inbox.items.length;
      server.send({ jsonrpc: "2.0", method: "notifications/whatever", params: { x: 1 } });
      server.send({ jsonrpc: "2.0", id: 999, result: {} });
      server.send({ jsonrpc: "2.0", id: 998, error: { code: -1, message: "?" } });
      await stillServing(from);
    });

    test("extra envelope members are ignored", async () => {
      const reply = await server.request("ping", undefined, "x-1");
      assert.deepEqual(reply.result, {});
      const from = server.inbox.items.length;
      server.send({ jsonrpc: "2.0", id: "x-2", method: "ping", extra: true, params: {} });
      assert.deepEqual((await server.response("x-2", from)).result, {});
    });
  });

  describe("framing", () => {
    test("an oversized line is -32600 with id null, and reading resumes at the next line", async () => {
      const from = server.inbox.items.length;
      const huge = JSON.stringify({ jsonrpc: "2.0", id: "big", method: "tools/call", params: { name: "measure", arguments: { data: "y".repeat(MAX * 3) } } });
      // Written in pieces, so the limit is hit mid-line across chunks.
      for (let i = 0; i < huge.length; i += 10_000) server.child.stdin!.write(huge.slice(i, i + 10_000));
      server.child.stdin!.write("\n");
      server.send({ jsonrpc: "2.0", id: "after-big", method: "ping" });
      const error = await server.inbox.waitFor((m) => isResponse(m) && m.id === null, "the oversized error", from);
      assert.equal(error.error!.code, -32600);
      assert.match(error.error!.message, /larger than 65536 bytes/);
      assert.deepEqual((await server.response("after-big", from)).result, {});
      assert.ok(!server.inbox.items.slice(from).some((m) => m.id === "big"), "the oversized request never ran");
    });

    test("CRLF endings, blank lines, several messages per write and one message over several writes", async () => {
      const from = server.inbox.items.length;
      server.child.stdin!.write('\n\r\n{"jsonrpc":"2.0","id":"c-1","method":"ping"}\r\n\n{"jsonrpc":"2.0","id":"c-2","method":"ping"}\n{"jsonrpc":"2.0",');
      server.child.stdin!.write('"id":"c-3","meth');
      server.child.stdin!.write('od":"ping"}\n');
      for (const id of ["c-1", "c-2", "c-3"]) assert.deepEqual((await server.response(id, from)).result, {});
      const replies = server.inbox.items.slice(from);
      assert.equal(replies.length, 3, JSON.stringify(replies));
    });
  });

  describe("duplicate ids", () => {
    test("a request reusing the id of one in flight is -32600; the first still completes", async () => {
      const from = server.inbox.items.length;
      server.send({ jsonrpc: "2.0", id: "dup", method: "tools/call", params: { name: "hold", arguments: { until: "latch", latch: "dup" } } });
      await server.message("notifications/message", (m) => m.params.data?.holding === "dup", from);
      const dupError = await errorFor({ jsonrpc: "2.0", id: "dup", method: "ping" }, "dup", -32600, /still in progress/);
      assert.ok(dupError);
      await server.call("tools/call", { name: "release", arguments: { latch: "dup" } });
      const done = await server.inbox.waitFor((m) => isResponse(m) && m.id === "dup" && m.result !== undefined, "the held reply", from);
      assert.equal(done.result.content[0].text, "released latch dup");
      // Once answered, the id may be used again.
      assert.deepEqual((await server.request("ping", undefined, "dup")).result, {});
    });
  });

  describe("cancellation", () => {
    test("a cancelled request gets no reply; unknown ids in notifications/cancelled are ignored", async () => {
      const from = server.inbox.items.length;
      server.send({ jsonrpc: "2.0", id: "c-x", method: "tools/call", params: { name: "hold", arguments: { until: "cancel" } } });
      await server.message("notifications/message", (m) => m.params.data?.holding === "c-x", from);
      server.notify("notifications/cancelled", { requestId: "c-x", reason: "changed my mind" });
      server.notify("notifications/cancelled", { requestId: "never-sent" });
      server.notify("notifications/cancelled", {});
      const log = await server.message("notifications/message", (m) => m.params.data?.cancelled === "c-x", from);
      assert.match(log.params.data.reason, /changed my mind/);
      const events = JSON.parse((await server.call("tools/call", { name: "events", arguments: {} })).content[0].text);
      assert.ok(events.includes("cancelled \"c-x\": changed my mind"), JSON.stringify(events));
      assert.ok(!server.inbox.items.slice(from).some((m) => isResponse(m) && m.id === "c-x"), "no reply for the cancelled request");
    });
  });
});
