/**
 * Issue 19 on issue 18's deployment: tasks of the tasks extension (2026-07-28) across
 * three nodes of the generated conformance server sharing Redis (REDIS_URL, so the
 * RedisTaskStore), with nginx round-robin in front. Raw requests go to chosen nodes, so
 * each step provably lands on a node that does not run the task: a task started on node 0
 * is polled on node 1, answered (tasks/update) on node 2 and completes on node 0; another
 * is cancelled from node 2 while node 0 runs it; a listen stream on node 1 gets the status
 * notifications of a task node 0 runs. Our McpClient through nginx runs a task
 * whose polls and answers land on whichever node. Then node 0 is SIGKILLed while running
 * a task: polled through node 1, the task ends `failed` once its lease (MCP_TASK_LEASE_MS)
 * has run out, never stuck `working`.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { McpClient, StreamableHttpClientTransport, ToolTask } from "../../runtime/src/index.js";
import { ACCEPT_BOTH, SseReader } from "../runtime/http-helpers.js";
import { Deployment, missingBinaries, redisCommand, until } from "./infra.js";

const skip = missingBinaries();
const LEASE_MS = 1500;
const V = "2026-07-28";
const meta = {
  "io.modelcontextprotocol/protocolVersion": V,
  "io.modelcontextprotocol/clientCapabilities": { elicitation: {}, extensions: { "io.modelcontextprotocol/tasks": {} } },
};

let nextId = 1;
/** One 2026-07-28 request (no session) to the node on `port`; the JSON-RPC result, or a thrown error. */
async function rpc(port: number, method: string, params: Record<string, unknown>): Promise<any> {
  const id = nextId++;
  const headers: Record<string, string> = { "content-type": "application/json", accept: ACCEPT_BOTH, "mcp-protocol-version": V, "mcp-method": method };
  if (method === "tools/call") headers["mcp-name"] = params.name as string;
  if (method.startsWith("tasks/")) headers["mcp-name"] = params.taskId as string;
  const response = await fetch(`http://127.0.0.1:${port}/mcp`, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id, method, params: { ...params, _meta: meta } }) });
  let body: any;
  if ((response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    const sse = new SseReader(response);
    body = await sse.reply(id);
    await sse.cancel();
  } else {
    body = await response.json();
  }
  if (body.error) throw new Error(`${method} on port ${port}: ${JSON.stringify(body.error)}`);
  return body.result;
}

