/**
 * Issue 14, item 5: random manifests the contract allows are generated, type-checked, served
 * over stdio and listed by the official SDK client; the listed surface must equal the
 * manifest's. CI runs a fixed seed; `npm run fuzz:manifests -- --runs 200 --seed 7` runs more
 * (or set MCPGEN_FUZZ_RUNS / MCPGEN_FUZZ_SEED / MCPGEN_FUZZ_PATH / MCPGEN_FUZZ_TIME_LIMIT_S).
 *
 * A failure is shrunk (within the time limit) and printed as the manifest to paste into a
 * regression test, with the seed and path that replay it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { manifestArb } from "./manifest-arbitraries.js";
import { checkManifest, describeFailure } from "./manifest-property.js";

const env = process.env;
const runs = Number(env.MCPGEN_FUZZ_RUNS ?? 30);
const seed = Number(env.MCPGEN_FUZZ_SEED ?? 14);
const path = env.MCPGEN_FUZZ_PATH;
// Generous: a case takes about a second; shrinking a failure takes most of the budget.
const timeLimitS = Number(env.MCPGEN_FUZZ_TIME_LIMIT_S ?? 150);

// Each case packs several items of every kind, so 30 cases list a few hundred drawn items.
const manifests = manifestArb({ tools: 6, resources: 4, templates: 3, prompts: 4, types: 4 });

test(`every drawn manifest generates, compiles, serves and lists as written (${runs} manifests, seed ${seed})`, { timeout: (timeLimitS + 120) * 1000 }, async () => {
  const details = await fc.check(fc.asyncProperty(manifests, (m) => checkManifest(m)), {
    numRuns: runs,
    seed,
    ...(path ? { path } : {}),
    maxSkipsPerRun: 2,
    plugins: [fc.interruptAfterTimeLimit(timeLimitS * 1000)],
  });
  if (details.failed) assert.fail(describeFailure(details, "npm run fuzz:manifests --"));
  // A run the time limit cut short must still have checked most of what it was asked to.
  assert.ok(details.numRuns >= Math.min(runs, 10), `only ${details.numRuns} of ${runs} manifests ran before the time limit`);
});
