// `npm run bench`: the mcpgen-generated server, a bare Node loop and the peers users also
// consider (the official SDK v1 and v2, tmcp, fastmcp, mcp-lite), side by side in one run,
// alternating in rounds; prints medians, ratios and targets.
//
//   node bench/run.mjs [--quick] [--rounds N] [--duration MS] [--soak-requests N] [--no-soak] [--no-generator] [--no-install] [--no-flood] [--no-scale-out] [--out FILE]
//   node bench/run.mjs --install-only      the production install sizes alone
//
// The flood scenario (bench/flood.mjs: ping p99 from another session and RSS while one
// session floods notifications) runs after the modes unless --no-flood (or --quick).
// The scale-out bench (bench/scale-out.ts: Redis sessions, three nodes behind nginx) runs last unless --no-scale-out.
// --quick is the smoke run (test/bench.test.ts): a few hundred requests per server and
// mode, checked for correctness only. Results also go to bench/results/latest.{json,md}
// (quick.{json,md} for --quick), or to --out FILE.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { formatFlood, runFlood } from "./flood.mjs";
import { coldStart, driveHttp, driveStdio, median, nodeStart } from "./harness.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const benchDir = join(root, "bench");
const servers = join(benchDir, "servers");
const results = join(benchDir, "results");

// ---- options ------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name, dflt) => {
  const i = argv.indexOf(name);
  return i < 0 ? dflt : Number(argv[i + 1]);
};
const quick = flag("--quick");
const opts = {
  quick,
  rounds: value("--rounds", quick ? 1 : 5),
  durationMs: value("--duration", 1500),
  warmupMs: quick ? 0 : 500,
  quickCount: 200,
  coldRuns: quick ? 1 : 5,
  soak: !quick && !flag("--no-soak"),
  soakRequests: value("--soak-requests", 200_000),
  generator: !quick && !flag("--no-generator"),
  install: !quick && !flag("--no-install"),
  flood: !quick && !flag("--no-flood"),
  scaleOut: !quick && !flag("--no-scale-out"),
};
const outIndex = argv.indexOf("--out");
const outFile = outIndex < 0 ? undefined : argv[outIndex + 1];

const log = (s = "") => process.stderr.write(`${s}\n`);
const node = process.execPath;

// ---- the implementations ------------------------------------------------------------------

/**
 * Every server, with the command for each mode it can do. A mode a peer cannot do has no
 * command and a reason in `cannot` (shown under the tables); `notes` say how a mode differs
 * for that peer. `protocolVersion`: what a stateless client sends to a peer that does not
 * speak the harness's newest revision.
 */
const peer = (dir, file = "server.mjs") => join(servers, dir, file);
const IMPLS = {
  bare: {
    label: "bare loop",
    stdio: [peer("bare", "stdio.mjs")],
    json: [peer("bare", "http.mjs"), "0"],
    sse: [peer("bare", "http.mjs"), "0", "--sse"],
  },
  mcpgen: {
    label: "mcpgen",
    stdio: [join(servers, "mcpgen", "dist", "server.js")],
    json: [join(servers, "mcpgen", "dist", "server.js"), "--http", "0", "--stateless", "--json"],
    sse: [join(servers, "mcpgen", "dist", "server.js"), "--http", "0"],
  },
  sdk: {
    label: "SDK v1",
    stdio: [peer("sdk")],
    json: [peer("sdk"), "--http", "0", "--stateless", "--json"],
    sse: [peer("sdk"), "--http", "0"],
  },
  sdk2: {
    label: "SDK v2",
    stdio: [peer("sdk2")],
    json: [peer("sdk2"), "--http", "0", "--stateless", "--json"],
    sse: [peer("sdk2"), "--http", "0"],
  },
  tmcp: {
    label: "tmcp",
    stdio: [peer("tmcp")],
    json: [peer("tmcp"), "--http", "0"],
    sse: [peer("tmcp"), "--http", "0"],
    notes: {
      json: "tmcp has no JSON response mode: its stateless replies are SSE, and it opens a session (an Mcp-Session-Id) for every session-less 2025-11-25 POST",
    },
  },
  fastmcp: {
    label: "fastmcp",
    stdio: [peer("fastmcp")],
    json: [peer("fastmcp"), "--http", "0", "--stateless", "--json"],
    sse: [peer("fastmcp"), "--http", "0"],
  },
  "mcp-lite": {
    label: "mcp-lite",
    json: [peer("mcp-lite"), "--http", "0", "--stateless", "--json"],
    sse: [peer("mcp-lite"), "--http", "0"],
    protocolVersion: "2025-06-18",
    cannot: { stdio: "mcp-lite has no stdio transport (HTTP only)" },
    notes: {
      json: "mcp-lite 0.10 speaks revisions up to 2025-06-18, so the stateless client sends that version; it answers in SSE whenever the Accept header lists text/event-stream (as a Streamable HTTP client's must), so its stateless replies are SSE",
      sse: "mcp-lite 0.10 negotiates 2025-06-18 at initialize",
    },
  },
};
const NAMES = Object.keys(IMPLS);
/** The servers compared with mcpgen. */
const PEERS = NAMES.filter((n) => n !== "bare" && n !== "mcpgen");
/** Which command runs `impl` in a mode (stdio1 and stdio32, and cold start, share stdio's). */
const commandOf = (impl, modeKey) => impl[modeKey.startsWith("stdio") || modeKey === "cold" ? "stdio" : modeKey];
const supports = (name, modeKey) => commandOf(IMPLS[name], modeKey) !== undefined;

