/**
 * Issue 16, finding 3: the resumability event store was bounded by count only. 60 calls
 * with 3.5 MB replies on one session kept all 210 MB replayable until the session ended.
 * Now the memory store is bounded in bytes per stream, per session and in all; the
 * oldest events go first, and a client resuming after a dropped event is told so (404)
 * rather than replayed with a gap.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryEventStore } from "../../runtime/src/index.js";
import { RawHttpSession, V, startHttpChild, type HttpChild } from "./load-helpers.js";

const MiB = 1024 * 1024;
const msg = (n: number, size = 0) => ({ jsonrpc: "2.0" as const, method: "notifications/message", params: { level: "info" as const, data: `${n}:${"x".repeat(size)}` } });

function replay(store: MemoryEventStore, lastEventId: string): { stream: string | undefined; ids: string[] } {
  const ids: string[] = [];
  const stream = store.replayAfter(lastEventId, (id) => void ids.push(id));
  return { stream, ids };
}

describe("MemoryEventStore byte limits", () => {
  test("per stream: the oldest events go first, and resuming before a dropped one is refused", () => {
    const store = new MemoryEventStore({ maxBytesPerStream: 10_000 });
    const ids = Array.from({ length: 20 }, (_, i) => store.append("s.1", msg(i, 1000)));
    assert.ok(store.byteCount <= 10_000, `${store.byteCount} bytes kept`);
    // The newest events are all replayable, in order.
    const tail = replay(store, ids[14]!);
    assert.equal(tail.stream, "s.1");
    assert.deepEqual(tail.ids, ids.slice(15));
    // Events after the first one were dropped: a replay from there would have a gap.
    assert.equal(replay(store, ids[0]!).stream, undefined);
  });

  test("per session: the least recently written stream loses its events first", () => {
    const store = new MemoryEventStore({ maxBytesPerSession: 20_000 });
    const a = store.append("s.1", msg(0, 9000));
    store.append("s.1", msg(1, 9000));
    const b = store.append("s.2", msg(2, 9000));
    store.append("s.2", msg(3, 9000));
    assert.ok(store.byteCount <= 20_000);
    assert.equal(replay(store, a).stream, undefined, "s.1 lost its oldest events");
    assert.equal(replay(store, b).ids.length, 1, "s.2 is whole");
    // Other sessions are not charged for this one.
    store.append("t.1", msg(4, 9000));
    assert.equal(replay(store, b).ids.length, 1);
  });

  test("in all: the least recently written stream of any session goes first", () => {
    const store = new MemoryEventStore({ maxBytes: 30_000 });
    const first = store.append("a.1", msg(0, 9000));
    store.append("a.1", msg(1, 9000));
    for (let s = 0; s < 5; s++) store.append(`b${s}.1`, msg(s, 9000));
    assert.ok(store.byteCount <= 30_000, `${store.byteCount}`);
    assert.equal(replay(store, first).stream, undefined);
  });

  test("an event larger than a stream may hold is not kept, and a replay across it is refused", () => {
    const store = new MemoryEventStore({ maxBytesPerStream: 5000 });
    const before = store.append("s.1", msg(0, 10));
    const big = store.append("s.1", msg(1, 10_000));
    const afterBig = store.append("s.1", msg(2, 10));
    assert.equal(replay(store, before).stream, undefined);
    assert.deepEqual(replay(store, big).ids, [afterBig]);
    assert.ok(store.byteCount < 5000);
  });

  test("a stream the total limit emptied keeps numbering its events when written again", () => {
    // Emptied streams leave the store's global order but stay their session's; a lookup by
    // the global order alone would start such a stream over at seq 1, reusing event ids.
    const store = new MemoryEventStore({ maxBytes: 20_000 });
    const priming = store.append("a.1", null);
    store.append("a.1", msg(0, 9000));
    store.append("b.1", msg(1, 9000));
    store.append("c.1", msg(2, 9000)); // over the total: a.1, the least recent, is emptied
    assert.equal(replay(store, priming).stream, undefined, "a.1's events were dropped");
    const next = store.append("a.1", msg(3, 10));
    assert.equal(next, "a.1.3", "a.1 goes on from seq 3: ids are never reused");
    assert.equal(replay(store, priming).stream, undefined, "a resume from before the gap is still refused");
  });

  test("the least recently written order holds when one stream is written many times in a row", () => {
    const store = new MemoryEventStore({ maxBytesPerSession: 25_000 });
    const p1 = store.append("s.1", null);
    store.append("s.1", msg(0, 9000));
    const p2 = store.append("s.2", null);
    store.append("s.2", msg(1, 9000));
    for (let i = 0; i < 3; i++) store.append("s.1", msg(2 + i, 10)); // s.1 is now the most recent
    store.append("s.3", msg(9, 9000)); // over the session's bytes: s.2, the least recent, pays
    assert.equal(replay(store, p2).stream, undefined, "s.2 lost its events");
    assert.equal(replay(store, p1).ids.length, 4, "s.1 kept all four");
  });

  test("an ended session frees its bytes", () => {
    const store = new MemoryEventStore();
    for (let i = 0; i < 10; i++) store.append(`s.${i}`, msg(i, 1000));
    assert.ok(store.byteCount > 10_000);
    store.dropSession("s");
    assert.equal(store.byteCount, 0);
    assert.equal(store.streamCount, 0);
  });

  test("a million small events on one stream stay bounded and fast (dropping is amortised O(1))", () => {
    const store = new MemoryEventStore({ maxEventsPerStream: 1_000_000, maxBytesPerStream: 1 * MiB });
    const t0 = performance.now();
    let last = "";
    for (let i = 0; i < 1_000_000; i++) last = store.append("s.1", msg(i));
    const ms = performance.now() - t0;
    assert.ok(store.byteCount <= 1 * MiB);
    assert.deepEqual(replay(store, last).ids, []);
    // Quadratic dropping took minutes here; the test's own timeout catches a return of that.
    console.log(`1,000,000 appends over a 1 MiB limit: ${ms.toFixed(0)} ms`);
  });
});

/** Calls `blob` on an SSE stream; returns the priming event's id (where a resume starts). */
async function blobCall(session: RawHttpSession, id: number, bytes: number): Promise<string> {
  const r = await session.post({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "blob", arguments: { bytes } } });
  const text = await r.text();
  assert.equal(r.status, 200);
  assert.ok(text.includes(`"id":${id}`), "the reply arrived");
  return /^id: (\S+)$/m.exec(text)![1]!;
}

