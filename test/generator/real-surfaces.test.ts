/**
 * Issue 14, item 6: manifests reproducing the listed surfaces of published MCP servers
 * (test/fixtures/real-surfaces/<server>/mcp.yaml) go through generate → tsc → stdio server →
 * SDK client, and the listing must equal the real server's, captured in surface.json by
 * `npm run surfaces:capture` (never edited by hand).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import YAML from "yaml";
import { repoRoot } from "./helpers.js";
import { expectedSurface, sortedListing } from "./manifest-expected.js";
import { canonicalJson, generate, makeProject, serveAndList, typecheck } from "./surface-harness.js";

const fixtures = join(repoRoot, "test", "fixtures", "real-surfaces");

for (const name of readdirSync(fixtures).sort()) {
  const manifestText = readFileSync(join(fixtures, name, "mcp.yaml"), "utf8");
  const snapshot = JSON.parse(readFileSync(join(fixtures, name, "surface.json"), "utf8"));
  const real = sortedListing(snapshot);

  test(`real surface ${name} (${snapshot.source}): the manifest says what the real server lists`, () => {
    const expected = expectedSurface(YAML.parse(manifestText));
    for (const list of ["tools", "resources", "resourceTemplates", "prompts"] as const) {
      assert.equal(canonicalJson(expected[list]), canonicalJson(real[list]), `${list} of mcp.yaml`);
    }
  });

  test(`real surface ${name} (${snapshot.source}): generated, type-checked and served, it lists the same`, { timeout: 120_000 }, async (t) => {
    const project = makeProject(manifestText, `real-${name}-`);
    t.after(project.remove);
    const gen = await generate(project.dir);
    assert.ok(gen.ok, `mcpgen generate failed:\n${gen.output}`);
    const tsc = typecheck(project.dir);
    assert.ok(tsc.ok, `the generated project does not compile:\n${tsc.output}`);
    const listed = sortedListing(await serveAndList(project.dir));
    for (const list of ["tools", "resources", "resourceTemplates", "prompts"] as const) {
      assert.equal(canonicalJson(listed[list]), canonicalJson(real[list]), `${list} as listed by the generated server`);
    }
  });
}