/** The measured modes. `run(impl)` returns the harness's result. */
const MODES = [
  {
    key: "stdio1",
    label: "stdio, 1 in flight",
    run: (impl) => driveStdio({ command: node, args: impl.stdio, inflight: 1, ...window() }),
    cannotKey: "stdio",
  },
  {
    key: "stdio32",
    label: "stdio, 32 in flight",
    run: (impl) => driveStdio({ command: node, args: impl.stdio, inflight: 32, ...window() }),
    cannotKey: "stdio",
  },
  {
    key: "json",
    label: "HTTP stateless, JSON (16 concurrent)",
    run: (impl) => driveHttp({ command: node, args: impl.json, stateful: false, concurrency: 16, protocolVersion: impl.protocolVersion, ...window() }),
    cannotKey: "json",
  },
  {
    key: "sse",
    label: "HTTP stateful, SSE (4 sessions, 16 concurrent)",
    run: (impl) => driveHttp({ command: node, args: impl.sse, stateful: true, sessions: 4, concurrency: 16, ...window() }),
    cannotKey: "sse",
  },
];

function window() {
  return opts.quick ? { count: opts.quickCount, warmupMs: 0 } : { durationMs: opts.durationMs, warmupMs: opts.warmupMs };
}

// ---- preparation ----------------------------------------------------------------------------

function sh(cmd, args, cwd = root) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Regenerates the mcpgen server (a no-change run when current; not in --quick, which the
 * tests run: they leave tracked files alone) and compiles it to dist/.
 */
function prepare() {
  if (!existsSync(join(root, "runtime", "dist", "index.js")) || !existsSync(join(root, "generator", "dist", "index.js"))) {
    log("building the runtime and generator (npm run build)...");
    sh("npm", ["run", "build"]);
  }
  const dir = join(servers, "mcpgen");
  if (!opts.quick) sh(node, [join(root, "generator", "bin", "mcpgen.js"), "--cwd", dir, "--quiet"]);
  rmSync(join(dir, "dist"), { recursive: true, force: true });
  sh(node, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")]);
}

/**
 * fastmcp has a folder of its own (bench/servers/fastmcp/package.json): its dependency chain
 * (mcp-proxy -> pipenet) declares Node >= 22, which would print EBADENGINE on every install of
 * the repository although a FastMCP server never loads that code. Installed here, on first use,
 * from its lockfile, with npm's warnings kept out of the bench's output.
 */
function installFastmcp() {
  const dir = join(servers, "fastmcp");
  if (existsSync(join(dir, "node_modules", "fastmcp", "package.json"))) return;
  log("installing fastmcp for the bench (bench/servers/fastmcp)...");
  sh("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error", "--workspaces=false"], dir);
}

// ---- measuring ------------------------------------------------------------------------------

