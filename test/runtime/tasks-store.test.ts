/**
 * The tasks extension's store and lifetimes, in process (an injectable clock instead of
 * waiting): TTL expiry, the bounded MemoryTaskStore, a runner's lease (a task whose node
 * died ends failed, never stuck working), and two nodes sharing one store (a task polled,
 * answered and cancelled through the node that does not run it).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  MemoryTaskStore,
  McpError,
  tasksOf,
  type TaskRecord,
} from "../../runtime/src/index.js";
import { createTasksServer } from "../fixtures/runtime/tasks.js";
import { node, recordWhere, taskStoreContract } from "./task-store-contract.js";

describe("task lifetimes with an injected clock", () => {
  test("TTL: the task answers tasks/get until createdAt + ttlMs, then it is unknown (-32602)", async () => {
    const clock = { t: 1_700_000_000_000 };
    const store = new MemoryTaskStore({ now: () => clock.t });
    const n = await node({ store, now: () => clock.t, ttlMs: 1000 });
    try {
      const created = await n.call("quick", { n: 1 });
      assert.equal(created.ttlMs, 1000);
      assert.equal(created.createdAt, new Date(clock.t).toISOString());
      await recordWhere(store, created.taskId, (r) => r.status === "completed");
      clock.t += 999;
      assert.equal((await n.task("tasks/get", created.taskId)).status, "completed", "kept for its whole ttlMs");
      clock.t += 1;
      await assert.rejects(n.task("tasks/get", created.taskId), (e: unknown) => e instanceof McpError && e.code === -32602);
      assert.equal(store.size, 0, "an expired task is dropped when read");
    } finally {
      await n.close();
    }
  });

  test("TTL: a task still running when its ttlMs passes is stopped (its handler's signal aborts)", async () => {
    const server = createTasksServer({ ttlMs: 30 });
    let aborted!: (reason: unknown) => void;
    const abortedP = new Promise((resolve) => (aborted = resolve));
    server.tool({
      name: "watch_expiry",
      task: { support: "optional" },
      handler: (_a, ctx) => new Promise((_r, reject) => ctx.signal.addEventListener("abort", () => (aborted(ctx.signal.reason), reject(ctx.signal.reason)))),
    });
    const n = await node({}, server);
    // The runner's timers do not hold the process open (a server's transport does); here nothing else would.
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      const created = await n.call("watch_expiry");
      const reason = await abortedP;
      assert.match(String((reason as Error).message), /expired/);
      assert.equal(tasksOf(server).running, 0);
      assert.equal(created.resultType, "task");
    } finally {
      clearInterval(keepAlive);
      await n.close();
    }
  });

  test("a runner whose lease ran out (its node died) makes the task failed, never stuck working", async () => {
    const clock = { t: 1_700_000_000_000 };
    const store = new MemoryTaskStore({ now: () => clock.t });
    const n = await node({ store, now: () => clock.t, leaseMs: 5000 });
    try {
      // A record as a node that then crashed left it: working, its lease about to run out, no runner here.
      await store.create({
        taskId: "orphan",
        status: "working",
        createdAt: clock.t,
        lastUpdatedAt: clock.t,
        ttlMs: 60_000,
        expiresAt: clock.t + 60_000,
        tool: "forever",
        lease: { holder: "dead-node", until: clock.t + 5000 },
        version: 0,
      });
      assert.equal((await n.task("tasks/get", "orphan")).status, "working", "the lease still holds");
      clock.t += 5001;
      const failed = await n.task("tasks/get", "orphan");
      assert.equal(failed.status, "failed");
      assert.equal(failed.error.code, -32603);
      assert.match(failed.error.message, /runner stopped/);
      assert.equal((await store.get("orphan"))!.lease, undefined);
    } finally {
      await n.close();
    }
  });
});

describe("a task's end", () => {
  test("a task that completes does not abort its handler's signal (only cancellation and expiry do)", async () => {
    const store = new MemoryTaskStore();
    const server = createTasksServer({ store });
    let signal: AbortSignal | undefined;
    server.tool({
      name: "keeps_signal",
      task: { support: "optional" },
      handler: (_a, ctx) => {
        signal = ctx.signal;
        return "done";
      },
    });
    const n = await node({}, server);
    try {
      const created = await n.call("keeps_signal");
      await recordWhere(store, created.taskId, (r) => r.status === "completed");
      assert.ok(signal);
      assert.equal(signal.aborted, false);
    } finally {
      await n.close();
    }
  });
});

describe("MemoryTaskStore bounds", () => {
  test("full of running tasks, creation fails with -32603; a finished task makes room", async () => {
    const store = new MemoryTaskStore({ maxTasks: 2 });
    const n = await node({ store });
    try {
      const a = await n.call("forever");
      await n.call("forever");
      await assert.rejects(n.call("forever"), (e: unknown) => e instanceof McpError && e.code === -32603 && /full/.test(e.message));
      await n.task("tasks/cancel", a.taskId);
      const c = await n.call("forever");
      assert.equal(c.resultType, "task");
      assert.equal(store.size, 2);
      await assert.rejects(n.task("tasks/get", a.taskId), /not found/, "the finished task was evicted");
    } finally {
      await n.close();
    }
  });

  test("records go in and out as JSON copies: changing a returned record changes nothing stored", async () => {
    const store = new MemoryTaskStore();
    const record: TaskRecord = { taskId: "t", status: "working", createdAt: 1, lastUpdatedAt: 1, ttlMs: null, expiresAt: null, tool: "x", version: 0 };
    await store.create(record);
    record.status = "failed";
    const got = (await store.get("t"))!;
    assert.equal(got.status, "working");
    got.status = "completed";
    assert.equal((await store.get("t"))!.status, "working");
    const updated = await store.update("t", (r) => ({ ...r, statusMessage: "x" }));
    assert.equal(updated!.version, 1);
    assert.equal(await store.update("missing", (r) => r), undefined);
  });
});

describe("who may see a task", () => {
  test("a task belongs to its caller's principal: another caller gets -32602 as for an unknown task", async () => {
    const server = createTasksServer();
    const alice = await node({}, server, { subject: "alice", issuer: "https://issuer.test", scopes: [] });
    const bob = await node({}, server, { subject: "bob", issuer: "https://issuer.test", scopes: [] });
    try {
      const created = await alice.call("forever");
      assert.equal((await alice.task("tasks/get", created.taskId)).status, "working");
      for (const method of ["tasks/get", "tasks/cancel", "tasks/update"]) {
        await assert.rejects(bob.task(method, created.taskId, method === "tasks/update" ? { inputResponses: {} } : {}), (e: unknown) => e instanceof McpError && e.code === -32602, method);
      }
      assert.equal((await alice.task("tasks/get", created.taskId)).status, "working", "bob's cancel changed nothing");
      await alice.task("tasks/cancel", created.taskId);
    } finally {
      await Promise.all([alice.peer.close(), bob.peer.close()]);
      await server.close();
    }
  });
});

// The contract every TaskStore meets (RedisTaskStore runs it in test/cluster/redis-task-store.test.ts);
// memory "nodes" share one store object, so its "two nodes" case is the one-store case here.
taskStoreContract("MemoryTaskStore", async (count, options) => {
  const store = new MemoryTaskStore(options);
  return { stores: Array.from({ length: count }, () => store), close: () => store.close() };
});
