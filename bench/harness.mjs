// The benchmark harness: drives any MCP server over stdio or Streamable HTTP and
// measures it from outside. Node built-ins only.
//
// As a library: driveStdio, driveHttp, coldStart (used by bench/run.mjs).
// As a command, against any server:
//   node bench/harness.mjs stdio [-n N | -d MS] [-k K] -- node server.js
//   node bench/harness.mjs http  [-n N | -d MS] [-c C] [-s S] [-p PROTOCOL_VERSION] [--stateless] -- node server.js --http 0
//   node bench/harness.mjs cold  [-r RUNS] -- node server.js
// An HTTP server must print its URL (http://127.0.0.1:PORT/...) on stderr once listening.
// The tools called are those of bench/servers/*: echo, add, create_order.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { performance } from "node:perf_hooks";

export const PROTOCOL_VERSION = "2025-11-25";
/** Linux reports /proc CPU times in clock ticks; CLK_TCK is 100 on every common build. */
const CLK_TCK = 100;

// ---- the calls ----------------------------------------------------------------------------

const LONG_MESSAGE = "The quick brown fox jumps over the lazy dog. ".repeat(5).trim();

/** What the harness calls, in rotation, and the structured result each must produce. */
export const CALLS = [
  { name: "echo", arguments: { message: "hello world" }, expect: { message: "hello world" } },
  { name: "add", arguments: { a: 2, b: 40 }, expect: { sum: 42 } },
  {
    name: "create_order",
    arguments: {
      customer: { name: "ada", email: "ada@example.com" },
      items: [
        { sku: "A-1", quantity: 2 },
        { sku: "B-7", quantity: 1 },
      ],
      note: "leave at the door",
    },
    expect: { orderId: "order-ada", itemCount: 3 },
  },
  { name: "echo", arguments: { message: LONG_MESSAGE }, expect: { message: LONG_MESSAGE } },
].map((c) => ({ ...c, params: JSON.stringify({ name: c.name, arguments: c.arguments }), expectText: JSON.stringify(c.expect) }));

const callText = (id, call) => `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":${call.params}}`;

const initializeText = (id) =>
  JSON.stringify({
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "mcpgen-bench", version: "1.0.0" } },
  });

const INITIALIZED = '{"jsonrpc":"2.0","method":"notifications/initialized"}';

/** Why a tools/call reply is wrong, or undefined when it is the expected result. */
export function checkReply(msg, call) {
  if (msg.error) return `error ${msg.error.code}: ${msg.error.message}`;
  const r = msg.result;
  if (!r || typeof r !== "object") return "no result";
  if (r.isError) return `isError: ${r.content?.[0]?.text}`;
  if (r.content?.[0]?.type !== "text" || r.content[0].text !== call.expectText) return `unexpected content ${JSON.stringify(r.content)}`;
  if (JSON.stringify(r.structuredContent) !== call.expectText) return `unexpected structuredContent ${JSON.stringify(r.structuredContent)}`;
  return undefined;
}

// ---- /proc ------------------------------------------------------------------------------

/** User + system CPU time of a process so far, in ms (/proc/PID/stat, fields 14 and 15). */
export function cpuMs(pid) {
  const t = cpuTimes(pid);
  return t.user + t.system;
}

/** User and system CPU time of a process so far, in ms. */
export function cpuTimes(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { user: (Number(f[11]) * 1000) / CLK_TCK, system: (Number(f[12]) * 1000) / CLK_TCK };
  } catch {
    return { user: NaN, system: NaN };
  }
}

/** Resident memory now and at its peak (VmRSS, VmHWM), in kB. */
export function memoryKb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "latin1");
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
    return { rss: kb("VmRSS"), peak: kb("VmHWM") };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

// ---- statistics ---------------------------------------------------------------------------

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/**
 * Counts replies and latencies in the measured window. Ids are sequential integers,
 * so their state lives in a growable byte array: 1 sent, 2 answered.
 */