/** Runs each mode for each implementation, alternating their order round by round. */
async function measure() {
  const raw = {};
  for (const m of [...MODES.map((m) => m.key), "cold"]) raw[m] = Object.fromEntries(NAMES.map((n) => [n, []]));
  raw.nodeStart = [];
  for (let round = 0; round < opts.rounds; round++) {
    const order = NAMES.map((_, i) => NAMES[(i + round) % NAMES.length]);
    for (const mode of MODES) {
      for (const name of order) {
        if (!supports(name, mode.key)) continue;
        const t0 = performance.now();
        const r = await mode.run(IMPLS[name]);
        raw[mode.key][name].push(r);
        log(
          `round ${round + 1}/${opts.rounds}  ${mode.label.padEnd(46)} ${name.padEnd(8)} ${fmt(r.throughput, 0).padStart(7)} req/s  ` +
            `p50 ${fmt(r.p50Ms, 2)} ms  p99 ${fmt(r.p99Ms, 2)} ms  cpu ${fmt(r.cpuUsPerRequest, 1)} µs/req  peak ${fmt(r.peakRssKb / 1024, 1)} MB` +
            `${r.lost + r.duplicates + r.errors ? `  LOST ${r.lost} DUP ${r.duplicates} ERR ${r.errors} (${r.firstError})` : ""}  [${((performance.now() - t0) / 1000).toFixed(1)} s]`,
        );
      }
    }
    for (const name of order) {
      if (!supports(name, "cold")) continue;
      const r = await coldStart({ command: node, args: IMPLS[name].stdio, runs: opts.coldRuns });
      raw.cold[name].push(r);
      log(`round ${round + 1}/${opts.rounds}  ${"cold start, spawn → initialize reply".padEnd(46)} ${name.padEnd(8)} ${fmt(r.ms, 1)} ms`);
    }
    raw.nodeStart.push(await nodeStart(opts.coldRuns));
  }
  return raw;
}

/** 200k requests through the mcpgen server in each mode, its RSS sampled along the way. */
async function soak() {
  const every = opts.soakRequests / 10;
  const impl = IMPLS.mcpgen;
  const base = { count: opts.soakRequests, warmupMs: 0, sampleEvery: every };
  const out = {};
  const runs = {
    stdio32: () => driveStdio({ command: node, args: impl.stdio, inflight: 32, ...base }),
    json: () => driveHttp({ command: node, args: impl.json, stateful: false, concurrency: 16, ...base }),
    sse: () => driveHttp({ command: node, args: impl.sse, stateful: true, sessions: 4, concurrency: 16, ...base }),
  };
  for (const [key, run] of Object.entries(runs)) {
    const r = await run();
    out[key] = r;
    log(`soak  ${key.padEnd(8)} ${r.completed} requests  RSS ${r.samples.map((s) => fmt(s.rssKb / 1024, 1)).join(" → ")} MB${r.lost + r.duplicates + r.errors ? `  LOST ${r.lost} DUP ${r.duplicates} ERR ${r.errors}` : ""}`);
  }
  return out;
}

// ---- generator speed ------------------------------------------------------------------------

/** Each tool: a 3-property input with a shared $ref type, and an object output. */
function syntheticManifest(n) {
  const tools = {};
  for (let i = 0; i < n; i++) {
    tools[`tool_${i}`] = {
      description: `Tool number ${i}`,
      input: {
        type: "object",
        properties: { id: { type: "string" }, count: { type: "integer", minimum: 0 }, day: { $ref: "#/types/Day" } },
        required: ["id"],
      },
      output: { type: "object", properties: { ok: { type: "boolean" }, day: { $ref: "#/types/Day" } }, required: ["ok"] },
    };
  }
  const types = { Day: { type: "object", properties: { date: { type: "string" }, note: { type: "string" } }, required: ["date"] } };
  // JSON is YAML.
  return JSON.stringify({ version: 1, server: { name: `synthetic-${n}`, version: "1.0.0" }, types, tools }, null, 1);
}

function timeMcpgen(cwd) {
  const t0 = performance.now();
  sh(node, [join(root, "generator", "bin", "mcpgen.js"), "--cwd", cwd, "--quiet"]);
  return performance.now() - t0;
}

