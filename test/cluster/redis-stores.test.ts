/**
 * @mcpgen/redis's stores against a real redis-server: the event store keeps exactly what the
 * runtime's MemoryEventStore keeps, under the same limits (a property run compares the two
 * on random appends over several sessions and streams with small limits: every issued id
 * replays the same messages in both, or is refused in both), its keys expire with the
 * session and go with dropSession; the session store keeps whole records, refreshes their
 * TTL on use, indexes subscriptions, and honours maxRecordBytes and maxRecords.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { MemoryEventStore, type MemoryEventStoreOptions, type SessionRecord, type StoredMessage } from "../../runtime/src/index.js";
import { RedisConnection, RedisEventStore, RedisSessionStore } from "../../packages/redis/src/index.js";
import { RedisServer, redisCommand } from "./infra.js";
import { existsSync } from "node:fs";
import { REDIS_SERVER } from "./infra.js";

const skip = existsSync(REDIS_SERVER) ? undefined : "skipped: redis-server not installed (apt-get install -y redis-server; .ci/run does)";

describe("@mcpgen/redis stores on a real redis-server", { skip, timeout: 180_000 }, () => {
  let server: RedisServer;
  let conn: RedisConnection;
  let raw: Awaited<ReturnType<typeof redisCommand>>;
  before(async () => {
    server = await RedisServer.start();
    conn = await RedisConnection.connect({ url: server.url, prefix: "t:" });
    raw = await redisCommand(server.url);
  });
  after(async () => {
    await conn?.close();
    await raw?.close();
    await server?.stop();
  });

  const LIMITS: MemoryEventStoreOptions = { maxEventsPerStream: 5, maxBytesPerStream: 900, maxStreamsPerSession: 3, maxBytesPerSession: 1500, maxBytes: 2500 };

  test("the event store keeps what MemoryEventStore keeps, under the same limits (property)", async () => {
    const op = fc.record({ session: fc.integer({ min: 0, max: 2 }), stream: fc.integer({ min: 0, max: 4 }), size: fc.integer({ min: 0, max: 1000 }), priming: fc.boolean() });
    const outcome = await fc.check(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        await raw.send(["FLUSHDB"]);
        const memory = new MemoryEventStore(LIMITS);
        const redis = new RedisEventStore(conn, { ...LIMITS, ttlMs: 60_000 });
        const issued: { mem: string; red: string }[] = [];
        for (const [i, o] of ops.entries()) {
          // Stream 0 is the session's GET stream, the one that may be written again after it was dropped.
          const streamId = o.stream === 0 ? `s${o.session}.0` : `s${o.session}.n-${o.stream}`;
          const message: StoredMessage | null = o.priming && i % 3 === 0 ? null : { jsonrpc: "2.0", method: "m", params: { i, pad: "x".repeat(o.size) } };
          issued.push({ mem: memory.append(streamId, message), red: await redis.append(streamId, message) });
        }
        assert.equal(await redis.byteCount(), memory.byteCount, "bytes counted alike");
        for (const [k, { mem, red }] of issued.entries()) {
          // A call stream dropped and written again reissues ids in memory (the runtime never
          // writes one again: a stream id is minted per POST); Redis ids never repeat.
          if (issued.some((o, j) => j !== k && o.mem === mem)) continue;
          const a: unknown[] = [];
          const b: unknown[] = [];
          const ra = memory.replayAfter(mem, (_id, m) => a.push(m));
          const rb = await redis.replayAfter(red, (_id, m) => b.push(m));
          assert.equal(rb === undefined, ra === undefined, `replay after ${red} is refused in both or neither`);
          assert.deepEqual(b, a);
        }
        for (const s of [0, 1, 2]) {
          memory.dropSession(`s${s}`);
          await redis.dropSession(`s${s}`);
        }
        assert.equal(Number(await raw.send(["DBSIZE"])), 0, "dropSession leaves no key behind");
      }),
      { numRuns: 40 },
    );
    if (outcome.failed) {
      throw new Error(`counterexample ${JSON.stringify(outcome.counterexample)} (seed ${outcome.seed}): ${(outcome.errorInstance as Error)?.message}`);
    }
  });

  test("an id the stream never issued, or from another stream, is refused", async () => {
    await raw.send(["FLUSHDB"]);
    const redis = new RedisEventStore(conn, { ttlMs: 60_000 });
    const id = await redis.append("a.x-1", { jsonrpc: "2.0", method: "m" });
    assert.equal(await redis.replayAfter("a.x-1.99999999999999-0", () => undefined), undefined);
    assert.equal(await redis.replayAfter("a.x-2.0-0", () => undefined), undefined);
    assert.equal(await redis.replayAfter("a.x-1.not-an-id", () => undefined), undefined);
    assert.equal(await redis.replayAfter(id, () => undefined), "a.x-1");
  });

  test("every event key expires with the session", async () => {
    await raw.send(["FLUSHDB"]);
    const redis = new RedisEventStore(conn, { ttlMs: 5000 });
    await redis.append("sess.n-1", { jsonrpc: "2.0", method: "m" });
    await redis.append("sess.0", null);
    const keys = (await raw.send(["KEYS", "*"])) as string[];
    assert.ok(keys.length > 0);
    for (const k of keys) {
      const ttl = Number(await raw.send(["PTTL", k]));
      assert.ok(ttl > 0 && ttl <= 5000, `${k} expires (PTTL ${ttl})`);
    }
  });

  test("session records: whole, TTL refreshed on use, subscriptions indexed, bounds honoured", async () => {
    await raw.send(["FLUSHDB"]);
    const store = new RedisSessionStore(conn, { ttlMs: 10_000, maxRecords: 3, maxRecordBytes: 2000 });
    const record = (id: string, subs?: string[]): SessionRecord => ({
      id,
      state: { protocolVersion: "2025-11-25", clientCapabilities: { elicitation: {} }, clientInfo: { name: "c", version: "1" }, logLevel: "debug", ...(subs ? { subscriptions: subs } : {}) },
      createdAt: 1,
      lastActiveAt: 2,
      owner: '["iss","sub","client"]',
    });
    await store.set(record("a", ["mem://x", "mem://y"]));
    await store.set(record("b", ["mem://x"]));
    assert.deepEqual(await store.get("a"), record("a", ["mem://x", "mem://y"]));
    assert.deepEqual((await store.sessionIds("mem://x")).sort(), ["a", "b"]);
    await store.set(record("a", ["mem://y"]));
    assert.deepEqual(await store.sessionIds("mem://x"), ["b"], "unsubscribing leaves the index");
    await raw.send(["PEXPIRE", "t:s:a", "100"]);
    await store.get("a");
    assert.ok(Number(await raw.send(["PTTL", "t:s:a"])) > 5000, "reading a record pushes its expiry back");
    await store.set({ ...record("big"), state: { ...record("big").state, clientInfo: { name: "x".repeat(3000), version: "1" } } });
    assert.equal(await store.get("big"), undefined, "a record over maxRecordBytes is not kept");
    await store.set(record("c"));
    await store.set(record("d"));
    assert.deepEqual((await store.sessionIds()).sort(), ["a", "c", "d"], "past maxRecords the least recently used goes");
    assert.equal(await store.get("b"), undefined);
    assert.deepEqual(await store.sessionIds("mem://x"), [], "with its subscriptions");
    for (const id of ["a", "c", "d"]) await store.delete(id);
    assert.equal(Number(await raw.send(["DBSIZE"])), 0, "delete leaves no key behind");
  });
});
