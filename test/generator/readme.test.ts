import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cli, repoRoot, scratchProject, typecheck, write } from "./helpers.js";

/** The README's manifest and handler are real: they generate, compile and run. */
describe("README examples", () => {
  it("the manifest generates and the handler compiles against it", async (t) => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const manifest = /```yaml\n(# yaml-language-server[\s\S]*?)```/.exec(readme)![1]!;
    const handler = /```ts\n(import type \{ GetForecastHandler[\s\S]*?)```/.exec(readme)![1]!;
    const dir = scratchProject(t, manifest);
    const r = await cli(dir);
    assert.equal(r.code, 0, r.stderr);
    write(dir, "src/handlers/tools/get_forecast.ts", handler);
    const tc = await typecheck(dir);
    assert.ok(tc.ok, tc.output);
    const broken = await cli(dir, "validate");
    assert.equal(broken.code, 0);
    write(dir, "mcp.yaml", manifest.replace("    description: Forecast", "    descripton: Forecast"));
    const bad = await cli(dir, "validate");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /error\[unknown-key\]: unknown key `descripton` in tools\.get_forecast/);
    assert.match(bad.stderr, /did you mean `description`\?/);
  });
});
