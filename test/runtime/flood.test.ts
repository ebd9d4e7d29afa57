/**
 * Issue 16, finding 1: one small request could freeze an HTTP server and balloon its
 * memory (`ctx.log` and `ctx.progress` resolved at once, so a handler looping over them
 * never yielded, and every notification was queued). Here one session calls `flood`
 * with a 4 MB list of names and a progress token (two notifications per name) and reads
 * its stream, while another session pings: the pings stay fast (see pingBound; before, one
 * ping waited seconds for the whole flood) and the server's RSS stays under the documented
 * ceiling. A second case has
 * the flooding client stop reading: the handler is held back, memory stays bounded,
 * and other sessions are still served.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawHttpSession, memoryOf, namesOfSize, percentile, pingLatencies, readInChild, startHttpChild, type HttpChild } from "./load-helpers.js";

const MiB = 1024 * 1024;
/** docs/http.md: what the defaults let one flooding session add to a server's memory, with generous room for GC lag. */
const FLOOD_CEILING = 200 * MiB;
const PINGS = 400;

/**
 * The target is 100 ms at p99, which `node bench/flood.mjs` (and `npm run bench`)
 * measures and reports. A test on a shared, loaded 2-core machine needs a generous bound (its
 * own noise alone can exceed 100 ms): the flood may add at most 250 ms to the p99 of the same
 * pings measured just before without it. A server that froze misses that by seconds.
 * Before the fix a ping waited for the whole flood (seconds).
 */
async function pingBound(other: RawHttpSession): Promise<{ bound: number; quiet: number; maxBound: number }> {
  const latencies = await pingLatencies(other, PINGS, 500_000);
  const quiet = percentile(latencies, 99);
  // A freeze shows as one ping that waits for all of it, which p99 hides: the longest
  // ping may exceed the longest quiet one by at most a second.
  return { bound: 250 + quiet, quiet, maxBound: 1000 + Math.max(...latencies) };
}

/** Every server a test starts is stopped after the file, even when its test failed. */
const started: HttpChild[] = [];
after(async () => {
  for (const s of started) await s.stop();
});
async function start(args: string[] = []): Promise<HttpChild> {
  const s = await startHttpChild("flood.ts", {}, [], args);
  started.push(s);
  return s;
}

/**
 * A fixture server with a flooding session and another one, warmed up, the ping bound taken
 * without the flood, and the server's memory before it.
 */
async function floodSetup(args: string[] = []) {
  const server = await start(args);
  const pid = server.child.pid!;
  const flooder = await new RawHttpSession(server.url).open();
  const other = await new RawHttpSession(server.url).open();
  await pingLatencies(other, 20); // warm up
  const bounds = await pingBound(other);
  return { server, pid, flooder, other, ...bounds, before: memoryOf(pid) };
}

describe("a notification flood from one session", { timeout: 180_000 }, () => {
  test("does not stall other sessions or grow memory without bound (client reading)", async () => {
    const { server, pid, flooder, other, bound, quiet, maxBound, before } = await floodSetup();

    const names = namesOfSize(4_000_000);
    // The flooding client reads as fast as it can, from another process.
    const reader = readInChild(flooder, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "flood", arguments: { names }, _meta: { progressToken: "p" } } });
    let latencies: number[];
    let during: ReturnType<typeof memoryOf>;
    let stillFlooding: boolean;
    try {
      // Pinging starts at once: a server that froze for the flood delays these pings, and
      // one that did not answers them while the flood goes on.
      latencies = await pingLatencies(other, PINGS);
      during = memoryOf(pid);
      stillFlooding = !reader.finished();
      await reader.started;
    } finally {
      await reader.stop();
    }

    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const grown = during.peak - before.rss;
    console.log(
      `flood (reading client): ping p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(0)} ms (p99 ${quiet.toFixed(1)} ms without the flood); RSS before ${(before.rss / MiB).toFixed(0)} MiB, peak ${(during.peak / MiB).toFixed(0)} MiB`,
    );
    assert.ok(Math.max(...latencies) < maxBound, `a ping waited ${Math.max(...latencies).toFixed(0)} ms during the flood: the server froze`);
    assert.ok(p99 < bound, `p99 of pings during the flood: ${p99.toFixed(1)} ms (p50 ${p50.toFixed(1)} ms, ${quiet.toFixed(1)} ms without it)`);
    assert.ok(grown < FLOOD_CEILING, `RSS grew by ${(grown / MiB).toFixed(0)} MiB during the flood`);
    // A precondition of the measurement, not a property of the server: said, not asserted.
    if (!stillFlooding) console.log("note: the flood ended before the pings did; later pings measured a quiet server");
    await server.stop();
  });

  test("is held back when the flooding client stops reading, with bounded memory", async () => {
    const { server, pid, flooder, other, bound, quiet, maxBound, before } = await floodSetup();

    const names = namesOfSize(4_000_000);
    const flood = await flooder.post({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "flood", arguments: { names }, _meta: { progressToken: "p" } } });
    assert.equal(flood.status, 200);
    // Never read the body: the server must stop producing, not buffer the rest.
    const latencies = await pingLatencies(other, PINGS);
    const samples = [memoryOf(pid)];
    // Give a runaway handler every chance to show: more pings, more samples.
    for (let i = 0; i < 5; i++) {
      await pingLatencies(other, 50);
      samples.push(memoryOf(pid));
    }
    const p99 = percentile(latencies, 99);
    const peak = Math.max(...samples.map((s) => s.peak));
    console.log(`flood (stalled client): ping p99 ${p99.toFixed(1)} ms (${quiet.toFixed(1)} ms without the flood); RSS before ${(before.rss / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB`);
    assert.ok(p99 < bound, `p99 of pings while a stalled flood is held: ${p99.toFixed(1)} ms (${quiet.toFixed(1)} ms without it)`);
    assert.ok(Math.max(...latencies) < maxBound, `a ping waited ${Math.max(...latencies).toFixed(0)} ms: the server froze`);
    assert.ok(peak - before.rss < FLOOD_CEILING, `RSS grew by ${((peak - before.rss) / MiB).toFixed(0)} MiB`);
    await flood.body?.cancel().catch(() => undefined);
    await server.stop();
  });
});