class Tally {
  constructor() {
    this.state = new Uint8Array(1 << 16);
    this.sentAt = new Float64Array(1 << 16);
    this.callOf = new Uint8Array(1 << 16);
    this.latencies = [];
    this.completed = 0;
    this.lost = 0;
    this.duplicates = 0;
    this.errors = 0;
    this.firstError = undefined;
    this.outstanding = 0;
    this.measuring = false;
  }
  sent(id, callIndex, now) {
    if (id >= this.state.length) this.grow(id);
    this.state[id] = 1;
    this.sentAt[id] = now;
    this.callOf[id] = callIndex;
    this.outstanding++;
  }
  grow(id) {
    let n = this.state.length;
    while (n <= id) n *= 2;
    const state = new Uint8Array(n);
    state.set(this.state);
    const sentAt = new Float64Array(n);
    sentAt.set(this.sentAt);
    const callOf = new Uint8Array(n);
    callOf.set(this.callOf);
    this.state = state;
    this.sentAt = sentAt;
    this.callOf = callOf;
  }
  /** One reply; returns false for a duplicate or unknown id. */
  answered(msg, now) {
    const id = msg.id;
    if (typeof id !== "number" || id >= this.state.length || this.state[id] === 0) {
      this.error(`reply to unknown id ${JSON.stringify(id)}`);
      return false;
    }
    if (this.state[id] === 2) {
      this.duplicates++;
      return false;
    }
    this.state[id] = 2;
    this.outstanding--;
    const problem = checkReply(msg, CALLS[this.callOf[id]]);
    if (problem) this.error(problem);
    if (this.measuring) {
      this.completed++;
      this.latencies.push(now - this.sentAt[id]);
    }
    return true;
  }
  error(problem) {
    this.errors++;
    this.firstError ??= problem;
  }
  summary() {
    const sorted = Float64Array.from(this.latencies).sort();
    return {
      completed: this.completed,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      lost: this.lost,
      duplicates: this.duplicates,
      errors: this.errors,
      firstError: this.firstError,
    };
  }
}

// ---- processes ----------------------------------------------------------------------------

