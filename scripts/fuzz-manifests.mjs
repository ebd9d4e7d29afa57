#!/usr/bin/env node
/**
 * A larger run of the manifest property test (test/generator/manifest-property.test.ts):
 *
 *   npm run fuzz:manifests -- --runs 300 --seed 7            # shrink and print the first failure
 *   npm run fuzz:manifests -- --seed 7 --path 0:1:1:3         # replay a printed failure
 *   npm run fuzz:manifests -- --runs 300 --census             # no shrinking: count failures by class
 *   npm run fuzz:manifests -- --runs 100 --census --shrink    # ... then shrink one case per class
 *
 * --time-limit S bounds the run (default: 20 minutes).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const value = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const root = fileURLToPath(new URL("../", import.meta.url));
const env = { ...process.env };
if (value("runs")) env.MCPGEN_FUZZ_RUNS = value("runs");
if (value("seed")) env.MCPGEN_FUZZ_SEED = value("seed");
if (value("path")) env.MCPGEN_FUZZ_PATH = value("path");
env.MCPGEN_FUZZ_TIME_LIMIT_S = value("time-limit") ?? "1200";

const census = args.includes("--census");
if (args.includes("--shrink")) env.MCPGEN_FUZZ_SHRINK = "1";
const file = census ? "test/generator/manifest-census.ts" : "test/generator/manifest-property.test.ts";
const r = spawnSync(process.execPath, ["--import", "tsx", ...(census ? [] : ["--test", "--test-reporter=spec"]), file], { cwd: root, env, stdio: "inherit" });
process.exit(r.status ?? 1);
