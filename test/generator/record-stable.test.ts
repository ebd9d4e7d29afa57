/**
 * The committed generation record stays as committed: a fresh clone's first `mcpgen`
 * (what `npm run quickstart` runs) rewrites nothing, even though mcpgen's own code has
 * changed since the record was written. A checkout records only its version; whether
 * the last run was made by exactly this code is kept in node_modules/.cache/mcpgen.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { cli, repoRoot } from "./helpers.js";

/** Every file under a folder, relative path → content. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return out;
}

describe("the committed generation record", () => {
  it("a fresh run over examples/quickstart changes no byte, and the fast path trusts only the same generator code", async (t) => {
    const base = join(repoRoot, "test", ".tmp");
    mkdirSync(base, { recursive: true });
    const dir = mkdtempSync(join(base, "quickstart-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const example = join(repoRoot, "examples", "quickstart");
    for (const f of ["mcp.yaml", "package.json", "tsconfig.json", "src"]) if (existsSync(join(example, f))) cpSync(join(example, f), join(dir, f), { recursive: true });
    const before = snapshot(join(dir, "src"));

    // A fresh clone: no cache, so a full run, which must find everything current.
    const first = await cli(dir, "--quiet");
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(snapshot(join(dir, "src")), before);
    const second = await cli(dir);
    assert.match(second.stderr, /\(up to date\)/);

    // Another generator code (a commit to mcpgen): the cache no longer matches, so a full run,
    // and still no byte changes.
    const key = createHash("sha256").update(resolve(dir, "src/generated")).digest("hex").slice(0, 24);
    const cache = join(repoRoot, "node_modules", ".cache", "mcpgen", `${key}.json`);
    t.after(() => rmSync(cache, { force: true }));
    assert.ok(existsSync(cache), "the run noted its generator code");
    writeFileSync(cache, JSON.stringify({ ...JSON.parse(readFileSync(cache, "utf8")), fingerprint: "another-commit" }));
    const third = await cli(dir);
    assert.equal(third.code, 0);
    assert.doesNotMatch(third.stderr, /up to date/);
    assert.match(third.stderr, /0 files written/);
    assert.deepEqual(snapshot(join(dir, "src")), before);
  });
});