function startProcess(command, args, options = {}) {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (s) => {
    stderr += s;
    if (stderr.length > 20000) stderr = stderr.slice(-10000);
  });
  child.stdin.on("error", () => {});
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Splits a byte stream into lines and hands each to `onLine`. */
function lineSplitter(onLine) {
  let rest = "";
  return (chunk) => {
    const text = rest + chunk;
    let start = 0;
    let nl = text.indexOf("\n");
    while (nl !== -1) {
      if (nl > start) onLine(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    rest = start < text.length ? text.slice(start) : "";
  };
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The run plan shared by both transports: warm up, then measure for `durationMs` (or
 * `count` replies), stop sending and wait for what is still in flight.
 * `samples` records the server's RSS every `sampleEvery` replies (for soak runs).
 */
function planOf(o) {
  return {
    warmupMs: o.warmupMs ?? 500,
    durationMs: o.durationMs,
    count: o.count,
    sampleEvery: o.sampleEvery,
    drainMs: o.drainMs ?? 10_000,
  };
}

// ---- stdio --------------------------------------------------------------------------------

/**
 * Spawns a stdio server, initializes it, then keeps `inflight` tools/call requests
 * outstanding for the run.
 */
export async function driveStdio(o) {
  const plan = planOf(o);
  const inflight = o.inflight ?? 1;
  const proc = startProcess(o.command, o.args ?? [], o);
  const { child } = proc;
  const pid = child.pid;
  const tally = new Tally();
  let initialized;
  const initReply = new Promise((resolve) => (initialized = resolve));
  let onReplies = () => {};
  let batch = 0;
  child.stdout.setEncoding("utf8");
  child.stdout.on(
    "data",
    lineSplitter((line) => {
      let msg;
      try {
        msg = JSON.parse(line);
      } catch {
        tally.error(`not JSON: ${line.slice(0, 200)}`);
        return;
      }
      if (msg.id === "init") return initialized(msg);
      if (msg.id === undefined) return; // a notification
      if (tally.answered(msg, performance.now())) batch++;
    }),
  );
  // Refill after each chunk of replies, in one write: the client stays cheap.
  child.stdout.on("data", () => {
    if (batch > 0) {
      const n = batch;
      batch = 0;
      onReplies(n);
    }
  });
  const died = proc.exited.then(({ code, signal }) => {
    throw new Error(`server exited (${code ?? signal}) during the run\n${proc.stderr().slice(-2000)}`);
  });
  died.catch(() => {});
  try {
    child.stdin.write(initializeText("init") + "\n");
    const init = await Promise.race([withTimeout(initReply, 20_000, "initialize"), died]);
    if (!init.result) throw new Error(`initialize failed: ${JSON.stringify(init)}`);
    child.stdin.write(INITIALIZED + "\n");

    let nextId = 1;
    const send = (n) => {
      let text = "";
      const now = performance.now();
      for (let i = 0; i < n; i++) {
        const id = nextId++;
        const c = id % CALLS.length;
        tally.sent(id, c, now);
        text += callText(id, CALLS[c]) + "\n";
      }
      child.stdin.write(text);
    };
    const result = await runPlan(plan, tally, pid, {
      start: () => send(inflight),
      setRefill: (refill) => (onReplies = refill),
      send,
      died,
    });
    return { ...result, pid };
  } finally {
    await proc.stop();
  }
}

/**
 * Runs the warm-up and measured phases. `io.send(n, lane)` sends n more requests (on
 * that lane: an HTTP connection); `io.setRefill(fn)` registers what runs after n
 * replies arrive, `fn(n, lane)`.
 */
async function runPlan(plan, tally, pid, io) {
  let phase = "warmup";
  let t0 = 0;
  let cpu0 = { user: 0, system: 0 };
  let t1 = 0;
  let stopAt = Infinity;
  const samples = [];
  let nextSample = plan.sampleEvery ?? Infinity;
  let finished;
  const done = new Promise((resolve) => (finished = resolve));
  const begin = () => {
    phase = "measure";
    tally.measuring = true;
    t0 = performance.now();
    cpu0 = cpuTimes(pid);
    if (plan.durationMs !== undefined) stopAt = t0 + plan.durationMs;
    if (plan.sampleEvery) samples.push({ requests: 0, rssKb: memoryKb(pid).rss });
  };
  const warmupEnd = performance.now() + plan.warmupMs;
  io.setRefill((n, lane) => {
    const now = performance.now();
    if (phase === "warmup" && now >= warmupEnd) begin();
    if (phase === "measure") {
      if (tally.completed >= nextSample) {
        samples.push({ requests: tally.completed, rssKb: memoryKb(pid).rss });
        nextSample += plan.sampleEvery;
      }
      if (now >= stopAt || (plan.count !== undefined && tally.completed + tally.outstanding >= plan.count)) {
        phase = "drain";
      }
    }
    if (phase === "drain") {
      if (tally.outstanding === 0) {
        t1 = now;
        finished();
      }
      return;
    }
    io.send(n, lane);
  });
  if (plan.warmupMs <= 0) begin();
  io.start();
  await Promise.race([
    done,
    io.died,
    (async () => {
      // Wait for the plan to reach its drain phase, then bound the drain.
      while (phase !== "drain") await delay(50);
      await delay(plan.drainMs);
    })(),
  ]);
  if (t1 === 0) {
    t1 = performance.now();
    tally.lost = tally.outstanding;
  }
  const cpu1 = cpuTimes(pid);
  const user = cpu1.user - cpu0.user;
  const system = cpu1.system - cpu0.system;
  const mem = memoryKb(pid);
  const s = tally.summary();
  const seconds = (t1 - t0) / 1000;
  return {
    ...s,
    seconds,
    throughput: s.completed / seconds,
    cpuUsPerRequest: ((user + system) * 1000) / s.completed,
    userUsPerRequest: (user * 1000) / s.completed,
    systemUsPerRequest: (system * 1000) / s.completed,
    rssKb: mem.rss,
    peakRssKb: mem.peak,
    samples,
  };
}

// ---- Streamable HTTP ----------------------------------------------------------------------

/**
 * A keep-alive HTTP/1.1 connection with a minimal response parser (Content-Length or
 * chunked bodies): far cheaper per request than node:http's client, so the client
 * takes as little of the machine as it can.
 */
class HttpConnection {
  constructor(port) {
    this.port = port;
    this.pending = undefined;
    this.open();
  }
  open() {
    this.buf = undefined;
    this.head = undefined;
    this.socket = connect(this.port, "127.0.0.1");
    this.socket.setNoDelay(true);
    this.socket.on("data", (chunk) => this.onData(chunk));
    this.socket.on("error", (error) => this.fail(error));
    this.socket.on("close", () => {
      this.closed = true;
      this.fail(new Error("connection closed"));
    });
    this.closed = false;
  }
  request(body, headers) {
    if (this.closed) this.open();
    let head = `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
    for (const k in headers) head += `${k}: ${headers[k]}\r\n`;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(head + "\r\n" + body);
    });
  }
  fail(error) {
    const p = this.pending;
    this.pending = undefined;
    p?.reject(error);
  }
  close() {
    this.pending = undefined;
    this.socket.removeAllListeners("close");
    this.socket.on("close", () => {});
    this.socket.destroy();
  }
  onData(chunk) {
    this.buf = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      const r = this.parse();
      if (!r) return;
      const p = this.pending;
      this.pending = undefined;
      if (r.headers.connection === "close") {
        this.socket.removeAllListeners("close");
        this.socket.destroy();
        this.closed = true;
      }
      p?.resolve(r);
      if (!this.buf || this.buf.length === 0) return;
    }
  }
  parse() {
    if (!this.head) {
      const end = this.buf.indexOf("\r\n\r\n");
      if (end < 0) return undefined;
      const lines = this.buf.toString("latin1", 0, end).split("\r\n");
      const headers = {};
      for (let i = 1; i < lines.length; i++) {
        const c = lines[i].indexOf(":");
        headers[lines[i].slice(0, c).toLowerCase()] = lines[i].slice(c + 1).trim();
      }
      this.head = { status: Number(lines[0].split(" ")[1]), headers, parts: [] };
      this.buf = this.buf.subarray(end + 4);
    }
    const h = this.head;
    if (h.headers["transfer-encoding"] === "chunked") {
      for (;;) {
        const nl = this.buf.indexOf("\r\n");
        if (nl < 0) return undefined;
        const size = parseInt(this.buf.toString("latin1", 0, nl), 16);
        if (size === 0) {
          if (this.buf.length < nl + 4) return undefined;
          this.buf = this.buf.subarray(nl + 4);
          break;
        }
        if (this.buf.length < nl + 2 + size + 2) return undefined;
        h.parts.push(this.buf.subarray(nl + 2, nl + 2 + size));
        this.buf = this.buf.subarray(nl + 2 + size + 2);
      }
    } else {
      const length = Number(h.headers["content-length"] ?? 0);
      if (this.buf.length < length) return undefined;
      h.parts.push(this.buf.subarray(0, length));
      this.buf = this.buf.subarray(length);
    }
    this.head = undefined;
    return { status: h.status, headers: h.headers, body: Buffer.concat(h.parts).toString("utf8") };
  }
}

/** The JSON-RPC messages of a response: a JSON body, or the data of each SSE event. */
export function messagesOf(response) {
  const type = response.headers["content-type"] ?? "";
  if (response.body === "") return [];
  if (type.startsWith("application/json")) {
    const v = JSON.parse(response.body);
    return Array.isArray(v) ? v : [v];
  }
  if (type.startsWith("text/event-stream")) {
    const out = [];
    for (const event of response.body.split(/\r?\n\r?\n/)) {
      let data = "";
      for (const line of event.split(/\r?\n/)) {
        if (line.startsWith("data:")) data += (data ? "\n" : "") + line.slice(line[5] === " " ? 6 : 5);
      }
      if (data.trim() !== "") out.push(JSON.parse(data));
    }
    return out;
  }
  throw new Error(`unexpected content-type '${type}' (status ${response.status}): ${response.body.slice(0, 200)}`);
}

/** Waits for an HTTP server's URL on its stderr. */
async function portOf(proc) {
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline) {
    const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(proc.stderr());
    if (m) return Number(m[1]);
    if (proc.child.exitCode !== null) break;
    await delay(10);
  }
  throw new Error(`the server did not print its URL\n${proc.stderr().slice(-2000)}`);
}

/**
 * Spawns a Streamable HTTP server and keeps `concurrency` requests in flight over as
 * many keep-alive connections, spread over `sessions` sessions (stateful) or none
 * (stateless). Replies may be JSON or SSE, whichever the server sends.
 */
export async function driveHttp(o) {
  const plan = planOf(o);
  const concurrency = o.concurrency ?? 16;
  const proc = startProcess(o.command, o.args ?? [], o);
  const pid = proc.child.pid;
  const tally = new Tally();
  const conns = [];
  const died = proc.exited.then(({ code, signal }) => {
    throw new Error(`server exited (${code ?? signal}) during the run\n${proc.stderr().slice(-2000)}`);
  });
  died.catch(() => {});
  try {
    const port = await Promise.race([portOf(proc), died]);
    // A stateless client cannot negotiate, so it sends the version it was told the server
    // speaks (`o.protocolVersion`: mcp-lite 0.10 stops at 2025-06-18); a stateful one sends
    // whatever initialize settled on, as a client must.
    const base = { "Mcp-Protocol-Version": o.protocolVersion ?? PROTOCOL_VERSION };
    const sessionHeaders = [];
    if (o.stateful) {
      const setup = new HttpConnection(port);
      conns.push(setup);
      for (let s = 0; s < (o.sessions ?? 1); s++) {
        const init = await withTimeout(setup.request(initializeText("init"), {}), 20_000, "initialize");
        const id = init.headers["mcp-session-id"];
        const [reply] = messagesOf(init);
        if (init.status !== 200 || !reply?.result || !id) throw new Error(`initialize failed (${init.status}): ${init.body.slice(0, 300)}`);
        const headers = { ...base, "Mcp-Protocol-Version": reply.result.protocolVersion ?? base["Mcp-Protocol-Version"], "Mcp-Session-Id": id };
        const ack = await setup.request(INITIALIZED, headers);
        if (ack.status !== 202) throw new Error(`notifications/initialized got ${ack.status}`);
        sessionHeaders.push(headers);
      }
    } else {
      sessionHeaders.push(base);
    }

    let nextId = 1;
    let refill = () => {};
    const one = (lane) => {
      const { conn, headers } = lane;
      const id = nextId++;
      const c = id % CALLS.length;
      tally.sent(id, c, performance.now());
      conn.request(callText(id, CALLS[c]), headers).then(
        (response) => {
          const now = performance.now();
          let msgs;
          try {
            msgs = messagesOf(response);
          } catch (error) {
            tally.error(error.message);
            msgs = [];
          }
          const replies = msgs.filter((m) => m.id !== undefined && m.method === undefined);
          if (response.status !== 200 || replies.length === 0) {
            tally.error(`status ${response.status}: ${response.body.slice(0, 200)}`);
            // Counted as answered (wrongly), so the run goes on.
            replies.push({ jsonrpc: "2.0", id, error: { code: 0, message: "no reply" } });
          }
          for (const m of replies) tally.answered(m, now);
          refill(1, lane);
        },
        (error) => {
          tally.error(error.message);
          tally.answered({ id, error: { code: 0, message: error.message } }, performance.now());
          refill(1, lane);
        },
      );
    };
    const lanes = [];
    for (let i = 0; i < concurrency; i++) {
      const conn = new HttpConnection(port);
      conns.push(conn);
      lanes.push({ conn, headers: sessionHeaders[i % sessionHeaders.length] });
    }
    const result = await runPlan(plan, tally, pid, {
      start: () => lanes.forEach(one),
      setRefill: (fn) => (refill = fn),
      send: (_n, lane) => one(lane),
      died,
    });
    return { ...result, pid };
  } finally {
    for (const c of conns) c.close();
    await proc.stop();
  }
}

// ---- cold start -------------------------------------------------------------------------

/**
 * Milliseconds from spawn to the initialize reply on stdout (the request is written
 * at once; the pipe holds it until the server reads). Median of `runs`.
 */
export async function coldStart(o) {
  const times = [];
  for (let i = 0; i < (o.runs ?? 5); i++) {
    const t0 = performance.now();
    const proc = startProcess(o.command, o.args ?? [], o);
    let got;
    const reply = new Promise((resolve) => (got = resolve));
    proc.child.stdout.setEncoding("utf8");
    proc.child.stdout.on(
      "data",
      lineSplitter((line) => {
        if (line.includes('"init"')) got(performance.now());
      }),
    );
    proc.child.stdin.write(initializeText("init") + "\n");
    try {
      const t1 = await Promise.race([
        withTimeout(reply, 20_000, "initialize"),
        proc.exited.then(() => {
          throw new Error(`server exited before answering initialize\n${proc.stderr().slice(-2000)}`);
        }),
      ]);
      times.push(t1 - t0);
    } finally {
      await proc.stop();
    }
  }
  return { ms: median(times), times };
}

/** Milliseconds from spawn to exit of `node -e ""`: a bare Node process start. */
export async function nodeStart(runs = 5) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    await new Promise((resolve) => child.once("exit", resolve));
    times.push(performance.now() - t0);
  }
  return { ms: median(times), times };
}

// ---- command line ---------------------------------------------------------------------------

async function cli(argv) {
  const dash = argv.indexOf("--");
  if (dash < 0 || dash === argv.length - 1) {
    process.stderr.write("usage: node bench/harness.mjs stdio|http|cold [options] -- command [args...]\n");
    process.exit(2);
  }
  const [mode, ...opts] = argv.slice(0, dash);
  const [command, ...args] = argv.slice(dash + 1);
  const num = (flag, dflt) => {
    const i = opts.indexOf(flag);
    return i < 0 ? dflt : Number(opts[i + 1]);
  };
  const count = num("-n", undefined);
  const durationMs = count === undefined ? num("-d", 3000) : undefined;
  let result;
  if (mode === "stdio") result = await driveStdio({ command, args, inflight: num("-k", 1), count, durationMs, warmupMs: num("-w", 500) });
  else if (mode === "http")
    result = await driveHttp({ command, args, stateful: !opts.includes("--stateless"), protocolVersion: opts.includes("-p") ? opts[opts.indexOf("-p") + 1] : undefined, sessions: num("-s", 1), concurrency: num("-c", 16), count, durationMs, warmupMs: num("-w", 500) });
  else if (mode === "cold") result = await coldStart({ command, args, runs: num("-r", 5) });
  else throw new Error(`unknown mode ${mode}`);
  process.stdout.write(JSON.stringify(result, (k, v) => (k === "samples" && v.length === 0 ? undefined : v), 2) + "\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  cli(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
