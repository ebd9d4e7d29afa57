/**
 * What every TaskStore must do, as tests any store runs (the memory store in
 * tasks-store.test.ts, RedisTaskStore on a real redis-server in
 * test/cluster/redis-task-store.test.ts): TTL expiry, a dead runner's lease making the
 * task failed, the bound on tasks, JSON copies and versions, compare-and-set under
 * concurrent writers, and two nodes, each with its own store object (for Redis its own
 * connection), sharing the tasks: one polls, answers and cancels what the other runs.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  McpServer,
  McpError,
  Peer,
  createMemoryTransportPair,
  tasksOf,
  type AuthInfo,
  type TaskOptions,
  type TaskRecord,
  type TaskStore,
  type Transport,
} from "../../runtime/src/index.js";
import { createTasksServer } from "../fixtures/runtime/tasks.js";

export interface StoreOptions {
  now?: () => number;
  maxTasks?: number;
}

/** `count` store objects sharing one set of tasks (as nodes would), and how to release them. */
export type MakeStores = (count: number, options?: StoreOptions) => Promise<{ stores: TaskStore[]; close(): Promise<void> }>;

/** The `_meta` of a 2026-07-28 request from a client that declares the tasks extension. */
export const meta = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": { elicitation: {}, sampling: {}, extensions: { "io.modelcontextprotocol/tasks": {} } },
};

/** A server-side transport whose every message comes from `auth` (as HTTP's auth layer would say). */
export function authenticated(inner: Transport, auth: AuthInfo): Transport {
  return new Proxy(inner, {
    get(target, key, receiver) {
      if (key !== "start") return Reflect.get(target, key, receiver);
      return (sink: Parameters<Transport["start"]>[0]) =>
        target.start({ ...sink, message: (m: unknown, extra?: object) => sink.message(m, { ...extra, authInfo: auth }) } as typeof sink);
    },
  });
}

/** A server in process and a raw peer talking to it (as `auth`, when given). */
export async function node(options: TaskOptions, server: McpServer = createTasksServer(options), auth?: AuthInfo) {
  const [a, b] = createMemoryTransportPair();
  await server.connect(auth ? authenticated(a, auth) : a);
  const peer = new Peer();
  await peer.connect(b);
  const call = (name: string, args: Record<string, unknown> = {}) => peer.request<any>("tools/call", { name, arguments: args, _meta: meta });
  const task = (method: string, taskId: string, more: Record<string, unknown> = {}) => peer.request<any>(method, { taskId, ...more, _meta: meta });
  return { server, peer, call, task, close: () => Promise.all([peer.close(), server.close()]) };
}

/** Waits (by store events, not time) until the task's record satisfies `done`. */
export function recordWhere(store: TaskStore, taskId: string, done: (r: TaskRecord) => boolean): Promise<TaskRecord> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: TaskRecord) => {
      if (settled) return;
      settled = true;
      stop();
      resolve(r);
    };
    const stop = store.subscribe((r) => r.taskId === taskId && done(r) && finish(r));
    void store.get(taskId).then((r) => r && done(r) && finish(r));
  });
}