function generatorSpeed() {
  mkdirSync(results, { recursive: true });
  const out = [];
  for (const n of [10, 100, 1000]) {
    const fresh = [];
    const again = [];
    const runs = n === 1000 ? 1 : 3;
    for (let i = 0; i < runs; i++) {
      const dir = mkdtempSync(join(results, `gen-${n}-`));
      try {
        writeFileSync(join(dir, "mcp.yaml"), syntheticManifest(n));
        fresh.push(timeMcpgen(dir));
        again.push(timeMcpgen(dir));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    out.push({ tools: n, freshMs: median(fresh), noChangeMs: median(again) });
    log(`generator  ${String(n).padStart(4)} tools  fresh ${fmt(median(fresh), 0)} ms  no change ${fmt(median(again), 0)} ms`);
  }
  return out;
}

// ---- production install ---------------------------------------------------------------------

/** Disk usage in bytes, as `du` counts it (whole blocks: many small files weigh more). */
function diskUsage(dir) {
  const r = spawnSync("du", ["-sk", dir], { encoding: "utf8" });
  return Number(r.stdout.split("\t")[0]) * 1024;
}

/** Installed packages, as `npm ls --all` lists them (nested copies included). */
function packageCount(project) {
  const r = spawnSync("npm", ["ls", "--all", "--parseable", "--omit=dev"], { cwd: project, encoding: "utf8" });
  return r.stdout.split("\n").filter((line) => line.includes("node_modules")).length;
}

function dirSize(dir) {
  let bytes = 0;
  let packages = 0;
  const walk = (d, inNodeModules) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (inNodeModules && !e.name.startsWith(".") && !e.name.startsWith("@")) packages++;
        walk(p, e.name === "node_modules" || (inNodeModules && e.name.startsWith("@")));
      } else if (e.isFile()) bytes += statSync(p).size;
    }
  };
  walk(dir, true);
  return { bytes, packages };
}

/**
 * `npm install --omit=dev` of the generated server's package.json with the packed
 * runtime, and of the official SDK (with zod, which its servers import) for comparison.
 */
