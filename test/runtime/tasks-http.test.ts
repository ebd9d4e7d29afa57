/**
 * The tasks extension (io.modelcontextprotocol/tasks, 2026-07-28) end to end over
 * Streamable HTTP: the tasks fixture in a child process on a real socket, driven with raw
 * requests (the wire: CreateTaskResult, tasks/get in every status, tasks/update with
 * partial answers, tasks/cancel, the error codes, the Mcp-Name header, listen
 * notifications), with our McpClient (callTool waits, callToolAsTask hands back a
 * ToolTask), and with a session-era client (a plain call with progress).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { McpClient, McpError, StreamableHttpClientTransport, ToolTask } from "../../runtime/src/index.js";
import { ACCEPT_BOTH, HttpFixture, SseReader } from "./http-helpers.js";

const V = "2026-07-28";
const TASKS = { extensions: { "io.modelcontextprotocol/tasks": {} } };
const meta = (caps: Record<string, unknown> = { elicitation: {}, sampling: {}, ...TASKS }) => ({
  "io.modelcontextprotocol/protocolVersion": V,
  "io.modelcontextprotocol/clientCapabilities": caps,
});

function headersFor(method: string, params: Record<string, unknown>, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const h: Record<string, string | undefined> = { "content-type": "application/json", accept: ACCEPT_BOTH, "mcp-protocol-version": V, "mcp-method": method };
  if (method === "tools/call") h["mcp-name"] = params.name as string;
  if (method.startsWith("tasks/")) h["mcp-name"] = params.taskId as string;
  for (const [k, v] of Object.entries(extra)) h[k] = v;
  return Object.fromEntries(Object.entries(h).filter((e): e is [string, string] => e[1] !== undefined));
}

let nextId = 1;
async function send(url: string, method: string, params: Record<string, unknown>, extra: Record<string, string | undefined> = {}): Promise<{ status: number; body: any }> {
  const id = nextId++;
  const response = await fetch(url, { method: "POST", headers: headersFor(method, params, extra), body: JSON.stringify({ jsonrpc: "2.0", id, method, params }) });
  if ((response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    const sse = new SseReader(response);
    const body = await sse.reply(id);
    await sse.cancel();
    return { status: response.status, body };
  }
  return { status: response.status, body: await response.json() };
}

describe("tasks over Streamable HTTP, raw requests", () => {
  let fx: HttpFixture;
  before(async () => {
    fx = await HttpFixture.start([], { fixture: "tasks.ts" });
  });
  after(() => fx?.stop());

  const call = (name: string, args: Record<string, unknown> = {}, caps?: Record<string, unknown>) => send(fx.url, "tools/call", { name, arguments: args, _meta: meta(caps) });
  const task = (method: string, taskId: string, more: Record<string, unknown> = {}, caps?: Record<string, unknown>) =>
    send(fx.url, method, { taskId, ...more, _meta: meta(caps) });
  /** Polls tasks/get until `done` holds (each poll is an awaited round trip, no sleeping). */
  async function pollUntil(taskId: string, done: (t: any) => boolean): Promise<any> {
    for (let i = 0; i < 2000; i++) {
      const r = await task("tasks/get", taskId);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      if (done(r.body.result)) return r.body.result;
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.fail(`task ${taskId} never reached the expected state`);
  }

  test("server/discover advertises the extension under capabilities.extensions (not capabilities.tasks)", async () => {
    const r = await send(fx.url, "server/discover", { _meta: meta() });
    assert.deepEqual(r.body.result.capabilities.extensions, { "io.modelcontextprotocol/tasks": {} });
    assert.equal(r.body.result.capabilities.tasks, undefined);
  });

  test("completion: a flat CreateTaskResult, then tasks/get inlines the result (no requestState anywhere)", async () => {
    const created = (await call("quick", { n: 7 })).body.result;
    assert.equal(created.resultType, "task");
    assert.match(created.taskId, /^[0-9a-f-]{36}$/);
    assert.equal(created.status, "working");
    assert.equal(created.ttlMs, 3_600_000);
    assert.equal(created.pollIntervalMs, 20);
    assert.match(created.createdAt, /^\d{4}-\d\d-\d\dT/);
    for (const k of ["task", "result", "error", "inputRequests", "requestState", "ttl", "pollInterval"]) assert.equal(k in created, false, k);
    const done = await pollUntil(created.taskId, (t) => t.status === "completed");
    assert.equal(done.resultType, "complete");
    assert.deepEqual(done.result, { content: [{ type: "text", text: "quick 7" }] });
    assert.equal("requestState" in done, false);
    // A tool's own settings win over the server's.
    const must = (await call("must")).body.result;
    assert.equal(must.ttlMs, 120_000);
    assert.equal(must.pollIntervalMs, 50);
  });

  test("failure: a tool error completes with isError; a protocol error fails with the inlined error", async () => {
    const toolError = (await call("tool_error")).body.result;
    const completed = await pollUntil(toolError.taskId, (t) => t.status !== "working");
    assert.equal(completed.status, "completed");
    assert.equal(completed.result.isError, true);
    assert.equal(completed.result.content[0].text, "the tool says no");
    const protocol = (await call("protocol_error")).body.result;
    const failed = await pollUntil(protocol.taskId, (t) => t.status !== "working");
    assert.equal(failed.status, "failed");
    assert.deepEqual(failed.error, { code: -32600, message: "refused at the protocol level", data: { why: "test" } });
    assert.equal("result" in failed, false);
  });

  test("input rounds: both inputs pending; a partial tasks/update leaves the other; the last completes the task", async () => {
    const created = (await call("ask_two")).body.result;
    const waiting = await pollUntil(created.taskId, (t) => t.status === "input_required" && Object.keys(t.inputRequests).length === 2);
    assert.deepEqual(Object.keys(waiting.inputRequests).sort(), ["model", "name"]);
    assert.equal(waiting.inputRequests.name.method, "elicitation/create");
    assert.equal(waiting.inputRequests.model.method, "sampling/createMessage");
    const ack = await task("tasks/update", created.taskId, { inputResponses: { name: { action: "accept", content: { name: "Ada" } }, unknown: { action: "accept" } } });
    assert.deepEqual(ack.body.result, { resultType: "complete", _meta: ack.body.result._meta });
    const partial = (await task("tasks/get", created.taskId)).body.result;
    assert.equal(partial.status, "input_required");
    assert.deepEqual(Object.keys(partial.inputRequests), ["model"]);
    // An answer of the wrong shape is -32602, and changes nothing.
    assert.equal((await task("tasks/update", created.taskId, { inputResponses: { model: { nope: 1 } } })).body.error.code, -32602);
    await task("tasks/update", created.taskId, { inputResponses: { model: { role: "assistant", content: { type: "text", text: "Hi" }, model: "m" } } });
    const done = await pollUntil(created.taskId, (t) => t.status === "completed");
    assert.equal(done.result.content[0].text, "Hi, Ada");
  });

  test("cancellation: the ack is empty, the task ends cancelled, the handler's signal aborts; cancelling again is the same ack", async () => {
    const created = (await call("forever")).body.result;
    await fx.waitForStderr(new RegExp(`started: forever ${created.taskId}`));
    const ack = (await task("tasks/cancel", created.taskId)).body.result;
    assert.equal(ack.resultType, "complete");
    for (const k of ["taskId", "status", "result", "error", "inputRequests"]) assert.equal(k in ack, false, k);
    await fx.waitForStderr(new RegExp(`aborted: forever ${created.taskId}`));
    const cancelled = (await task("tasks/get", created.taskId)).body.result;
    assert.equal(cancelled.status, "cancelled");
    assert.equal((await task("tasks/cancel", created.taskId)).body.result.resultType, "complete");
    // A finished task is not cancelled by a late tasks/cancel.
    const quick = (await call("quick")).body.result;
    await pollUntil(quick.taskId, (t) => t.status === "completed");
    await task("tasks/cancel", quick.taskId);
    assert.equal((await task("tasks/get", quick.taskId)).body.result.status, "completed");
  });

  test("errors: -32021 without the extension (HTTP 400), -32602 for an unknown task, -32020 for a wrong Mcp-Name, -32601 for tasks/result and tasks/list", async () => {
    const noExt = { elicitation: {} };
    for (const method of ["tasks/get", "tasks/update", "tasks/cancel"]) {
      const r = await task(method, "x", method === "tasks/update" ? { inputResponses: {} } : {}, noExt);
      assert.equal(r.status, 400, method);
      assert.equal(r.body.error.code, -32021, method);
      assert.deepEqual(r.body.error.data.requiredCapabilities, TASKS);
    }
    // A tool that may be a task runs as a plain call; one that must be fails with -32021.
    const plain = (await call("quick", { n: 1 }, noExt)).body.result;
    assert.equal(plain.resultType, "complete");
    assert.equal(plain.content[0].text, "quick 1");
    const required = await call("must", {}, noExt);
    assert.equal(required.body.error.code, -32021);
    assert.deepEqual(required.body.error.data.requiredCapabilities, TASKS);
    // A tool without task support never becomes one, whatever the client declares (a legacy `task` param included).
    const sync = (await send(fx.url, "tools/call", { name: "plain", arguments: {}, task: { ttl: 1000 }, _meta: meta() })).body.result;
    assert.equal(sync.resultType, "complete");
    assert.equal((await task("tasks/get", "no-such-task")).body.error.code, -32602);
    const huge = await task("tasks/get", "x".repeat(5000));
    assert.equal(huge.body.error.code, -32602);
    assert.ok(JSON.stringify(huge.body).length < 1000, "a huge task id is not echoed back");
    assert.equal((await send(fx.url, "tasks/get", { taskId: 5, _meta: meta() })).body.error.code, -32602);
    assert.equal((await task("tasks/cancel", "no-such-task")).body.error.code, -32602);
    const created = (await call("quick")).body.result;
    const matched = await task("tasks/get", created.taskId);
    assert.equal(matched.status, 200, "a matching Mcp-Name is accepted");
    const wrongName = await send(fx.url, "tasks/get", { taskId: created.taskId, _meta: meta() }, { "mcp-name": "another-task" });
    assert.equal(wrongName.status, 400);
    assert.equal(wrongName.body.error.code, -32020);
    const noName = await send(fx.url, "tasks/get", { taskId: created.taskId, _meta: meta() }, { "mcp-name": undefined });
    assert.equal(noName.body.error.code, -32020);
    for (const method of ["tasks/result", "tasks/list"]) assert.equal((await send(fx.url, method, { taskId: created.taskId, _meta: meta() })).body.error.code, -32601, method);
  });

  test("hostile params to tasks/* get JSON-RPC errors (never a crash, never a result), and the server keeps serving", async () => {
    const created = (await call("steps")).body.result;
    await pollUntil(created.taskId, (t) => t.status === "input_required");
    const bad: [string, Record<string, unknown>][] = [
      ["tasks/get", { taskId: null }],
      ["tasks/get", { taskId: { $gt: "" } }],
      ["tasks/get", { taskId: ["a"] }],
      ["tasks/get", { taskId: "" }],
      ["tasks/cancel", { taskId: 1e308 }],
      ["tasks/update", { taskId: created.taskId, inputResponses: "yes" }],
      ["tasks/update", { taskId: created.taskId, inputResponses: [] }],
      ["tasks/update", { taskId: created.taskId, inputResponses: { go: null } }],
      ["tasks/update", { taskId: created.taskId, inputResponses: { go: { action: "maybe" } } }],
    ];
    for (const [method, params] of bad) {
      const headers = typeof params.taskId === "string" && params.taskId !== "" ? {} : { "mcp-name": undefined };
      const r = await send(fx.url, method, { ...params, _meta: meta() }, headers);
      assert.ok(r.body?.error, `${method} ${JSON.stringify(params)} → ${JSON.stringify(r.body)}`);
      assert.ok(r.body.error.code === -32602 || r.body.error.code === -32020, `${method}: ${r.body.error.code}`);
    }
    // Keys that are not outstanding (prototype names included) are ignored: an ack, nothing polluted, nothing answered.
    const odd = await task("tasks/update", created.taskId, { inputResponses: JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"action": "accept"}}') });
    assert.equal(odd.body.result.resultType, "complete");
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // Still waiting for its real answer, which still works.
    assert.equal((await task("tasks/get", created.taskId)).body.result.status, "input_required");
    await task("tasks/update", created.taskId, { inputResponses: { go: { action: "accept", content: { go: false } } } });
    assert.equal((await pollUntil(created.taskId, (t) => t.status === "completed")).result.content[0].text, "stopped");
  });

  test("MRTR then task: start: handler asks in the request (input_required), then answers with the task", async () => {
    const r1 = (await call("later")).body.result;
    assert.equal(r1.resultType, "input_required");
    assert.equal("taskId" in r1, false);
    const r2 = (await send(fx.url, "tools/call", {
      name: "later",
      arguments: {},
      inputResponses: { user_name: { action: "accept", content: { name: "Lin" } } },
      requestState: r1.requestState,
      _meta: meta(),
    })).body.result;
    assert.equal(r2.resultType, "task");
    assert.equal("requestState" in r2, false);
    const done = await pollUntil(r2.taskId, (t) => t.status === "completed");
    assert.equal(done.result.content[0].text, "hello Lin in a task");
  });

  test("status notifications: subscriptions/listen with taskIds streams notifications/tasks until the end; without the extension it is -32021", async () => {
    const refused = await send(fx.url, "subscriptions/listen", { notifications: { taskIds: ["x"] }, _meta: meta({}) });
    assert.equal(refused.body.error.code, -32021);
    const created = (await call("steps")).body.result;
    const controller = new AbortController();
    const params = { notifications: { taskIds: [created.taskId] }, _meta: meta() };
    const response = await fetch(fx.url, {
      method: "POST",
      headers: headersFor("subscriptions/listen", params),
      body: JSON.stringify({ jsonrpc: "2.0", id: "L1", method: "subscriptions/listen", params }),
      signal: controller.signal,
    });
    const sse = new SseReader(response);
    try {
      const ack = await sse.message((m) => m.method === "notifications/subscriptions/acknowledged");
      assert.deepEqual((ack.params as any).notifications, { taskIds: [created.taskId] });
      const waiting = await sse.message((m) => m.method === "notifications/tasks" && (m.params as any).status === "input_required");
      assert.equal((waiting.params as any).taskId, created.taskId);
      assert.equal((waiting.params as any).statusMessage, "half way");
      assert.equal((waiting.params as any)._meta["io.modelcontextprotocol/subscriptionId"], "L1");
      await task("tasks/update", created.taskId, { inputResponses: { go: { action: "accept", content: { go: true } } } });
      const completed = await sse.message((m) => m.method === "notifications/tasks" && (m.params as any).status === "completed");
      assert.equal((completed.params as any).result.content[0].text, "went on");
      assert.equal((completed.params as any).statusMessage, "finishing");
    } finally {
      controller.abort();
      await sse.cancel().catch(() => undefined);
    }
  });
});

