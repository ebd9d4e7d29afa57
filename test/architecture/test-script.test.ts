/**
 * `npm test` names its test folders one by one (the cluster tests, which start Redis, nginx and
 * three nodes, run after the rest, alone, so the other suites' load does not starve them).
 * A new folder of tests must be added there, or its tests would silently never run.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

test("every folder of tests is run by npm test", () => {
  const scripts = JSON.parse(readFileSync("package.json", "utf8")).scripts as Record<string, string>;
  const run = `${scripts.test} ${scripts["test:cluster"]}`;
  const folders = readdirSync("test", { withFileTypes: true })
    .filter((d) => d.isDirectory() && readdirSync(`test/${d.name}`).some((f) => f.endsWith(".test.ts")))
    .map((d) => d.name);
  assert.ok(folders.includes("runtime") && folders.includes("cluster"), `found ${folders.join(", ")}`);
  for (const folder of folders) assert.ok(run.includes(`test/${folder}/*.test.ts`), `npm test does not run test/${folder}/*.test.ts`);
});