describe("a session of large replies over HTTP", { timeout: 180_000 }, () => {
  let server: HttpChild | undefined;
  after(async () => server?.stop());

  test("keeps only the newest replies replayable, within the per-session limit", async () => {
    server = await startHttpChild("flood.ts", {}, ["--expose-gc"]);
    const session = await new RawHttpSession(server.url).open();
    const memory = async () => JSON.parse((await session.request(9_999_999, "tools/call", { name: "memory", arguments: {} })).result.content[0].text);
    const before = await memory();
    const primed: string[] = [];
    for (let i = 1; i <= 60; i++) primed.push(await blobCall(session, i, 3_500_000));
    const afterCalls = await memory();
    const grown = afterCalls.heapUsed + afterCalls.external - before.heapUsed - before.external;
    console.log(`60 replies of 3.5 MB: heap+external grew by ${(grown / MiB).toFixed(1)} MiB`);
    // Default per-session limit 8 MiB (docs/http.md); generous room for what is not the store.
    assert.ok(grown < 32 * MiB, `the server kept ${(grown / MiB).toFixed(0)} MiB after 60 calls`);

    const resume = (lastEventId: string) =>
      fetch(server!.url, { headers: { accept: "text/event-stream", "mcp-session-id": session.sessionId, "mcp-protocol-version": V, "last-event-id": lastEventId } });
    // The first call's reply was dropped: its client is told, not replayed with a gap.
    const old = await resume(primed[0]!);
    assert.equal(old.status, 404);
    assert.match((await old.json()).error.message, /no longer stored/);
    // The last call's reply is still there.
    const recent = await resume(primed[59]!);
    assert.equal(recent.status, 200);
    assert.ok((await recent.text()).includes('"id":60'));
  });
});