describe("tasks with our McpClient over Streamable HTTP", () => {
  let fx: HttpFixture;
  before(async () => {
    fx = await HttpFixture.start([], { fixture: "tasks.ts" });
  });
  after(() => fx?.stop());

  const connect = async (options: ConstructorParameters<typeof McpClient>[1] = {}) => {
    const client = new McpClient({ name: "tasks-test", version: "1" }, { protocolEra: "modern", ...options });
    await client.connect(new StreamableHttpClientTransport(fx.url));
    return client;
  };

  test("callTool waits for the task: input requests go to the elicitation and sampling callbacks, status messages to onprogress", async () => {
    const asked: string[] = [];
    const client = await connect({
      onElicitation: async (req) => {
        asked.push(req.message);
        return req.message === "Go on?" ? { action: "accept", content: { go: true } } : { action: "accept", content: { name: "Kim" } };
      },
      onSampling: async () => ({ role: "assistant", content: { type: "text", text: "Hey" }, model: "m" }),
    });
    try {
      const progress: (string | undefined)[] = [];
      const steps = await client.callTool("steps", {}, { onprogress: (p) => progress.push(p.message) });
      assert.equal(steps.content[0]!.type === "text" && steps.content[0].text, "went on");
      assert.ok(progress.includes("half way"), JSON.stringify(progress));
      const two = await client.callTool("ask_two");
      assert.equal(two.content[0]!.type === "text" && two.content[0].text, "Hey, Kim");
      assert.deepEqual(asked.sort(), ["Go on?", "Name?"]);
      // A failed task rejects with its error.
      await assert.rejects(client.callTool("protocol_error"), (e: unknown) => e instanceof McpError && e.code === -32600);
    } finally {
      await client.close();
    }
  });

  test("callToolAsTask returns a handle: poll, cancel, and result() rejects once cancelled", async () => {
    const client = await connect();
    try {
      const handle = await client.callToolAsTask("forever");
      assert.ok(handle instanceof ToolTask);
      await fx.waitForStderr(new RegExp(`started: forever ${handle.taskId}`));
      assert.equal((await handle.poll()).status, "working");
      await handle.cancel();
      await assert.rejects(handle.result(), /cancelled/);
      assert.equal(handle.task.status, "cancelled");
      // Resumed by id, as after a restart.
      assert.equal((await client.task(handle.taskId).poll()).status, "cancelled");
      // A plain tool's answer comes back as the result itself.
      const plain = await client.callToolAsTask("plain");
      assert.equal(plain instanceof ToolTask, false);
    } finally {
      await client.close();
    }
  });

  test("tasks: false declares no extension: optional tools run as plain calls, required ones are -32021", async () => {
    const client = await connect({ tasks: false });
    try {
      const quick = await client.callToolAsTask("quick", { n: 3 });
      assert.equal(quick instanceof ToolTask, false);
      await assert.rejects(client.callTool("must"), (e: unknown) => e instanceof McpError && e.code === -32021);
    } finally {
      await client.close();
    }
  });

  test("session era (2025-11-25): every task tool is a plain call; inputs are requests, progress is notifications", async () => {
    const client = new McpClient(
      { name: "legacy", version: "1" },
      { onElicitation: async () => ({ action: "accept", content: { go: true } }) },
    );
    await client.connect(new StreamableHttpClientTransport(fx.url));
    try {
      assert.equal(client.era, "legacy");
      const progress: (string | undefined)[] = [];
      const steps = await client.callTool("steps", {}, { onprogress: (p) => progress.push(p.message) });
      assert.equal(steps.content[0]!.type === "text" && steps.content[0].text, "went on");
      assert.deepEqual(progress, ["half way", "finishing"]);
      const must = await client.callTool("must");
      assert.equal(must.content[0]!.type === "text" && must.content[0].text, "must ran");
      const later = await client.callTool("later", {}, {});
      assert.equal(later.isError, undefined);
      const tools = await client.listTools();
      assert.equal(tools.find((t) => t.name === "must")?.execution, undefined, "no SEP-1686 taskSupport is advertised");
    } finally {
      await client.close();
    }
  });
});
