/**
 * A smoke run of the benchmark (`node bench/run.mjs --quick`): every server (the
 * mcpgen-generated one, the official SDK's, the bare loop) answers every call in every
 * mode correctly, with nothing lost or duplicated. Correctness only: no timing is
 * asserted, the figures of a quick run mean nothing.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, it } from "node:test";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../", import.meta.url));

interface ModeSummary {
  throughput: number;
  requests: number;
  lost: number;
  duplicates: number;
  errors: number;
  firstError?: string;
}

describe("bench harness (smoke)", () => {
  it("drives the three servers over stdio, stateless JSON and stateful SSE HTTP, and cold start", { timeout: 180_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "mcpgen-bench-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, "quick.json");
    const { stdout } = await run(process.execPath, ["bench/run.mjs", "--quick", "--out", out], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
    const result = JSON.parse(readFileSync(out, "utf8")) as {
      summary: { modes: Record<string, Record<string, ModeSummary>>; cold: Record<string, number> };
    };
    const modes = result.summary.modes;
    assert.deepEqual(Object.keys(modes).sort(), ["json", "sse", "stdio1", "stdio32"]);
    for (const [mode, byServer] of Object.entries(modes)) {
      assert.deepEqual(Object.keys(byServer).sort(), ["bare", "mcpgen", "sdk"]);
      for (const [server, m] of Object.entries(byServer)) {
        const where = `${server}, ${mode}`;
        assert.equal(m.errors, 0, `${where}: ${m.firstError}`);
        assert.equal(m.lost, 0, `${where}: lost replies`);
        assert.equal(m.duplicates, 0, `${where}: duplicate replies`);
        assert.ok(m.requests >= 200, `${where}: only ${m.requests} replies checked`);
      }
    }
    for (const [server, ms] of Object.entries(result.summary.cold)) assert.ok(ms > 0, `${server} answered initialize`);
    // The report is printed.
    assert.match(stdout, /stdio, 32 in flight/);
    assert.match(stdout, /HTTP stateful, SSE/);
    assert.match(stdout, /cold start/);
  });
});