describe("a flood in JSON mode (notifications go to the GET stream, or wait in the event store)", { timeout: 180_000 }, () => {
  test("other sessions stay fast and the store holds the flood's notifications within its byte limits", async () => {
    const { server, pid, flooder, other, bound, quiet, maxBound, before } = await floodSetup(["--json"]);
    // Observed at once: on a loaded machine the flood may still run when the server is stopped
    // below, and its POST then fails; unobserved until then, that would be an unhandled rejection.
    const flood = flooder.post({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "flood", arguments: { names: namesOfSize(4_000_000) }, _meta: { progressToken: "p" } } }).catch(() => undefined);
    const latencies = await pingLatencies(other, PINGS);
    const peak = memoryOf(pid).peak;
    const p99 = percentile(latencies, 99);
    console.log(`flood (JSON mode): ping p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(0)} ms (p99 ${quiet.toFixed(1)} ms without); RSS before ${(before.rss / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB`);
    assert.ok(Math.max(...latencies) < maxBound, `a ping waited ${Math.max(...latencies).toFixed(0)} ms: the server froze`);
    assert.ok(p99 < bound, `p99 of pings during a JSON-mode flood: ${p99.toFixed(1)} ms`);
    assert.ok(peak - before.rss < FLOOD_CEILING, `RSS grew by ${((peak - before.rss) / MiB).toFixed(0)} MiB`);
    await server.stop();
    await flood;
  });
});

describe("an HTTP client that stops reading while unawaited messages keep coming", { timeout: 120_000 }, () => {
  let server: HttpChild;

  test("is cut off past maxUnreadBytes: the server's memory stays bounded and other sessions are served", async () => {
    server = await start();
    const pid = server.child.pid!;
    const slow = await new RawHttpSession(server.url).open();
    const other = await new RawHttpSession(server.url).open();
    const before = memoryOf(pid);
    // 200 log messages of 1 MB each, sent without waiting: 200 MB if it were all kept.
    const r = await slow.post({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "spray", arguments: { count: 200, bytes: 1_000_000 } } });
    assert.equal(r.status, 200);
    // The other session is answered meanwhile and after.
    const reply = await other.request(2, "tools/call", { name: "memory", arguments: {} });
    const after = memoryOf(pid);
    const grown = after.peak - before.rss;
    console.log(`spray to a stalled HTTP client: RSS before ${(before.rss / MiB).toFixed(0)} MiB, peak ${(after.peak / MiB).toFixed(0)} MiB`);
    assert.ok(reply.result, "the other session is served");
    // Default maxUnreadBytes 16 MiB + event store 8 MiB per session + what the handler itself builds.
    assert.ok(grown < 120 * MiB, `RSS grew by ${(grown / MiB).toFixed(0)} MiB`);
    // The stalled stream was cut off: reading it now ends (or errors) before the 200 MB.
    let got = 0;
    try {
      const reader = r.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        got += value.length;
      }
    } catch {
      // Reset by the server: as good as an end.
    }
    assert.ok(got < 100 * MiB, `read ${(got / MiB).toFixed(0)} MiB from a stream that should have been cut off`);
  });
});
