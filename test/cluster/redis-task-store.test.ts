/**
 * RedisTaskStore on a real redis-server: the TaskStore contract (test/runtime/task-store-contract.ts,
 * which MemoryTaskStore runs too), each "node" with its own store object on its own connection, so
 * compare-and-set, pub/sub and the two-node case cross Redis for real; and what only Redis has: key
 * TTLs from `expiresAt`, the indexes emptied with the tasks, and a prefix per server.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { RedisConnection, RedisTaskStore } from "../../packages/redis/src/index.js";
import { taskStoreContract } from "../runtime/task-store-contract.js";
import { REDIS_SERVER, RedisServer, redisCommand } from "./infra.js";

const skip = existsSync(REDIS_SERVER) ? undefined : "skipped: redis-server not installed (apt-get install -y redis-server; .ci/run does)";

let server: RedisServer | undefined;
let prefixes = 0;
before(async () => {
  if (!skip) server = await RedisServer.start();
});
after(async () => {
  await server?.stop();
});

if (!skip) {
  taskStoreContract("RedisTaskStore", async (count, options) => {
    // A fresh prefix per test: the stores of one test share it, other tests' tasks are elsewhere.
    const prefix = `c${++prefixes}:`;
    const connections = await Promise.all(Array.from({ length: count }, () => RedisConnection.connect({ url: server!.url, prefix })));
    const stores = connections.map((c) => new RedisTaskStore(c, options));
    return {
      stores,
      close: async () => {
        await Promise.all(stores.map((s) => s.close()));
        await Promise.all(connections.map((c) => c.close()));
      },
    };
  });
}

describe("RedisTaskStore keys", { skip, timeout: 60_000 }, () => {
  let conn: RedisConnection;
  let raw: Awaited<ReturnType<typeof redisCommand>>;
  before(async () => {
    conn = await RedisConnection.connect({ url: server!.url, prefix: "k:" });
    raw = await redisCommand(server!.url);
  });
  after(async () => {
    await conn?.close();
    await raw?.close();
  });

  test("a record's key expires at its expiresAt, set again by every write; no expiry for ttlMs null", async () => {
    const store = new RedisTaskStore(conn);
    const now = Date.now();
    await store.create({ taskId: "a", status: "working", createdAt: now, lastUpdatedAt: now, ttlMs: 600_000, expiresAt: now + 600_000, tool: "x", version: 0 });
    const ttl = Number(await raw.send(["PTTL", "k:t:a"]));
    assert.ok(ttl > 500_000 && ttl <= 600_000, `PTTL ${ttl}`);
    await store.update("a", (r) => ({ ...r, statusMessage: "on" }));
    const after = Number(await raw.send(["PTTL", "k:t:a"]));
    assert.ok(after > 500_000 && after <= ttl, `PTTL after an update ${after} (SET must not drop the TTL)`);
    await store.create({ taskId: "b", status: "working", createdAt: now, lastUpdatedAt: now, ttlMs: null, expiresAt: null, tool: "x", version: 0 });
    assert.equal(Number(await raw.send(["PTTL", "k:t:b"])), -1);
    await store.close();
  });

  test("a task past its TTL is gone from Redis by itself (no reader needed)", async () => {
    const store = new RedisTaskStore(conn);
    const now = Date.now();
    await store.create({ taskId: "brief", status: "completed", createdAt: now, lastUpdatedAt: now, ttlMs: 50, expiresAt: now + 50, tool: "x", version: 0 });
    const deadline = Date.now() + 20_000;
    while ((await raw.send(["EXISTS", "k:t:brief"])) === 1) {
      assert.ok(Date.now() < deadline, "the key never expired");
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(await store.get("brief"), undefined);
    await store.close();
  });

  test("the bound holds per prefix and the indexes never outgrow it", async () => {
    const store = new RedisTaskStore(conn, { maxTasks: 3 });
    const other = await RedisConnection.connect({ url: server!.url, prefix: "other:" });
    const elsewhere = new RedisTaskStore(other, { maxTasks: 3 });
    try {
      const now = Date.now();
      const rec = (taskId: string, status: "working" | "completed") => ({ taskId, status, createdAt: now, lastUpdatedAt: now, ttlMs: 600_000, expiresAt: now + 600_000, tool: "x", version: 0 });
      await raw.send(["DEL", "k:tx", "k:tdone"]);
      for (let i = 0; i < 10; i++) await store.create(rec(`done${i}`, "completed"));
      assert.equal(Number(await raw.send(["ZCARD", "k:tx"])), 3);
      assert.equal(Number(await raw.send(["ZCARD", "k:tdone"])), 3);
      assert.deepEqual((await raw.send(["KEYS", "k:t:done*"]) as string[]).sort(), ["k:t:done7", "k:t:done8", "k:t:done9"], "the oldest finished went first");
      for (let i = 0; i < 3; i++) await store.create(rec(`run${i}`, "working"));
      await assert.rejects(store.create(rec("run3", "working")), /full \(3 tasks/);
      await elsewhere.create(rec("run3", "working"));
      assert.ok(await elsewhere.get("run3"), "another prefix has its own bound");
    } finally {
      await store.close();
      await elsewhere.close();
      await other.close();
    }
  });
});