function productionInstall() {
  const tmp = mkdtempSync(join(tmpdir(), "mcpgen-bench-install-"));
  const npm = (args, cwd) => sh("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], cwd);
  try {
    const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", tmp], join(root, "runtime")))[0];
    const ours = join(tmp, "mcpgen");
    mkdirSync(ours);
    const pkg = JSON.parse(readFileSync(join(servers, "mcpgen", "package.json"), "utf8"));
    pkg.dependencies["@mcpgen/runtime"] = `file:${join(tmp, packed.filename)}`;
    // What production gets: the dependencies only (the generator and compiler are dev-only).
    delete pkg.devDependencies;
    writeFileSync(join(ours, "package.json"), JSON.stringify(pkg, null, 2));
    npm(["install", "--omit=dev", "--offline"], ours);
    cpSync(join(servers, "mcpgen", "dist"), join(ours, "dist"), { recursive: true });
    const mine = { ...dirSize(join(ours, "node_modules")), packages: packageCount(ours), disk: diskUsage(join(ours, "node_modules")) };
    const app = dirSize(join(ours, "dist"));
    const out = { mcpgen: { packages: mine.packages, bytes: mine.bytes, disk: mine.disk, appBytes: app.bytes } };
    log(`install  mcpgen server: ${mine.packages} package${mine.packages === 1 ? "" : "s"}, ${fmtBytes(mine.bytes)} in node_modules, ${fmtBytes(mine.disk)} on disk (+ ${fmtBytes(app.bytes)} of generated code)`);
    const sdkDir = join(tmp, "sdk");
    mkdirSync(sdkDir);
    const sdkVersion = JSON.parse(readFileSync(join(root, "node_modules", "@modelcontextprotocol", "sdk", "package.json"), "utf8")).version;
    const zodVersion = JSON.parse(readFileSync(join(root, "node_modules", "zod", "package.json"), "utf8")).version;
    writeFileSync(join(sdkDir, "package.json"), JSON.stringify({ name: "sdk-server", version: "1.0.0", private: true, type: "module", dependencies: { "@modelcontextprotocol/sdk": sdkVersion, zod: zodVersion } }));
    try {
      npm(["install", "--omit=dev", "--prefer-offline"], sdkDir);
      const theirs = { ...dirSize(join(sdkDir, "node_modules")), packages: packageCount(sdkDir), disk: diskUsage(join(sdkDir, "node_modules")) };
      out.sdk = { packages: theirs.packages, bytes: theirs.bytes, disk: theirs.disk, version: sdkVersion };
      log(`install  official SDK ${sdkVersion} + zod: ${theirs.packages} packages, ${fmtBytes(theirs.bytes)}, ${fmtBytes(theirs.disk)} on disk`);
    } catch (error) {
      log(`install  official SDK: not measured (${error.message.split("\n")[0]})`);
    }
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---- report ---------------------------------------------------------------------------------

function fmt(x, digits = 1) {
  if (!Number.isFinite(x)) return "–";
  return x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
const fmtBytes = (b) => (b >= 1024 * 1024 ? `${fmt(b / 1024 / 1024, 1)} MB` : `${fmt(b / 1024, 0)} kB`);
const fmtRatio = (x) => (Number.isFinite(x) ? `${fmt(x, 2)}×` : "–");

function summarize(raw) {
  const med = (mode, name, key) => median(raw[mode][name].map((r) => r[key]));
  const s = { modes: {}, cold: {}, unsupported: {}, nodeStartMs: median(raw.nodeStart.map((r) => r.ms)) };
  for (const mode of MODES) {
    s.modes[mode.key] = {};
    for (const name of NAMES) {
      if (!supports(name, mode.key)) {
        (s.unsupported[mode.key] ??= {})[name] = IMPLS[name].cannot?.[mode.cannotKey] ?? "not supported";
        continue;
      }
      const runs = raw[mode.key][name];
      s.modes[mode.key][name] = {
        throughput: med(mode.key, name, "throughput"),
        p50Ms: med(mode.key, name, "p50Ms"),
        p99Ms: med(mode.key, name, "p99Ms"),
        cpuUsPerRequest: med(mode.key, name, "cpuUsPerRequest"),
        peakRssMb: med(mode.key, name, "peakRssKb") / 1024,
        requests: runs.reduce((n, r) => n + r.completed, 0),
        lost: runs.reduce((n, r) => n + r.lost, 0),
        duplicates: runs.reduce((n, r) => n + r.duplicates, 0),
        errors: runs.reduce((n, r) => n + r.errors, 0),
        firstError: runs.find((r) => r.firstError)?.firstError,
      };
    }
  }
  for (const name of NAMES) if (supports(name, "cold")) s.cold[name] = median(raw.cold[name].map((r) => r.ms));
  return s;
}

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const line = (r) => `| ${r.map((v, c) => (c === 0 ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join(" | ")} |`;
  return [line(rows[0]), `|${widths.map((w, c) => (c === 0 ? ` :${"-".repeat(w - 1)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

function report(s, raw, soakResult, gen, install) {
  const out = [];
  const m = s.modes;
  /**
   * A ratio as the median of each round's ratio: the three servers of a round are
   * measured back to back, so a change in the machine's load between rounds cancels out.
   */
  const R = (mode, num, den, key) => {
    const a = raw[mode][num];
    const b = raw[mode][den];
    return median(a.map((x, i) => x[key] / b[i]?.[key]));
  };
  const cell = (mode, name, key, digits, scale = 1) => (supports(name, mode) ? fmt(median(raw[mode][name].map((r) => r[key])) * scale, digits) : "n/a");
  const ratioCell = (mode, num, den, key) => (supports(num, mode) && supports(den, mode) ? fmtRatio(R(mode, num, den, key)) : "n/a");

  // The figures: one column per server.
  const rows = [["", ...NAMES.map((n) => IMPLS[n].label)]];
  for (const mode of MODES) {
    rows.push([`${mode.label}: req/s`, ...NAMES.map((n) => cell(mode.key, n, "throughput", 0))]);
    rows.push(["  p50 / p99 latency, ms", ...NAMES.map((n) => (supports(n, mode.key) ? `${fmt(m[mode.key][n].p50Ms, 2)} / ${fmt(m[mode.key][n].p99Ms, 2)}` : "n/a"))]);
    rows.push(["  server CPU per request, µs", ...NAMES.map((n) => cell(mode.key, n, "cpuUsPerRequest", 1))]);
    rows.push(["  peak RSS, MB", ...NAMES.map((n) => cell(mode.key, n, "peakRssKb", 1, 1 / 1024))]);
  }
  rows.push(["cold start, spawn → initialize reply, ms", ...NAMES.map((n) => cell("cold", n, "ms", 1))]);
  out.push(table(rows));
  out.push("");

  // The ratios, each the median of the rounds' ratios: mcpgen against every server, and
  // every server against the bare loop.
  const ratioRows = (f) => {
    const r = [];
    for (const mode of MODES) {
      r.push([`${mode.label}: req/s`, ...f(mode.key, "throughput")]);
      r.push(["  server CPU per request", ...f(mode.key, "cpuUsPerRequest")]);
      r.push(["  peak RSS", ...f(mode.key, "peakRssKb")]);
    }
    r.push(["cold start", ...f("cold", "ms")]);
    return r;
  };
  const others = NAMES.filter((n) => n !== "mcpgen");
  out.push("mcpgen / each server (req/s above 1× is mcpgen ahead; CPU, RSS and cold start below 1× is mcpgen lighter or faster):");
  out.push("");
  out.push(table([["", ...others.map((n) => `mcpgen / ${IMPLS[n].label}`)], ...ratioRows((mode, key) => others.map((n) => ratioCell(mode, "mcpgen", n, key)))]));
  out.push("");
  const overBare = NAMES.filter((n) => n !== "bare");
  out.push("Each server / the bare loop:");
  out.push("");
  out.push(table([["", ...overBare.map((n) => `${IMPLS[n].label} / bare`)], ...ratioRows((mode, key) => overBare.map((n) => ratioCell(mode, n, "bare", key)))]));
  out.push("");
  out.push(`Bare Node process start (\`node -e ""\`, spawn → exit): ${fmt(s.nodeStartMs, 1)} ms.`);
  for (const mode of MODES) {
    for (const name of NAMES) {
      if (!supports(name, mode.key)) continue;
      const x = m[mode.key][name];
      if (x.lost + x.duplicates + x.errors > 0) out.push(`**${name}, ${mode.label}: ${x.lost} lost, ${x.duplicates} duplicate, ${x.errors} errors** (${x.firstError})`);
    }
  }
  const measured = (n) => MODES.filter((mode) => supports(n, mode.key));
  const totals = NAMES.map((n) => measured(n).reduce((t, mode) => t + m[mode.key][n].requests, 0));
  const bad = NAMES.map((n) => measured(n).reduce((t, mode) => t + m[mode.key][n].lost + m[mode.key][n].duplicates + m[mode.key][n].errors, 0));
  out.push(`Replies checked: ${NAMES.map((n, i) => `${n} ${totals[i].toLocaleString("en-US")}`).join(", ")}; lost + duplicate + wrong: ${NAMES.map((n, i) => `${n} ${bad[i]}`).join(", ")}.`);
  // Facts, not a verdict: where a peer's median req/s ratio puts it ahead of mcpgen.
  const ahead = [];
  for (const mode of MODES) {
    for (const n of PEERS) if (supports(n, mode.key) && R(mode.key, "mcpgen", n, "throughput") < 1) ahead.push(`${IMPLS[n].label} in ${mode.label} (mcpgen / ${IMPLS[n].label} ${fmtRatio(R(mode.key, "mcpgen", n, "throughput"))})`);
  }
  out.push(ahead.length ? `Peers ahead of mcpgen in req/s: ${ahead.join("; ")}.` : "No peer is ahead of mcpgen in req/s in any mode it was measured in.");
  const notDone = MODES.flatMap((mode) => NAMES.filter((n) => !supports(n, mode.key)).map((n) => `${IMPLS[n].label}, ${mode.label}: ${IMPLS[n].cannot?.[mode.cannotKey] ?? "not supported"}`));
  const coldMissing = NAMES.filter((n) => !supports(n, "cold")).map((n) => `${IMPLS[n].label}, cold start: measured on stdio, which it lacks`);
  if (notDone.length + coldMissing.length) out.push(`n/a: ${[...notDone, ...coldMissing].join("; ")}.`);
  const notes = NAMES.flatMap((n) => Object.entries(IMPLS[n].notes ?? {}).map(([mode, note]) => `${IMPLS[n].label}, ${MODES.find((x) => x.key === mode)?.label ?? mode}: ${note}`));
  if (notes.length) out.push(`Notes: ${notes.join("; ")}.`);

  // Targets.
  const t = [];
  const target = (what, value, shown, goal, ok, official) => t.push([what, shown, goal, ok ? "met" : "**not met**", official ?? "—"]);
  const r32 = R("stdio32", "mcpgen", "bare", "throughput");
  target("stdio throughput, 32 in flight", r32, fmtRatio(r32) + " bare", "≥ 0.6× bare", r32 >= 0.6, fmtRatio(R("stdio32", "sdk", "bare", "throughput")));
  const cpu = R("stdio32", "mcpgen", "bare", "cpuUsPerRequest");
  target("stdio server CPU per call (32 in flight)", cpu, fmtRatio(cpu) + " bare", "≤ 2× bare", cpu <= 2, fmtRatio(R("stdio32", "sdk", "bare", "cpuUsPerRequest")));
  const js = R("json", "mcpgen", "bare", "throughput");
  target("stateless JSON HTTP throughput", js, fmtRatio(js) + " bare", "≥ 0.5× bare node:http", js >= 0.5, fmtRatio(R("json", "sdk", "bare", "throughput")));
  const sseBare = R("sse", "mcpgen", "bare", "throughput");
  target("stateful SSE HTTP throughput", sseBare, fmtRatio(sseBare) + " bare", "≥ 0.5× bare node:http", sseBare >= 0.5, fmtRatio(R("sse", "sdk", "bare", "throughput")));
  const sse = R("sse", "mcpgen", "sdk", "throughput");
  target("stateful SSE HTTP throughput against the SDK", sse, fmtRatio(sse) + " official", "≥ 3× official", sse >= 3, `${fmtRatio(R("sse", "sdk", "bare", "throughput"))} bare`);
  // Ahead of every peer in every mode that peer can do (issue 17).
  const behind = [];
  for (const mode of MODES) {
    for (const peer of PEERS) {
      if (!supports(peer, mode.key)) continue;
      const ratio = R(mode.key, "mcpgen", peer, "throughput");
      if (!(ratio > 1)) behind.push(`${IMPLS[peer].label} ${mode.key} ${fmtRatio(ratio)}`);
    }
  }
  target("ahead of every peer, every mode it can do", behind.length, behind.length === 0 ? "yes" : behind.join(", "), "> 1× each", behind.length === 0, "");
  const cold = R("cold", "mcpgen", "bare", "ms");
  target("cold start, spawn → initialize", cold, fmtRatio(cold) + " bare", "≤ 1.3× a bare Node process", cold <= 1.3, fmtRatio(R("cold", "sdk", "bare", "ms")));
  const rssRatios = MODES.map((mode) => R(mode.key, "mcpgen", "bare", "peakRssKb"));
  const sdkRss = MODES.map((mode) => R(mode.key, "sdk", "bare", "peakRssKb"));
  const worst = Math.max(...rssRatios);
  const short = { stdio1: "stdio 1", stdio32: "stdio 32", json: "JSON", sse: "SSE" };
  const perMode = (rs) => MODES.map((mode, i) => `${short[mode.key]} ${fmtRatio(rs[i])}`).join(", ");
  target("peak RSS, every mode", worst, perMode(rssRatios), "≤ 1.3× bare", worst <= 1.3, perMode(sdkRss));
  if (soakResult) {
    const growth = Object.entries(soakResult).map(([k, r]) => {
      const settled = r.samples.find((x) => x.requests >= opts.soakRequests * 0.2) ?? r.samples[0];
      const last = r.samples[r.samples.length - 1];
      return { k, from: settled.rssKb / 1024, to: last.rssKb / 1024, max: Math.max(...r.samples.map((x) => x.rssKb)) / 1024, requests: r.completed, bad: r.lost + r.duplicates + r.errors };
    });
    const flat = growth.every((g) => g.to <= g.from * 1.1 && g.bad === 0);
    target(
      `RSS across ${(opts.soakRequests / 1000).toFixed(0)}k requests (from 20% to 100%)`,
      0,
      growth.map((g) => `${g.k} ${fmt(g.from, 1)} → ${fmt(g.to, 1)} MB`).join("; "),
      "flat (≤ +10%) in every mode",
      flat,
    );
  }
  if (install) {
    const ours = install.mcpgen;
    const theirs = install.sdk;
    target(
      "production install of a generated server",
      0,
      `${ours.packages} package${ours.packages === 1 ? "" : "s"}, ${fmtBytes(ours.bytes)} (${fmtBytes(ours.disk)} on disk) + ${fmtBytes(ours.appBytes)} generated code`,
      "report count and size",
      true,
      theirs ? `${theirs.packages} packages, ${fmtBytes(theirs.bytes)} (${fmtBytes(theirs.disk)} on disk)` : "not measured",
    );
  }
  out.push("Ratios are the median of each round's ratio (the servers of a round run back to back).");
  out.push("");
  out.push(table([["target", "mcpgen", "goal", "", "SDK v1"], ...t]));
  if (gen) {
    out.push("");
    out.push(table([["generator (mcpgen, synthetic manifest)", "first generation, ms", "no change, ms"], ...gen.map((g) => [`${g.tools} tools`, fmt(g.freshMs, 0), fmt(g.noChangeMs, 0)])]));
  }
  return out.join("\n");
}

// ---- main -----------------------------------------------------------------------------------

/**
 * bench/scale-out.ts (issue 18): Redis-backed sessions against in-memory ones on one node,
 * and three nodes behind nginx against one, on a real redis-server and nginx. It reports
 * and skips itself when those are not installed.
 */
function scaleOutBench() {
  const out = execFileSync(node, ["--import", "tsx", join(root, "bench", "scale-out.ts"), "--clients", "32", "--ms", "3000"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  log(out.trimEnd());
  return `Scale-out (bench/scale-out.ts: the generated conformance server, 32 sessions calling a tool over SSE):\n\n\`\`\`\n${out.trimEnd()}\n\`\`\``;
}

async function main() {
  const started = performance.now();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${fmt(totalmem() / 2 ** 30, 1)} GB, Node ${process.version}, ${process.platform}`;
  log(`mcpgen bench: ${machine}; load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  log(`${opts.rounds} round(s); ${opts.quick ? `${opts.quickCount} requests` : `${opts.durationMs} ms (after ${opts.warmupMs} ms warm-up)`} per server and mode`);
  if (flag("--install-only")) {
    process.stdout.write(`${JSON.stringify(productionInstall(), null, 1)}\n`);
    return;
  }
  prepare();
  installFastmcp();
  const raw = await measure();
  const s = summarize(raw);
  const soakResult = opts.soak ? await soak() : undefined;
  // A failed side measurement is reported, and the rest still printed.
  const attempt = (what, f) => {
    try {
      return f();
    } catch (error) {
      log(`${what}: not measured (${String(error.message ?? error).split("\n").slice(0, 3).join(" ")})`);
      return undefined;
    }
  };
  const gen = opts.generator ? attempt("generator", generatorSpeed) : undefined;
  const install = opts.install ? attempt("install", productionInstall) : undefined;
  let flood;
  if (opts.flood) {
    try {
      flood = { reading: await runFlood(), stalled: await runFlood({ stalled: true }) };
    } catch (error) {
      log(`flood: not measured (${String(error.message ?? error).split("\n")[0]})`);
    }
  }
  const scaleOut = opts.scaleOut ? attempt("scale-out", scaleOutBench) : undefined;
  let text = report(s, raw, soakResult, gen, install);
  if (flood) text += `\n\n${formatFlood(flood.reading)}\n${formatFlood(flood.stalled)}`;
  if (scaleOut) text += `\n\n${scaleOut}`;
  const took = (performance.now() - started) / 1000;
  const header = `${machine}\nload average at the end: ${loadavg().map((x) => x.toFixed(2)).join(" ")}; took ${took.toFixed(0)} s\n`;
  process.stdout.write(`\n${header}\n${text}\n`);
  mkdirSync(results, { recursive: true });
  const json = { machine, options: opts, summary: s, soak: soakResult && Object.fromEntries(Object.entries(soakResult).map(([k, r]) => [k, { completed: r.completed, samples: r.samples, lost: r.lost, duplicates: r.duplicates, errors: r.errors }])), generator: gen, install, flood, raw };
  const name = opts.quick ? "quick" : "latest";
  writeFileSync(outFile ?? join(results, `${name}.json`), JSON.stringify(json, null, 1));
  if (!outFile) writeFileSync(join(results, `${name}.md`), `${header}\n${text}\n`);
  const failures = MODES.flatMap((mode) => NAMES.filter((n) => supports(n, mode.key) && s.modes[mode.key][n].lost + s.modes[mode.key][n].duplicates + s.modes[mode.key][n].errors > 0));
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