/** Resolves once `check()` holds (checked at every turn of timers), or fails after `timeoutMs`. */
async function eventually(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const record = (taskId: string, t: number, extra: Partial<TaskRecord> = {}): TaskRecord => ({
  taskId,
  status: "working",
  createdAt: t,
  lastUpdatedAt: t,
  ttlMs: 60_000,
  expiresAt: t + 60_000,
  tool: "forever",
  version: 0,
  ...extra,
});

export function taskStoreContract(name: string, makeStores: MakeStores): void {
  describe(`TaskStore contract: ${name}`, { timeout: 120_000 }, () => {
    test("TTL: a task answers tasks/get until createdAt + ttlMs, then it is unknown (-32602)", async () => {
      const clock = { t: 1_700_000_000_000 };
      const { stores, close } = await makeStores(1, { now: () => clock.t });
      const n = await node({ store: stores[0], now: () => clock.t, ttlMs: 60_000 });
      try {
        const created = await n.call("quick", { n: 1 });
        assert.equal(created.ttlMs, 60_000);
        await recordWhere(stores[0]!, created.taskId, (r) => r.status === "completed");
        clock.t += 59_999;
        assert.equal((await n.task("tasks/get", created.taskId)).status, "completed", "kept for its whole ttlMs");
        clock.t += 1;
        await assert.rejects(n.task("tasks/get", created.taskId), (e: unknown) => e instanceof McpError && e.code === -32602);
        assert.equal(await stores[0]!.get(created.taskId), undefined);
      } finally {
        await n.close();
        await close();
      }
    });

    test("a runner whose lease ran out (its node died) makes the task failed, never stuck working", async () => {
      const clock = { t: 1_700_000_000_000 };
      const { stores, close } = await makeStores(1, { now: () => clock.t });
      const n = await node({ store: stores[0], now: () => clock.t, leaseMs: 5000 });
      try {
        await stores[0]!.create(record("orphan", clock.t, { lease: { holder: "dead-node", until: clock.t + 5000 } }));
        assert.equal((await n.task("tasks/get", "orphan")).status, "working", "the lease still holds");
        clock.t += 5001;
        const failed = await n.task("tasks/get", "orphan");
        assert.equal(failed.status, "failed");
        assert.equal(failed.error.code, -32603);
        assert.match(failed.error.message, /runner stopped/);
        assert.equal((await stores[0]!.get("orphan"))!.lease, undefined);
        assert.equal((await n.task("tasks/get", "orphan")).status, "failed", "and stays failed");
      } finally {
        await n.close();
        await close();
      }
    });

    test("bounded: full of running tasks, creation fails with -32603; a finished task makes room", async () => {
      const { stores, close } = await makeStores(1, { maxTasks: 2 });
      const n = await node({ store: stores[0] });
      try {
        const a = await n.call("forever");
        await n.call("forever");
        await assert.rejects(n.call("forever"), (e: unknown) => e instanceof McpError && e.code === -32603 && /full/.test(e.message));
        await n.task("tasks/cancel", a.taskId);
        const c = await n.call("forever");
        assert.equal(c.resultType, "task");
        await assert.rejects(n.task("tasks/get", a.taskId), /not found/, "the finished task was evicted");
        await assert.rejects(n.call("forever"), /full/, "still two running");
      } finally {
        await n.close();
        await close();
      }
    });

    test("bounded: expired tasks make room before finished ones are evicted", async () => {
      const clock = { t: 1_700_000_000_000 };
      const again = await makeStores(1, { now: () => clock.t, maxTasks: 2 });
      try {
        const s = again.stores[0]!;
        await s.create(record("short", clock.t, { ttlMs: 1000, expiresAt: clock.t + 1000 }));
        await s.create(record("done", clock.t, { status: "completed" }));
        clock.t += 1000;
        await s.create(record("third", clock.t));
        assert.equal((await s.get("done"))?.status, "completed", "the finished task stays: the expired one made room");
        assert.equal(await s.get("short"), undefined);
        assert.ok(await s.get("third"));
      } finally {
        await again.close();
      }
    });

    test("records go in and out as JSON copies; every write bumps the version", async () => {
      const { stores, close } = await makeStores(1);
      const store = stores[0]!;
      try {
        const r: TaskRecord = { taskId: "t", status: "working", createdAt: 1, lastUpdatedAt: 1, ttlMs: null, expiresAt: null, tool: "x", version: 0 };
        await store.create(r);
        r.status = "failed";
        const got = (await store.get("t"))!;
        assert.equal(got.status, "working");
        got.status = "completed";
        assert.equal((await store.get("t"))!.status, "working");
        const updated = await store.update("t", (x) => ({ ...x, statusMessage: "x" }));
        assert.equal(updated!.version, 1);
        assert.equal((await store.get("t"))!.statusMessage, "x");
        const unchanged = await store.update("t", (x) => {
          x.status = "failed";
          return undefined;
        });
        assert.equal(unchanged!.status, "working", "a change that returns undefined writes nothing");
        assert.equal(unchanged!.version, 1);
        assert.equal(await store.update("missing", (x) => x), undefined);
      } finally {
        await close();
      }
    });

    test("compare-and-set: concurrent updates through two store objects all apply, none is lost", async () => {
      const { stores, close } = await makeStores(2);
      const [a, b] = stores as [TaskStore, TaskStore];
      try {
        await a.create(record("counted", Date.now(), { inputResponses: {} }));
        const writes = 40;
        await Promise.all(
          Array.from({ length: writes }, (_, i) =>
            (i % 2 === 0 ? a : b).update("counted", (r) => ({ ...r, inputResponses: { ...r.inputResponses, [`k${i}`]: i } })),
          ),
        );
        const final = (await b.get("counted"))!;
        assert.equal(Object.keys(final.inputResponses ?? {}).length, writes);
        assert.equal(final.version, writes);
      } finally {
        await close();
      }
    });

    test("subscribe: writes through one store object reach the listeners of another, in order", async () => {
      const { stores, close } = await makeStores(2);
      const [a, b] = stores as [TaskStore, TaskStore];
      const seen: number[] = [];
      const stop = b.subscribe((r) => r.taskId === "heard" && seen.push(r.version));
      try {
        const last = recordWhere(b, "heard", (r) => r.version === 3);
        // Created through b: a store's own write waits until it hears the channel (pub/sub
        // delivers only what is published once a subscription is in place).
        await b.create(record("heard", Date.now()));
        for (let i = 0; i < 3; i++) await a.update("heard", (r) => ({ ...r, statusMessage: `step ${i}` }));
        await last;
        assert.deepEqual(seen, [0, 1, 2, 3]);
      } finally {
        stop();
        await close();
      }
    });

    test("a task belongs to its caller's principal: another caller gets -32602 as for an unknown task", async () => {
      const { stores, close } = await makeStores(1);
      const server = createTasksServer({ store: stores[0] });
      const alice = await node({}, server, { subject: "alice", issuer: "https://issuer.test", scopes: [] } as AuthInfo);
      const bob = await node({}, server, { subject: "bob", issuer: "https://issuer.test", scopes: [] } as AuthInfo);
      try {
        const created = await alice.call("forever");
        for (const method of ["tasks/get", "tasks/cancel", "tasks/update"]) {
          await assert.rejects(bob.task(method, created.taskId, method === "tasks/update" ? { inputResponses: {} } : {}), (e: unknown) => e instanceof McpError && e.code === -32602, method);
        }
        assert.equal((await alice.task("tasks/get", created.taskId)).status, "working", "bob's cancel changed nothing");
        await alice.task("tasks/cancel", created.taskId);
      } finally {
        await Promise.all([alice.peer.close(), bob.peer.close()]);
        await server.close();
        await close();
      }
    });

    test("two nodes: the one not running a task answers tasks/get, delivers tasks/update to the runner, and cancels it", async () => {
      const { stores, close } = await makeStores(2);
      const [sa, sb] = stores as [TaskStore, TaskStore];
      const a = await node({ store: sa });
      const b = await node({ store: sb });
      try {
        const created = await a.call("steps");
        await recordWhere(sb, created.taskId, (r) => r.status === "input_required");
        const seen = await b.task("tasks/get", created.taskId);
        assert.equal(seen.status, "input_required");
        assert.equal(seen.statusMessage, "half way");
        await b.task("tasks/update", created.taskId, { inputResponses: { go: { action: "accept", content: { go: true } } } });
        await recordWhere(sb, created.taskId, (r) => r.status === "completed");
        assert.equal((await b.task("tasks/get", created.taskId)).result.content[0].text, "went on");

        const long = await a.call("forever");
        assert.equal(tasksOf(a.server).running, 1);
        assert.equal(tasksOf(b.server).running, 0);
        await b.task("tasks/cancel", long.taskId);
        assert.equal((await a.task("tasks/get", long.taskId)).status, "cancelled");
        await eventually(() => tasksOf(a.server).running === 0, "the runner on node a to stop");
      } finally {
        await Promise.all([a.close(), b.close()]);
        await close();
      }
    });
  });
}
