/**
 * Flat memory under load. The load runs in child processes started with --expose-gc
 * (this same file, with MCPGEN_HTTP_MEMORY_CHILD set), in-process against
 * `handler.handle`: 100,000 tool calls per mode (stateful SSE, stateful JSON,
 * stateless), including calls cancelled mid-flight, clients that hang up mid-stream,
 * and sessions opened and ended all along. The heap after a forced GC at 100k calls
 * must be within 2 MB of the heap at 1k, and the handler's maps must hold nothing
 * for finished work. A second child opens 5,000 sessions with maxSessions 1,000.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { McpServer, MemoryEventStore, MemorySessionStore, createHttpHandler, type Context, type IncomingHttp } from "../../runtime/src/index.js";

const CHILD = "MCPGEN_HTTP_MEMORY_CHILD";
const V = "2025-11-25";

interface Checkpoint {
  n: number;
  heap: number;
  ms: number;
  sessions: number;
  serverSessions: number;
  /** Stateless sessions answering a POST (the pool's busy ones). */
  transient: number;
  /** Stateless sessions kept idle for the next POST. */
  pooled: number;
  streams: number;
  records: number;
  pending: number;
  inflight: number;
  maxLive?: number;
}

// ---------------------------------------------------------------- the child: load and measure

function incoming(method: string, body: unknown, headers: Record<string, string>): IncomingHttp {
  const text = body === undefined ? "" : JSON.stringify(body);
  const all: Record<string, string> = { host: "localhost", accept: "application/json, text/event-stream", "content-type": "application/json", ...headers };
  return { method, path: "/mcp", header: (n) => all[n], headers: () => all, text: async () => text };
}

async function drain(response: Response, hangUpAfterFirstChunk = false): Promise<void> {
  if (!response.body) return;
  const reader = response.body.getReader();
  for (;;) {
    const { done } = await reader.read();
    if (done) return;
    if (hangUpAfterFirstChunk) {
      await reader.cancel();
      return;
    }
  }
}

const gc = () => (globalThis as { gc?: () => void }).gc!();

