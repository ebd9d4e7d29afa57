// The flood scenario of issue 16: one session calls `flood` (a log and a progress
// notification per name, in a tight loop) with a ~4 MB list of names and reads its
// stream, while another session pings. Reports the pings' p50/p99 without and during
// the flood, and the server's RSS before and at its peak (from /proc, Linux).
//
//   node bench/flood.mjs [--pings N] [--names-bytes N] [--stalled]
//
// --stalled: the flooding client never reads its stream (the server must hold the
// handler back). The server is test/fixtures/runtime/flood.ts over Streamable HTTP.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const V = "2025-11-25";

function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)[1]) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

class Session {
  constructor(url) {
    this.url = url;
    this.id = "";
  }
  post(body) {
    const headers = { accept: "application/json, text/event-stream", "content-type": "application/json", "mcp-protocol-version": V };
    if (this.id) headers["mcp-session-id"] = this.id;
    // A ping stuck behind a frozen server is what is measured: give it time.
    return fetch(this.url, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(120_000) });
  }
  async open() {
    const r = await this.post({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: V, capabilities: {}, clientInfo: { name: "flood-bench", version: "1" } } });
    this.id = r.headers.get("mcp-session-id");
    await r.text();
    await (await this.post({ jsonrpc: "2.0", method: "notifications/initialized" })).text();
    return this;
  }
  async pings(count, firstId, until = () => false) {
    const out = [];
    for (let i = 0; i < count && !until(); i++) {
      const t0 = performance.now();
      const text = await (await this.post({ jsonrpc: "2.0", id: firstId + i, method: "ping" })).text();
      out.push(performance.now() - t0);
      if (!text.includes('"result":{}')) throw new Error(`ping failed: ${text.slice(0, 200)}`);
    }
    return out;
  }
}

function names(bytes) {
  const out = [];
  for (let size = 0, i = 0; size < bytes; i++) {
    const n = `name-${String(i).padStart(7, "0")}`;
    out.push(n);
    size += n.length + 3;
  }
  return out;
}

/** Runs the scenario once against a fresh server; resolves with the figures. */
export async function runFlood({ pings = 400, namesBytes = 4_000_000, stalled = false } = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/runtime/flood.ts", "--http", "0"], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  const closed = new Promise((resolve) => child.once("close", resolve));
  try {
    let stderr = "";
    child.stderr.setEncoding("utf8");
    const url = await new Promise((resolve, reject) => {
      child.stderr.on("data", (s) => {
        stderr += s;
        const m = /listening on (\S+)/.exec(stderr);
        if (m) resolve(m[1]);
      });
      child.once("close", (code) => reject(new Error(`the flood server exited (${code}): ${stderr}`)));
    });
    const flooder = await new Session(url).open();
    const other = await new Session(url).open();
    await other.pings(20, 1_000);
    const quiet = await other.pings(pings, 10_000);
    const before = memoryOf(child.pid);

    const t0 = performance.now();
    const flood = await flooder.post({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "flood", arguments: { names: names(namesBytes) }, _meta: { progressToken: "p" } } });
    let floodBytes = 0;
    let floodMs;
    const reader = flood.body.getReader();
    if (!stalled) {
      void (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          floodBytes += value.length;
        }
        floodMs = performance.now() - t0;
      })().catch(() => undefined);
    }
    // Ping while the flood runs (a flood that froze the server makes each ping wait for all of it).
    const during = await other.pings(pings, 100_000, () => floodMs !== undefined);
    const peak = memoryOf(child.pid).peak;
    return {
      stalled,
      namesBytes,
      ping: {
        quiet: { p50: percentile(quiet, 50), p99: percentile(quiet, 99) },
        flood: { count: during.length, p50: percentile(during, 50), p99: percentile(during, 99), max: Math.max(...during) },
      },
      rss: { before: before.rss, peak },
      floodReadBytes: floodBytes,
      floodFinishedDuringPings: floodMs !== undefined,
    };
  } finally {
    child.kill("SIGKILL");
    await closed;
  }
}

export function formatFlood(r) {
  const mib = (b) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
  const ms = (x) => `${x.toFixed(1)} ms`;
  return [
    `flood (${r.stalled ? "client not reading" : "client reading"}, ${(r.namesBytes / 1e6).toFixed(1)} MB of names):`,
    `  ping from another session: p50 ${ms(r.ping.flood.p50)}, p99 ${ms(r.ping.flood.p99)}, max ${ms(r.ping.flood.max)} over ${r.ping.flood.count} pings (without the flood: p50 ${ms(r.ping.quiet.p50)}, p99 ${ms(r.ping.quiet.p99)})`,
    `  server RSS: ${mib(r.rss.before)} before, ${mib(r.rss.peak)} peak${r.stalled ? "" : `; ${mib(r.floodReadBytes)} of notifications read`}${r.floodFinishedDuringPings ? " (the flood ended before the pings did)" : ""}`,
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const value = (name, dflt) => {
    const i = argv.indexOf(name);
    return i < 0 ? dflt : Number(argv[i + 1]);
  };
  const result = await runFlood({ pings: value("--pings", 400), namesBytes: value("--names-bytes", 4_000_000), stalled: argv.includes("--stalled") });
  process.stdout.write(`${formatFlood(result)}\n`);
  if (argv.includes("--json")) process.stdout.write(`${JSON.stringify(result)}\n`);
}