describe("scale-out: tasks answered by any node", { skip, timeout: 240_000 }, () => {
  let d: Deployment;
  let ports: number[];
  before(async () => {
    d = await Deployment.start(3, { MCP_TASK_LEASE_MS: String(LEASE_MS) });
    ports = d.ports;
  });
  after(() => d?.stop());

  const call = (port: number, name: string, args: Record<string, unknown> = {}) => rpc(port, "tools/call", { name, arguments: args });
  const get = (port: number, taskId: string) => rpc(port, "tasks/get", { taskId });
  /** Polls tasks/get on `port` (each poll an awaited round trip) until `done` holds. */
  async function pollUntil(port: number, taskId: string, done: (t: any) => boolean, timeoutMs = 30_000): Promise<any> {
    let last: any;
    await until(async () => done((last = await get(port, taskId))), `task ${taskId} on port ${port} (last seen ${JSON.stringify(last)})`, timeoutMs);
    return last;
  }

  test("a task run by node 0 is polled on node 1, answered on node 2 and completes; another is cancelled from node 2", async () => {
    const [n0, n1, n2] = ports as [number, number, number];
    const created = await call(n0, "confirm_delete", { filename: "notes.txt" });
    assert.equal(created.resultType, "task");
    const waiting = await pollUntil(n1, created.taskId, (t) => t.status === "input_required");
    assert.equal(waiting.inputRequests.confirm.method, "elicitation/create");
    await rpc(n2, "tasks/update", { taskId: created.taskId, inputResponses: { confirm: { action: "accept", content: { confirm: true } } } });
    const done = await pollUntil(n1, created.taskId, (t) => t.status === "completed");
    assert.deepEqual(done.result.content, [{ type: "text", text: "Deleted notes.txt" }]);

    const long = await call(n0, "slow_compute", { seconds: 600, label: "long" });
    const running = await pollUntil(n2, long.taskId, (t) => t.statusMessage === "long: working for 600 s");
    assert.equal(running.status, "working");
    await rpc(n2, "tasks/cancel", { taskId: long.taskId });
    assert.equal((await get(n1, long.taskId)).status, "cancelled");
    assert.equal((await get(n0, long.taskId)).status, "cancelled", "the running node agrees");
    // The runner on node 0 stopped: its aborted handler's end wrote nothing over the cancellation,
    // and it no longer renews a lease (a terminal record holds none).
    const redis = await redisCommand(d.redis!.url);
    try {
      const stored = JSON.parse((await redis.send(["GET", `mcp:t:${long.taskId}`])) as string);
      assert.equal(stored.status, "cancelled");
      assert.equal(stored.lease, undefined);
      const ttl = Number(await redis.send(["PTTL", `mcp:t:${long.taskId}`]));
      assert.ok(ttl > 0 && ttl <= 3_600_000, `the record expires with the task's ttlMs (PTTL ${ttl})`);
    } finally {
      await redis.close();
    }
  });

  test("status notifications: a listen stream on node 1 follows a task node 0 runs, answered on node 2", async () => {
    const [n0, n1, n2] = ports as [number, number, number];
    const created = await call(n0, "confirm_delete", { filename: "watched.txt" });
    const controller = new AbortController();
    const params = { notifications: { taskIds: [created.taskId] }, _meta: meta };
    const response = await fetch(`http://127.0.0.1:${n1}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: ACCEPT_BOTH, "mcp-protocol-version": V, "mcp-method": "subscriptions/listen" },
      body: JSON.stringify({ jsonrpc: "2.0", id: "L1", method: "subscriptions/listen", params }),
      signal: controller.signal,
    });
    const sse = new SseReader(response);
    try {
      await sse.message((m) => m.method === "notifications/subscriptions/acknowledged");
      const waiting = await sse.message((m) => m.method === "notifications/tasks" && (m.params as any).status === "input_required");
      assert.equal((waiting.params as any).taskId, created.taskId);
      await rpc(n2, "tasks/update", { taskId: created.taskId, inputResponses: { confirm: { action: "accept", content: { confirm: true } } } });
      const completed = await sse.message((m) => m.method === "notifications/tasks" && (m.params as any).status === "completed");
      assert.equal((completed.params as any).result.content[0].text, "Deleted watched.txt");
    } finally {
      controller.abort();
      await sse.cancel().catch(() => undefined);
    }
  });

  test("McpClient through nginx: the task's call, polls and answer land on different nodes and it completes", async () => {
    const upstreams = new Set<string>();
    const fetchNoting = async (input: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(input, init);
      upstreams.add(response.headers.get("x-upstream") ?? "?");
      return response;
    };
    const asked: string[] = [];
    const client = new McpClient(
      { name: "tasks-cluster", version: "1" },
      { protocolEra: "modern", onElicitation: async (req) => (asked.push(req.message), { action: "accept", content: { confirm: false } }) },
    );
    await client.connect(new StreamableHttpClientTransport(d.nginx!.url, { fetch: fetchNoting }));
    try {
      const handle = await client.callToolAsTask("confirm_delete", { filename: "keep.txt" });
      assert.ok(handle instanceof ToolTask);
      const result = await handle.result({ pollIntervalMs: 20 });
      assert.equal((result.content[0] as { text: string }).text, "Kept keep.txt");
      assert.deepEqual(asked, ["Delete keep.txt?"]);
      assert.ok(upstreams.size >= 2, `requests reached ${[...upstreams].join(", ")}`);
    } finally {
      await client.close();
    }
  });

  test("SIGKILL: the task node 0 was running ends failed (polled on node 1) once its lease runs out", async () => {
    const [n0, n1] = ports as [number, number];
    const created = await call(n0, "slow_compute", { seconds: 600, label: "doomed" });
    const other = await call(n1, "slow_compute", { seconds: 600, label: "survivor" });
    await pollUntil(n1, created.taskId, (t) => t.statusMessage === "doomed: working for 600 s");
    const killedAt = Date.now();
    await d.nodes[0]!.stop("SIGKILL");
    const failed = await pollUntil(n1, created.taskId, (t) => t.status !== "working");
    const elapsed = Date.now() - killedAt;
    assert.equal(failed.status, "failed");
    assert.equal(failed.error.code, -32603);
    assert.match(failed.error.message, /runner stopped/);
    assert.ok(elapsed < LEASE_MS + 15_000, `failed ${elapsed} ms after the kill`);
    console.log(`# tasks: the dead node's task read failed ${elapsed} ms after SIGKILL (MCP_TASK_LEASE_MS=${LEASE_MS})`);
    assert.equal((await get(ports[2]!, created.taskId)).status, "failed", "every node says so");
    // The task node 1 runs keeps its lease, renewed by its runner, past the dead one's.
    const alive = await get(ports[2]!, other.taskId);
    assert.equal(alive.status, "working");
    await rpc(ports[2]!, "tasks/cancel", { taskId: other.taskId });
  });
});