async function childLoad(mode: "sse" | "json" | "stateless", marks: number[]): Promise<void> {
  const server = new McpServer({ name: "memory", version: "1.0.0" });
  let onHold: (() => void) | undefined;
  server.tool({
    name: "work",
    handler: async (_a, ctx: Context) => {
      await ctx.progress(1, 1);
      return "done";
    },
  });
  server.tool({
    name: "hold",
    handler: async (_a, ctx: Context) => {
      onHold?.();
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
      return "aborted";
    },
  });
  const eventStore = new MemoryEventStore();
  const sessionStore = new MemorySessionStore();
  const stateful = mode !== "stateless";
  const h = createHttpHandler(server, { sessions: stateful, json: mode === "json", eventStore, sessionStore, keepAliveMs: 0 });
  const live = (h as any).live as Map<string, any>;
  const pool = (h as any).stateless as { busyCount: number; idleCount: number };

  const headersFor = (sid: string | undefined): Record<string, string> => (sid ? { "mcp-session-id": sid, "mcp-protocol-version": V } : { "mcp-protocol-version": V });
  const open = async (): Promise<string> => {
    const r = await h.handle(incoming("POST", { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: V, capabilities: {}, clientInfo: { name: "load", version: "1" } } }, {}));
    const sid = r.headers.get("mcp-session-id")!;
    await drain(r);
    const ack = await h.handle(incoming("POST", { jsonrpc: "2.0", method: "notifications/initialized" }, headersFor(sid)));
    if (ack.status !== 202) throw new Error(`initialized: ${ack.status}`);
    return sid;
  };
  const callOnce = async (sid: string | undefined, id: number, kind: "plain" | "cancel" | "hangup"): Promise<void> => {
    if (kind === "cancel") {
      const started = new Promise<void>((resolve) => (onHold = resolve));
      const pending = h.handle(incoming("POST", { jsonrpc: "2.0", id, method: "tools/call", params: { name: "hold", arguments: {} } }, headersFor(sid)));
      await started;
      const c = await h.handle(incoming("POST", { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: "load" } }, headersFor(sid)));
      if (c.status !== 202) throw new Error(`cancel: ${c.status}`);
      await drain(await pending);
      return;
    }
    const r = await h.handle(incoming("POST", { jsonrpc: "2.0", id, method: "tools/call", params: { name: "work", arguments: {}, _meta: { progressToken: id } } }, headersFor(sid)));
    if (r.status !== 200) throw new Error(`call ${id}: HTTP ${r.status}`);
    await drain(r, kind === "hangup");
  };

  // One long-lived session takes most calls; others are opened, used and ended meanwhile.
  const main = stateful ? await open() : undefined;
  const t0 = performance.now();
  let n = 0;
  for (const mark of marks) {
    for (; n < mark; n++) {
      const kind = stateful && n % 10 === 3 ? "cancel" : mode !== "json" && n % 10 === 6 ? "hangup" : "plain";
      await callOnce(main, n + 1, kind);
      if (stateful && n % 100 === 50) {
        const churn = await open();
        await callOnce(churn, 1, "plain");
        const del = await h.handle(incoming("DELETE", undefined, headersFor(churn)));
        if (del.status !== 200) throw new Error(`DELETE: ${del.status}`);
      }
    }
    // Let hung-up streams and aborted handlers finish, then measure.
    if (main) await live.get(main)?.session.peer.drain();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    gc();
    const m = main ? live.get(main) : undefined;
    const checkpoint: Checkpoint = {
      n,
      heap: process.memoryUsage().heapUsed,
      ms: Math.round(performance.now() - t0),
      sessions: h.sessionCount,
      serverSessions: server.sessions.size,
      transient: pool.busyCount,
      pooled: pool.idleCount,
      streams: eventStore.streamCount,
      records: sessionStore.size,
      pending: m?.transport.pendingCount ?? 0,
      inflight: m?.session.peer.inflightCount ?? 0,
    };
    process.stdout.write(`${JSON.stringify(checkpoint)}\n`);
  }
  await h.close();
}

async function childSessions(total: number, maxSessions: number): Promise<void> {
  const server = new McpServer({ name: "memory", version: "1.0.0" });
  server.tool({ name: "echo", handler: () => "echo" });
  const eventStore = new MemoryEventStore();
  const sessionStore = new MemorySessionStore({ maxRecords: maxSessions });
  const h = createHttpHandler(server, { maxSessions, eventStore, sessionStore, keepAliveMs: 0 });
  const t0 = performance.now();
  let maxLive = 0;
  let heapAtCap = 0;
  for (let i = 0; i < total; i++) {
    const r = await h.handle(incoming("POST", { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: V, capabilities: {}, clientInfo: { name: "s", version: "1" } } }, {}));
    if (r.status !== 200) throw new Error(`session ${i}: HTTP ${r.status}`);
    await drain(r);
    maxLive = Math.max(maxLive, h.sessionCount);
    if (i + 1 === maxSessions * 2) {
      gc();
      heapAtCap = process.memoryUsage().heapUsed;
    }
  }
  gc();
  gc();
  const checkpoint: Checkpoint & { heapAtCap: number } = {
    n: total,
    heap: process.memoryUsage().heapUsed,
    heapAtCap,
    ms: Math.round(performance.now() - t0),
    sessions: h.sessionCount,
    serverSessions: server.sessions.size,
    transient: 0,
    pooled: 0,
    streams: eventStore.streamCount,
    records: sessionStore.size,
    pending: 0,
    inflight: 0,
    maxLive,
  };
  process.stdout.write(`${JSON.stringify(checkpoint)}\n`);
  await h.close();
}

// ---------------------------------------------------------------- the tests: run children, check

function runChild(args: string[]): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(import.meta.url), ...args], {
      env: { ...process.env, [CHILD]: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`the load child exited with ${code}:\n${err}`));
      else resolve(out.trim().split("\n").map((l) => JSON.parse(l)));
    });
  });
}

