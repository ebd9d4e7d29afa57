/**
 * Issue 16, finding 2: stdio read without backpressure. A client that stops reading
 * stdout while it keeps sending requests made the server buffer every reply (30,000
 * calls with 10 kB replies: 716 MB and growing). Now the server stops reading stdin
 * while its unwritten output is over `maxBufferedBytes`, so it holds about that much;
 * once the client reads again, every reply arrives. The same holds for a handler that
 * floods notifications: it is held until the client reads.
 *
 * The server is a real child process whose stdout the test does not read at first.
 * How far the server got is watched from outside (/proc: bytes it read, its RSS) until
 * it stops reading; that wait is for a condition, not a fixed time.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fixtureCommand, repoRoot } from "./helpers.js";
import { memoryOf, namesOfSize } from "./load-helpers.js";

const MiB = 1024 * 1024;
const CALLS = 30_000;
/** docs/runtime.md: a stalled stdio client makes the server hold about maxBufferedBytes (4 MiB) more, plus what one read chunk of requests answers; generous room for GC lag. */
const STALLED_CEILING = 96 * MiB;

/** Bytes the process has read so far (any file: stdin is nearly all of it). */
function bytesRead(pid: number): number {
  return Number(/^rchar:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, "utf8"))![1]);
}

/**
 * Resolves once the server has stopped reading for `quietSamples` samples in a row (it
 * is throttled), or `consumed` says it read everything; samples memory meanwhile.
 */
async function untilServerStopsReading(pid: number, consumed: () => boolean, quietSamples = 10): Promise<{ peak: number; read: number }> {
  let last = -1;
  let quiet = 0;
  let peak = 0;
  for (;;) {
    const read = bytesRead(pid);
    peak = Math.max(peak, memoryOf(pid).rss);
    quiet = read === last ? quiet + 1 : 0;
    last = read;
    if (quiet >= quietSamples || consumed()) return { peak, read };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Parses stdout lines from now on; resolves when `done` says enough arrived. */
function readLines(child: ChildProcess, onMessage: (m: any) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let rest = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop()!;
      for (const line of lines) if (line && onMessage(JSON.parse(line))) resolve();
    });
    child.stdout!.resume();
    child.once("close", (code) => reject(new Error(`the server exited (code ${code})`)));
  });
}

function startStdio(serverArgs: string[] = []): { child: ChildProcess; stop: () => Promise<void> } {
  const { command, args } = fixtureCommand("flood.ts", serverArgs);
  const child = spawn(command, args, { cwd: repoRoot, stdio: ["pipe", "pipe", "ignore"] });
  child.stdin!.on("error", () => {});
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  // stdout is left paused: nothing reads it until the test says so.
  child.stdout!.pause();
  return {
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await closed;
    },
  };
}

function send(child: ChildProcess, message: unknown): boolean {
  return child.stdin!.write(JSON.stringify(message) + "\n");
}

function initialize(child: ChildProcess): void {
  send(child, { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "slow", version: "1" } } });
  send(child, { jsonrpc: "2.0", method: "notifications/initialized" });
}

describe("stdio with a client that stops reading", { timeout: 180_000 }, () => {
  const stops: (() => Promise<void>)[] = [];
  after(async () => {
    for (const stop of stops) await stop();
  });

  /** A server past initialize (it is up once it answers), whose stdout nobody reads from now on. */
  async function startInitializedNotReading(serverArgs: string[] = []) {
    const { child, stop } = startStdio(serverArgs);
    stops.push(stop);
    const ready = readLines(child, (m) => m.id === 0);
    initialize(child);
    await ready;
    child.stdout!.removeAllListeners("data");
    child.stdout!.pause();
    return { child, pid: child.pid!, before: memoryOf(child.pid!).rss };
  }

  test(`holds bounded memory under ${CALLS} calls with 10 kB replies, then answers every one`, async () => {
    const { child, pid, before } = await startInitializedNotReading();

    let inputDrained = false;
    for (let i = 1; i <= CALLS; i++) send(child, { jsonrpc: "2.0", id: i, method: "tools/call", params: { name: "blob", arguments: { bytes: 10_000 } } });
    child.stdin!.once("drain", () => (inputDrained = true));
    const stalled = await untilServerStopsReading(pid, () => inputDrained);
    const grown = stalled.peak - before;
    console.log(`stalled stdio reader: RSS before ${(before / MiB).toFixed(0)} MiB, peak ${(stalled.peak / MiB).toFixed(0)} MiB`);
    assert.ok(grown < STALLED_CEILING, `RSS grew by ${(grown / MiB).toFixed(0)} MiB while the client did not read`);
    assert.equal(inputDrained, false, "the server should have stopped reading requests");

    // The client reads again: every call is answered, in full.
    const seen = new Set<number>();
    await readLines(child, (m) => {
      assert.equal(m.result?.content?.[0]?.text?.length, 10_000, JSON.stringify(m).slice(0, 200));
      seen.add(m.id);
      return seen.size === CALLS;
    });
    assert.equal(seen.size, CALLS);
  });

  test("holds a flooding handler until the client reads, then finishes it", async () => {
    const { child, pid, before } = await startInitializedNotReading();

    const names = namesOfSize(4_000_000);
    send(child, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "flood", arguments: { names }, _meta: { progressToken: 1 } } });
    // Nothing more is written, so "stopped reading" is not what shows the hold: the
    // output is. Sample until the process has been quiet on stdin for a while.
    const stalled = await untilServerStopsReading(pid, () => false, 20);
    const grown = stalled.peak - before;
    console.log(`stalled stdio flood: RSS before ${(before / MiB).toFixed(0)} MiB, peak ${(stalled.peak / MiB).toFixed(0)} MiB`);
    assert.ok(grown < STALLED_CEILING, `RSS grew by ${(grown / MiB).toFixed(0)} MiB while the flood's client did not read`);

    let progress = 0;
    let result: any;
    await readLines(child, (m) => {
      if (m.method === "notifications/progress") progress++;
      if (m.id === 1) result = m.result;
      return m.id === 1;
    });
    assert.equal(result?.content?.[0]?.text, `flooded ${names.length}`);
    assert.equal(progress, names.length);
  });

  test("exits on SIGTERM while a flooding handler waits for a client that stopped reading", async () => {
    const { child, pid } = await startInitializedNotReading();
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    send(child, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "flood", arguments: { names: namesOfSize(4_000_000) }, _meta: { progressToken: 1 } } });
    await untilServerStopsReading(pid, () => false, 20);
    child.kill("SIGTERM");
    // Before, the shutdown waited for the handler, which waited for the client: for ever.
    // Now the wait for requests in flight is bounded (10 s), then the server closes.
    assert.equal(await exited, 0);
  });

  test("a --max-buffered-bytes below the pipe's high-water mark still lets a flood finish", async () => {
    // 4 KiB is under Node's high-water mark (16 KiB): a write never reports the pipe full,
    // so no 'drain' would come for senders waiting on a 4 KiB limit (the floor is 64 KiB).
    const { child } = await startInitializedNotReading(["--max-buffered-bytes", "4k"]);
    const names = namesOfSize(200_000);
    send(child, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "flood", arguments: { names }, _meta: { progressToken: 1 } } });
    let result: any;
    await readLines(child, (m) => {
      if (m.id === 1) result = m.result;
      return m.id === 1;
    });
    assert.equal(result?.content?.[0]?.text, `flooded ${names.length}`);
  });
});
