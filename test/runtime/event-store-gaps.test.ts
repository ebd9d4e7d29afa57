/**
 * Two gaps MemoryEventStore replayed silently, found by the property that compares it with
 * @mcpgen/redis's store (test/cluster/redis-stores.test.ts); each test is the shrunk case.
 *
 * 1. An event too large to keep marks its seq as dropped; trimming an older event later
 *    lowered that mark, so a client resuming from the older event got a replay without
 *    the large one instead of a 404.
 * 2. The GET stream (`<session>.0`, the one stream written again in practice) dropped for
 *    maxStreamsPerSession and written again restarted at seq 1, so a client holding an id
 *    of its earlier events resumed into the new ones as if nothing was missed. It now goes
 *    on from the seq where it was dropped.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MemoryEventStore, type StoredMessage } from "../../runtime/src/index.js";

const LIMITS = { maxEventsPerStream: 5, maxBytesPerStream: 900, maxStreamsPerSession: 3, maxBytesPerSession: 1500, maxBytes: 2500 };
const msg = (i: number, size: number): StoredMessage => ({ jsonrpc: "2.0", method: "m", params: { i, pad: "x".repeat(size) } });

function replay(store: MemoryEventStore, id: string): { stream: string | undefined; sent: unknown[] } {
  const sent: unknown[] = [];
  const stream = store.replayAfter(id, (_id, m) => void sent.push((m as unknown as { params: { i: number } }).params.i));
  return { stream, sent };
}

describe("MemoryEventStore gaps (regressions)", () => {
  test("trimming an older event never hides that a newer one was too large to keep", () => {
    const store = new MemoryEventStore(LIMITS);
    const small = store.append("s2.n-4", msg(0, 476));
    store.append("s2.n-4", msg(1, 781)); // 901 bytes with its overhead: sent live, never kept
    assert.equal(replay(store, small).stream, undefined, "resuming before the large event is a gap");
    // Other sessions' events push the total past maxBytes, so the small one is trimmed too.
    store.append("s0.0", msg(2, 298));
    store.append("s0.n-1", msg(3, 53));
    store.append("s0.0", msg(4, 340));
    store.append("s1.0", msg(5, 614));
    store.append("s0.n-1", msg(6, 0));
    assert.equal(replay(store, small).stream, undefined, "still a gap once the older event is gone as well");
  });

  test("a GET stream dropped and written again does not reissue ids; resuming from before the drop is a gap", () => {
    const store = new MemoryEventStore(LIMITS);
    const before = store.append("s0.0", msg(0, 0));
    store.append("s0.n-1", msg(1, 0));
    store.append("s0.n-2", msg(2, 0));
    store.append("s0.0", msg(3, 0)); // s0.0 is the most recent again
    const last = store.append("s0.0", msg(4, 0));
    store.append("s0.n-3", msg(5, 0)); // a fourth stream: s0.n-1 (least recently written) goes
    store.append("s0.n-4", msg(6, 0)); // and then s0.n-2
    store.append("s0.n-5", msg(7, 0)); // and then s0.0
    const again = store.append("s0.0", msg(8, 0));
    assert.notEqual(again, before);
    assert.notEqual(again, last);
    assert.equal(replay(store, before).stream, undefined, "events between it and the drop are gone");
    assert.deepEqual(replay(store, last), { stream: "s0.0", sent: [8] }, "nothing was missed after the last event before the drop");
    assert.deepEqual(replay(store, again), { stream: "s0.0", sent: [] });
  });
});
