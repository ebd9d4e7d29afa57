/**
 * Issue 18, "a full feature run": three nodes of the generated conformance example on one
 * real Redis, behind real nginx in round-robin with no affinity, driven by the official
 * SDK client. Every request is free to land on any node; where a feature needs two
 * requests on different nodes (an elicitation answered elsewhere, a subscription updated
 * from another node), the test checks from nginx's X-Upstream header that it happened.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { connectClient, textOf, type ClusterClient } from "./client.js";
import { Deployment, missingBinaries, redisCommand, until } from "./infra.js";

const skip = missingBinaries();

describe("scale-out: a full feature run through nginx over three nodes", { skip, timeout: 240_000 }, () => {
  let d: Deployment;
  let cc: ClusterClient;
  before(async () => {
    d = await Deployment.start(3);
    cc = await connectClient(d.nginx!.url);
  });
  after(async () => {
    await cc?.client.close().catch(() => undefined);
    await d?.stop();
  });

  test("tools, resources, prompts and completions answer on any node", async () => {
    for (let i = 0; i < 6; i++) assert.equal(textOf(await cc.client.callTool({ name: "test_simple_text", arguments: {} })), "This is a simple text response for testing.");
    const upstreams = new Set(cc.hops.filter((h) => h.what === "tools/call").map((h) => h.upstream));
    assert.equal(upstreams.size, 3, `six calls reached every node: ${[...upstreams].join(" ")}`);
    const resources = await cc.client.listResources();
    assert.ok(resources.resources.some((r) => r.uri === "test://watched-resource"));
    const read = await cc.client.readResource({ uri: "test://template/42/data" });
    assert.match(JSON.stringify(read.contents), /42/);
    const prompt = await cc.client.getPrompt({ name: "test_simple_prompt" });
    assert.ok(prompt.messages.length > 0);
    const completion = await cc.client.complete({ ref: { type: "ref/resource", uri: "test://template/{id}/data" }, argument: { name: "id", value: "" } });
    assert.ok(Array.isArray(completion.completion.values));
  });

  test("progress reaches the client from the node running the call", async () => {
    const progress: number[] = [];
    const result = await cc.client.callTool({ name: "test_tool_with_progress", arguments: {} }, undefined, { onprogress: (p) => void progress.push(p.progress) });
    assert.equal(textOf(result), "Tool with progress executed successfully");
    assert.deepEqual(progress, [0, 50, 100]);
  });

  test("elicitation and sampling are answered on another node than the one waiting", async () => {
    let crossed = 0;
    let crossedSampling = 0;
    for (let i = 0; i < 4; i++) {
      const before = cc.hops.length;
      const result = await cc.client.callTool({ name: "test_elicitation", arguments: { message: `question ${i}` } });
      assert.equal(textOf(result), 'User response: action=accept, content={"username":"ada","email":"ada@example.com"}');
      const hops = cc.hops.slice(before);
      const call = hops.find((h) => h.what === "tools/call")!;
      const answer = hops.find((h) => h.what === "response")!;
      assert.ok(call && answer, JSON.stringify(hops));
      await until(() => answer.upstream !== "?", "the answer's POST to complete");
      if (call.upstream !== answer.upstream) crossed++;
      const from = cc.hops.length;
      const sampled = await cc.client.callTool({ name: "test_sampling", arguments: { prompt: `hi ${i}` } });
      assert.equal(textOf(sampled), `LLM response: echo: hi ${i}`);
      const sHops = cc.hops.slice(from);
      const sCall = sHops.find((h) => h.what === "tools/call")!;
      const sAnswer = sHops.find((h) => h.what === "response")!;
      await until(() => sAnswer.upstream !== "?", "the sampling answer's POST to complete");
      if (sCall.upstream !== sAnswer.upstream) crossedSampling++;
    }
    assert.ok(crossed > 0, "round robin sent at least one elicitation answer to another node than the caller's");
    assert.ok(crossedSampling > 0, "and at least one sampling answer");
  });

  test("log levels set on one node apply on the others", async () => {
    const logs: { level: string; data: unknown }[] = [];
    cc.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push({ level: n.params.level, data: n.params.data }));
    await cc.client.setLoggingLevel("debug");
    for (let i = 0; i < 3; i++) await cc.client.callTool({ name: "test_logging_tool", arguments: {} });
    assert.equal(logs.filter((l) => l.level === "debug").length, 3, JSON.stringify(logs));
    logs.length = 0;
    await cc.client.setLoggingLevel("error");
    for (let i = 0; i < 3; i++) await cc.client.callTool({ name: "test_logging_tool", arguments: {} });
    assert.deepEqual(logs, []);
  });

  test("resource updates from every node reach the client's GET stream, each once", async () => {
    const sid = cc.transport.sessionId!;
    const spy = await redisCommand(d.redis!.url);
    const { createClient } = await import("redis");
    const sub = createClient({ url: d.redis!.url });
    await sub.connect();
    const origins: string[] = [];
    await sub.subscribe(`mcp:stream:${sid}.0`, (m: string) => {
      if (m.includes("notifications/resources/updated")) origins.push(m.slice(0, m.indexOf("\n")));
    });
    try {
      const updates: string[] = [];
      cc.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
      await cc.client.subscribeResource({ uri: "test://watched-resource" });
      const getNode = d.nodeAt([...cc.hops].reverse().find((h) => h.what === "GET" && h.status === 200)!.upstream);
      // Each node ticks every 3 s: wait until updates from a node other than the GET stream's arrived.
      await until(() => origins.some((o) => o !== getNode.nodeId) && origins.length >= 4, "updates from other nodes", 30_000);
      await cc.client.unsubscribeResource({ uri: "test://watched-resource" });
      const stored = (await spy.send(["XRANGE", `mcp:ev:${sid}.0`, "-", "+"])) as [string, string[]][];
      const storedUpdates = stored.filter(([, f]) => f[1]!.includes("notifications/resources/updated")).length;
      await until(() => updates.length >= storedUpdates, "every stored update to reach the client", 10_000);
      assert.equal(updates.length, storedUpdates, "each update once: as many as stored for the GET stream");
      assert.ok(new Set(origins).size >= 2, `updates came from several nodes: ${origins.join(" ")}`);
    } finally {
      await sub.close();
      await spy.close();
    }
  });

  test("list_changed made on one node reaches the client, and so does the change", async () => {
    let changed = 0;
    cc.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
    const before = changed;
    const result = await cc.client.callTool({ name: "test_trigger_tool_change", arguments: {} });
    assert.match(textOf(result), /test_toggled_tool is now (enabled|disabled)/);
    await until(() => changed > before, "tools/list_changed", 10_000);
  });

  test("cancellation reaches the node running the call, wherever it lands", async () => {
    // An elicitation the client never answers keeps the call running until it is cancelled.
    let asked!: () => void;
    const waiting = new Promise<void>((r) => (asked = r));
    cc.elicit = () => {
      asked();
      return new Promise(() => undefined);
    };
    const controller = new AbortController();
    const call = cc.client.callTool({ name: "test_elicitation", arguments: { message: "never answered" } }, undefined, { signal: controller.signal, timeout: 120_000 });
    await waiting;
    controller.abort("the user gave up");
    await assert.rejects(call);
    // The node that ran it is no longer busy with it: the session's calls all finish, and a new call works.
    cc.elicit = async () => ({ action: "decline" });
    assert.equal(textOf(await cc.client.callTool({ name: "test_elicitation", arguments: { message: "after" } })), "User response: action=decline, content={}");
    const cancels = cc.hops.filter((h) => h.what === "notifications/cancelled");
    assert.equal(cancels.length, 1);
  });

  test("DELETE on any node ends the session everywhere", async () => {
    const other = await connectClient(d.nginx!.url, "deleted");
    const sid = other.transport.sessionId!;
    // Make the session live on every node.
    for (let i = 0; i < 6; i++) await other.client.callTool({ name: "test_simple_text", arguments: {} });
    await other.transport.terminateSession();
    await other.client.close();
    for (let i = 0; i < 6; i++) {
      const r = await fetch(d.nginx!.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" },
        body: JSON.stringify({ jsonrpc: "2.0", id: i, method: "ping" }),
      });
      assert.equal(r.status, 404, `after DELETE the session is gone on ${r.headers.get("x-upstream")}`);
      await r.body?.cancel();
    }
  });
});
