/**
 * The official SDK client (`@modelcontextprotocol/sdk`: StreamableHTTPClientTransport,
 * and SSEClientTransport for the deprecated transport) against the kitchen-sink served
 * over HTTP by a real child process (`--http 0 ...`, a free port on 127.0.0.1), once
 * per mode: stateful SSE, stateful JSON, stateless (SSE and JSON), legacy HTTP+SSE.
 * What a mode cannot do (server→client requests and notifications without a stream in
 * stateless mode) is asserted to fail sensibly, not skipped.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { firstText, jsonText } from "./helpers.js";
import { HttpFixture, connectSdkHttp, errorOf, post, request, type SdkHttpConnection } from "./http-helpers.js";

interface Mode {
  name: string;
  args: string[];
  stateful: boolean;
  json: boolean;
  legacy: boolean;
}

const MODES: Mode[] = [
  { name: "stateful SSE (default)", args: [], stateful: true, json: false, legacy: false },
  { name: "stateful JSON (--json)", args: ["--json"], stateful: true, json: true, legacy: false },
  { name: "stateless SSE (--stateless)", args: ["--stateless"], stateful: false, json: false, legacy: false },
  { name: "stateless JSON (--stateless --json)", args: ["--stateless", "--json"], stateful: false, json: true, legacy: false },
  { name: "legacy HTTP+SSE (--legacy-sse, client on /sse)", args: ["--legacy-sse"], stateful: true, json: false, legacy: true },
];

const rejectsWith = (code: number, pattern?: RegExp) => (e: any) => {
  assert.equal(e.code, code, `expected error ${code}, got ${e.code}: ${e.message}`);
  if (pattern) assert.match(e.message, pattern);
  return true;
};

for (const mode of MODES) {
  describe(`official SDK client over HTTP: ${mode.name}`, { timeout: 60_000 }, () => {
    let server: HttpFixture;
    let conn: SdkHttpConnection;
    let client: Client;
    const samplingRequests: any[] = [];
    const elicitRequests: any[] = [];
    /** Server→client requests and notifications reach the client (no stream in stateless mode). */
    const canPush = mode.stateful;
    /** Notifications tied to a call travel with it (SSE), or on the GET stream (stateful JSON). */
    const relatedArrive = !(mode.json && !mode.stateful);

    before(async () => {
      server = await HttpFixture.start(mode.args);
      const url = mode.legacy ? `${server.origin}/sse` : server.url;
      conn = await connectSdkHttp(url, {
        kind: mode.legacy ? "sse" : "streamable",
        client: { capabilities: { sampling: {}, elicitation: { form: {} } } },
        setup: (c) => {
          c.setRequestHandler(CreateMessageRequestSchema, async (req) => {
            samplingRequests.push(req.params);
            const first = req.params.messages[0]!.content as { text: string };
            return { role: "assistant", content: { type: "text", text: `model says: ${first.text}` }, model: "test-model", stopReason: "endTurn" };
          });
          c.setRequestHandler(ElicitRequestSchema, async (req) => {
            elicitRequests.push(req.params);
            return { action: "accept", content: { name: "Ada", age: 36 } };
          });
        },
      });
      client = conn.client;
      if (!mode.legacy) {
        // After `initialized` the SDK opens the GET stream: 200 with sessions, 405 without.
        const getStream = await conn.http.waitFor((r) => r.method === "GET", "the GET stream");
        assert.equal(getStream.status, mode.stateful ? 200 : 405);
        if (!mode.stateful) assert.equal(getStream.headers.get("allow"), "POST");
      }
    });

    after(async () => {
      await conn?.close();
      const exit = await server?.stop();
      // SIGTERM is a graceful shutdown: exit code 0.
      assert.deepEqual(exit, { code: 0, signal: null }, server?.stderr);
    });

    test("initialize: server info, capabilities, session id, negotiated revision", async () => {
      const info = client.getServerVersion()!;
      assert.equal(info.name, "kitchen-sink");
      assert.equal(info.version, "1.2.3");
      assert.deepEqual(client.getServerCapabilities(), {
        logging: {},
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        completions: {},
      });
      assert.equal(client.getInstructions(), "A test server: call 'echo' first.");
      const ctx = jsonText(await client.callTool({ name: "context_info", arguments: {} }));
      assert.equal(ctx.protocolVersion, "2025-11-25");
      if (mode.legacy) {
        assert.match(ctx.sessionId, /^[0-9a-f-]{36}$/, "legacy sessions are named by the endpoint's sessionId");
      } else if (mode.stateful) {
        const sid = (conn.transport as StreamableHTTPClientTransport).sessionId!;
        assert.match(sid, /^[\x21-\x7e]{16,}$/);
        assert.equal(ctx.sessionId, sid, "ctx.sessionId is the Mcp-Session-Id");
      } else {
        assert.equal((conn.transport as StreamableHTTPClientTransport).sessionId, undefined, "stateless: no Mcp-Session-Id");
        assert.equal(ctx.sessionId, null);
        // Stateless: the client's capabilities are not remembered between requests.
        assert.deepEqual(ctx.clientCapabilities, {});
      }
      await client.ping();
    });

    test("the SDK's stream reader accepts every reply (priming events included): no transport errors", async () => {
      const init = conn.http.items.find((r) => r.method === "POST" && r.body?.includes('"initialize"'));
      if (mode.legacy) {
        assert.equal(init?.status, 202, "legacy POSTs are accepted, the reply comes on the GET stream");
      } else {
        assert.equal(init?.status, 200);
        assert.equal(init?.headers.get("content-type"), mode.json ? "application/json" : "text/event-stream");
      }
      const accepted = conn.http.items.filter((r) => r.method === "POST" && r.body?.includes('"notifications/initialized"'));
      assert.deepEqual(accepted.map((r) => r.status), [202]);
      assert.deepEqual(conn.errors.items.map((e) => e.message), []);
    });

    test("lists: tools, resources, templates, prompts", async () => {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      for (const n of ["echo", "add", "progress", "hold", "sample", "elicit", "toggle"]) assert.ok(tools.includes(n), n);
      assert.ok(!tools.includes("hidden_tool"));
      const resources = (await client.listResources()).resources.map((r) => r.uri);
      assert.ok(resources.includes("mem://greeting") && resources.includes("mem://counter"), JSON.stringify(resources));
      const templates = (await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
      assert.ok(templates.includes("mem://users/{id}"), JSON.stringify(templates));
      const prompts = (await client.listPrompts()).prompts.map((p) => p.name);
      assert.ok(prompts.includes("greet") && prompts.includes("simple"), JSON.stringify(prompts));
      const greet = await client.getPrompt({ name: "greet", arguments: { name: "Ada", style: "formal" } });
      assert.deepEqual(greet.messages[0]!.content, { type: "text", text: "Say hello to Ada in a formal style." });
    });

    test("tools: echo, structured add, a tool error, a protocol error", async () => {
      assert.equal(firstText(await client.callTool({ name: "echo", arguments: { message: "hi", times: 2 } })), "hi hi");
      const add = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
      assert.deepEqual(add.structuredContent, { sum: 5 });
      const failed = await client.callTool({ name: "fail", arguments: { kind: "tool_error" } });
      assert.equal(failed.isError, true);
      await assert.rejects(client.callTool({ name: "no_such_tool", arguments: {} }), rejectsWith(-32602, /Unknown tool/));
      // Several calls in flight at once on one session.
      const many = await Promise.all(Array.from({ length: 20 }, (_, i) => client.callTool({ name: "add", arguments: { a: i, b: 1 } })));
      assert.deepEqual(many.map((r) => (r.structuredContent as { sum: number }).sum), Array.from({ length: 20 }, (_, i) => i + 1));
    });

    test("progress notifications reach onprogress", async () => {
      const seen: number[] = [];
      let unknownToken = 0;
      const from = conn.errors.items.length;
      const r = await client.callTool({ name: "progress", arguments: { steps: 3 } }, undefined, {
        onprogress: (p) => seen.push(p.progress),
      });
      assert.equal(firstText(r), "did 3 steps");
      if (!relatedArrive) {
        // Stateless JSON: a JSON body carries only the reply, and there is no GET stream.
        assert.deepEqual(seen, []);
        return;
      }
      if (mode.json || mode.legacy) {
        // Stateful JSON: progress travels on the GET stream, which may arrive after the
        // POST's body. Legacy SSE: everything shares the GET stream, in order, but the
        // SDK (EventSource) dispatches one chunk's events synchronously while it handles
        // notifications a microtask later, so a reply in the same chunk can retire the
        // token first. Either way the SDK reports the late ones as unknown tokens: count both.
        const count = () => seen.length + conn.errors.items.slice(from).filter((e) => /unknown token/i.test(e.message)).length;
        if (count() < 3) await conn.errors.waitFor(() => count() >= 3, "3 progress notifications");
        unknownToken = count() - seen.length;
        assert.deepEqual(seen, [1, 2, 3].slice(0, 3 - unknownToken));
        return;
      }
      assert.deepEqual(seen, [1, 2, 3], "on the call's own stream, before its reply");
    });

    test("logging: notifications/message, filtered by logging/setLevel", async () => {
      const logsOf = (from: number) =>
        conn.notifications.items
          .slice(from)
          .filter((n) => n.method === "notifications/message" && n.params.logger === "kitchen")
          .map((n) => n.params.level);
      await client.setLoggingLevel("warning");
      const from = conn.notifications.items.length;
      assert.equal(firstText(await client.callTool({ name: "log_levels", arguments: {} })), "logged");
      if (!relatedArrive) {
        assert.deepEqual(logsOf(from), []);
      } else {
        await conn.notifications.waitFor((n) => n.method === "notifications/message" && n.params.data?.marker === "end", "the end marker", from);
        if (mode.stateful) {
          assert.deepEqual(logsOf(from), ["warning", "error", "critical", "alert", "emergency", "emergency"]);
        } else {
          // Stateless: each request is a fresh session, so the level set before is not remembered.
          assert.deepEqual(logsOf(from), ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency", "emergency"]);
        }
      }
      await client.setLoggingLevel("debug");
    });

    test("sampling and elicitation round trips (server→client requests)", async () => {
      if (!canPush) {
        // Stateless: the server cannot send requests to the client, and does not know its capabilities.
        await assert.rejects(client.callTool({ name: "sample", arguments: { prompt: "hello" } }), rejectsWith(-32600, /sampling is not available in stateless mode/));
        await assert.rejects(client.callTool({ name: "elicit", arguments: {} }), rejectsWith(-32600, /elicitation is not available in stateless mode/));
        assert.equal(samplingRequests.length + elicitRequests.length, 0);
        return;
      }
      const sampled = jsonText(await client.callTool({ name: "sample", arguments: { prompt: "hello" } }));
      assert.deepEqual(sampled.content, { type: "text", text: "model says: hello" });
      assert.equal(samplingRequests.length, 1);
      const elicited = jsonText(await client.callTool({ name: "elicit", arguments: { mode: "form" } }));
      assert.deepEqual(elicited, { action: "accept", content: { name: "Ada", age: 36 } });
      assert.equal(elicitRequests[0].message, "Who are you?");
      // Several at once: each reply finds its own request.
      const prompts = ["a", "b", "c", "d"];
      const results = await Promise.all(prompts.map((p) => client.callTool({ name: "sample", arguments: { prompt: p } })));
      assert.deepEqual(results.map((r) => jsonText(r).content.text), prompts.map((p) => `model says: ${p}`));
    });

    test("resources: read a resource and a template", async () => {
      const greeting = await client.readResource({ uri: "mem://greeting" });
      assert.equal((greeting.contents[0] as { text: string }).text, "Hello, world!");
      const user = await client.readResource({ uri: "mem://users/10" });
      assert.deepEqual(JSON.parse((user.contents[0] as { text: string }).text), { id: "10", name: "Barbara" });
      await assert.rejects(client.readResource({ uri: "mem://users/99" }), rejectsWith(-32002));
    });

    test("resources/subscribe and notifications/resources/updated", async () => {
      await client.subscribeResource({ uri: "mem://counter" });
      const from = conn.notifications.items.length;
      assert.equal(firstText(await client.callTool({ name: "touch", arguments: { uri: "mem://counter" } })), "touched mem://counter");
      if (mode.stateful) {
        const updated = await conn.notifications.waitFor((n) => n.method === "notifications/resources/updated", "resources/updated", from);
        assert.deepEqual(updated.params, { uri: "mem://counter" });
        await client.unsubscribeResource({ uri: "mem://counter" });
      } else {
        // Stateless: a subscription lives as long as its request; nothing is pushed later.
        await client.ping();
        assert.equal(conn.notifications.filter((n) => n.method === "notifications/resources/updated").length, 0);
      }
    });

    test("list_changed after a tool is toggled", async () => {
      await assert.rejects(client.callTool({ name: "hidden_tool", arguments: {} }), rejectsWith(-32602));
      let from = conn.notifications.items.length;
      await client.callTool({ name: "toggle", arguments: { kind: "tool", enabled: true } });
      if (mode.stateful) await conn.notifications.waitFor((n) => n.method === "notifications/tools/list_changed", "tools list_changed", from);
      assert.ok((await client.listTools()).tools.some((t) => t.name === "hidden_tool"));
      assert.equal(firstText(await client.callTool({ name: "hidden_tool", arguments: {} })), "hidden tool ran");
      from = conn.notifications.items.length;
      await client.callTool({ name: "toggle", arguments: { kind: "tool", enabled: false } });
      if (mode.stateful) await conn.notifications.waitFor((n) => n.method === "notifications/tools/list_changed", "tools list_changed", from);
      else assert.equal(conn.notifications.filter((n) => n.method === "notifications/tools/list_changed").length, 0);
      assert.ok(!(await client.listTools()).tools.some((t) => t.name === "hidden_tool"));
    });

    test("completions", async () => {
      const r = await client.complete({ ref: { type: "ref/prompt", name: "greet" }, argument: { name: "style", value: "p" } });
      assert.deepEqual(r.completion.values, ["pirate"]);
      const ids = await client.complete({ ref: { type: "ref/resource", uri: "mem://users/{id}" }, argument: { name: "id", value: "1" } });
      assert.deepEqual(ids.completion.values, ["1", "10"]);
    });

    test("cancelling a call (AbortSignal)", async () => {
      const controller = new AbortController();
      if (!mode.stateful) {
        // Stateless: notifications/cancelled reaches a fresh session, not the one running
        // the call. The client gives up at once; the call runs on until it is released.
        let started!: () => void;
        const inFlight = new Promise<void>((r) => (started = r));
        const call = client.callTool({ name: "hold", arguments: { until: "latch", latch: "stateless" } }, undefined, {
          signal: controller.signal,
          onprogress: () => started(),
        });
        if (relatedArrive) await inFlight;
        controller.abort("user pressed stop");
        await assert.rejects(call);
        // Released by another request (the latch lives in the shared app context):
        // polled with requests, since a JSON-mode call reports nothing while it runs.
        for (;;) {
          const r = await client.callTool({ name: "release", arguments: { latch: "stateless" } });
          if (!r.isError) break;
          assert.match(firstText(r), /no request holds latch/);
        }
        const events = jsonText(await client.callTool({ name: "events", arguments: {} }));
        assert.ok(!events.some((e: string) => e.startsWith("cancelled")), JSON.stringify(events));
        return;
      }
      const from = conn.notifications.items.length;
      let started!: () => void;
      const inFlight = new Promise<void>((r) => (started = r));
      const call = client.callTool({ name: "hold", arguments: { until: "cancel" } }, undefined, {
        signal: controller.signal,
        onprogress: () => started(),
      });
      await inFlight;
      controller.abort("user pressed stop");
      await assert.rejects(call);
      const aborted = await conn.notifications.waitFor(
        (n) => n.method === "notifications/message" && n.params.data?.cancelled !== undefined,
        "the server's abort log",
        from,
      );
      assert.match(aborted.params.data.reason, /user pressed stop/);
      const events = jsonText(await client.callTool({ name: "events", arguments: {} }));
      assert.ok(events.some((e: string) => e.startsWith(`cancelled ${aborted.params.data.cancelled}`)), JSON.stringify(events));
      // The session carries on.
      assert.equal(firstText(await client.callTool({ name: "echo", arguments: { message: "still here" } })), "still here");
    });

    test("ending the session: later requests get 404 and the SDK reports it", async () => {
      if (mode.legacy) {
        // The connection is the session: once the client closes its stream, the
        // session's message endpoint answers 404.
        const endpoint = conn.http.items.find((r) => r.method === "POST")!.url;
        await conn.close();
        for (;;) {
          const r = await fetch(post(endpoint, request(1, "ping")));
          if (r.status === 404) {
            assert.equal((await errorOf(r)).code, -32001);
            break;
          }
          assert.equal(r.status, 202);
          await new Promise((resolve) => setImmediate(resolve));
        }
        return;
      }
      const transport = conn.transport as StreamableHTTPClientTransport;
      if (!mode.stateful) {
        await transport.terminateSession(); // no session: nothing to do
        const del = await fetch(server.url, { method: "DELETE" });
        assert.equal(del.status, 405);
        assert.equal(del.headers.get("allow"), "POST");
        return;
      }
      // The server ends the session (a raw DELETE, as another tab or an admin would):
      // the SDK's next request gets 404 -32001.
      const sid = transport.sessionId!;
      const del = await fetch(server.url, { method: "DELETE", headers: { "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" } });
      assert.equal(del.status, 200);
      const before = conn.errors.items.length;
      await assert.rejects(client.callTool({ name: "echo", arguments: { message: "x" } }), (e: any) => {
        assert.ok(e instanceof StreamableHTTPError, String(e));
        assert.equal(e.code, 404);
        assert.match(e.message, /Session not found/);
        return true;
      });
      assert.ok(conn.errors.items.slice(before).some((e) => (e as any).code === 404), "the transport's onerror heard of it too");

      // A second session, ended by the SDK itself (DELETE): its id is then refused with 404.
      const second = await connectSdkHttp(server.url, {});
      const sid2 = (second.transport as StreamableHTTPClientTransport).sessionId!;
      assert.notEqual(sid2, sid);
      await (second.transport as StreamableHTTPClientTransport).terminateSession();
      const deletes = second.http.filter((r) => r.method === "DELETE");
      assert.deepEqual(deletes.map((r) => r.status), [200]);
      const after = await fetch(post(server.url, request(1, "ping"), { sessionId: sid2, version: "2025-11-25" }));
      assert.equal(after.status, 404);
      assert.equal((await errorOf(after)).code, -32001);
      // The SDK forgets the id it ended, so its own next request carries none: 400.
      await assert.rejects(second.client.ping(), (e: any) => {
        assert.ok(e instanceof StreamableHTTPError, String(e));
        assert.equal(e.code, 400);
        assert.match(e.message, /Mcp-Session-Id header is required/);
        return true;
      });
      await second.close();
    });
  });
}