const MB = 1024 * 1024;
const MARKS = [1000, 20_000, 100_000];

if (process.env[CHILD]) {
  // A watchdog, not a wait: a load that hangs (a leaked exchange never answered) must
  // end the child, so the test fails instead of hanging the suite.
  setTimeout(() => {
    process.stderr.write("the load did not finish within 100 s (a request never answered?)\n");
    process.exit(3);
  }, 100_000).unref();
  const [what, ...rest] = process.argv.slice(2);
  if (what === "sessions") await childSessions(Number(rest[0]), Number(rest[1]));
  else await childLoad(what as "sse" | "json" | "stateless", MARKS);
} else {
  describe("flat memory under load (child processes with --expose-gc)", { timeout: 120_000 }, () => {
    // Started together so they share the machine's cores; each test awaits its own.
    const runs = {
      sse: runChild(["sse"]),
      json: runChild(["json"]),
      stateless: runChild(["stateless"]),
      sessions: runChild(["sessions", "5000", "1000"]),
    };
    for (const p of Object.values(runs)) p.catch(() => undefined); // reported by the tests below

    for (const mode of ["sse", "json", "stateless"] as const) {
      test(`${mode}: 100k calls (cancels, hang-ups, session churn) → heap within 2 MB of 1k, maps empty`, async () => {
        const checkpoints = (await runs[mode]) as Checkpoint[];
        assert.deepEqual(checkpoints.map((c) => c.n), MARKS);
        const [first, , last] = checkpoints as [Checkpoint, Checkpoint, Checkpoint];
        const growth = last.heap - first.heap;
        assert.ok(growth < 2 * MB, `heap grew ${(growth / MB).toFixed(2)} MB from 1k to 100k calls: ${JSON.stringify(checkpoints)}`);
        for (const c of checkpoints) {
          assert.equal(c.pending, 0, `no exchange left behind at ${c.n}`);
          assert.equal(c.inflight, 0, `no handler left running at ${c.n}`);
          assert.equal(c.transient, 0, `no stateless session left at ${c.n}`);
          if (mode === "stateless") {
            assert.equal(c.sessions, 0);
            // Answered POSTs leave their sessions idle for reuse, bounded, and nothing else.
            assert.ok(c.pooled <= 64, `at most 64 idle stateless sessions, got ${c.pooled}`);
            assert.equal(c.serverSessions, c.pooled, "every stateless session is either idle in the pool or closed");
            assert.equal(c.streams, 0, "stateless sessions store no events");
          } else {
            assert.equal(c.sessions, 1, "only the long-lived session; churned ones were ended");
            assert.equal(c.serverSessions, 1);
            assert.equal(c.records, 1, "DELETE forgets the session's record");
            assert.ok(c.streams <= 64, `at most 64 streams kept for the session, got ${c.streams}`);
          }
        }
        process.stdout.write(`# ${mode}: ${JSON.stringify(checkpoints.map((c) => ({ n: c.n, heapMB: +(c.heap / MB).toFixed(2), ms: c.ms })))}\n`);
      });
    }

    test("5,000 sessions with maxSessions 1,000: live sessions, records and event streams stay ≤ 1,000", async () => {
      const [c] = (await runs.sessions) as (Checkpoint & { heapAtCap: number })[];
      assert.equal(c!.maxLive, 1000);
      assert.equal(c!.sessions, 1000);
      assert.equal(c!.serverSessions, 1000, "evicted sessions were closed");
      assert.ok(c!.records <= 1000, `records ${c!.records}`);
      assert.ok(c!.streams <= 1000, `event streams ${c!.streams}`);
      const growth = c!.heap - c!.heapAtCap;
      assert.ok(growth < 2 * MB, `heap grew ${(growth / MB).toFixed(2)} MB from 2,000 to 5,000 sessions (cap 1,000)`);
      process.stdout.write(`# sessions: ${JSON.stringify({ heapMB: +(c!.heap / MB).toFixed(2), ms: c!.ms })}\n`);
    });
  });
}
