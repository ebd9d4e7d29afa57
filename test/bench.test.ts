/**
 * A smoke run of the benchmark (`node bench/run.mjs --quick`): every server (the
 * mcpgen-generated one, the bare loop, and the peers: the official SDK v1 and v2, tmcp,
 * fastmcp, mcp-lite) answers every call in every mode it supports correctly, with nothing
 * lost or duplicated, and a mode a peer cannot do is reported as such. Correctness only: no
 * timing is asserted, the figures of a quick run mean nothing.
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
  it("drives mcpgen, the bare loop and every peer over stdio, stateless JSON and stateful SSE HTTP, and cold start", { timeout: 180_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "mcpgen-bench-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, "quick.json");
    const { stdout } = await run(process.execPath, ["bench/run.mjs", "--quick", "--out", out], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
    const result = JSON.parse(readFileSync(out, "utf8")) as {
      summary: { modes: Record<string, Record<string, ModeSummary>>; cold: Record<string, number>; unsupported: Record<string, Record<string, string>> };
    };
    const modes = result.summary.modes;
    assert.deepEqual(Object.keys(modes).sort(), ["json", "sse", "stdio1", "stdio32"]);
    // mcp-lite serves HTTP only; every other server does every mode.
    const stdioServers = ["bare", "fastmcp", "mcpgen", "sdk", "sdk2", "tmcp"];
    const httpServers = ["bare", "fastmcp", "mcp-lite", "mcpgen", "sdk", "sdk2", "tmcp"];
    const expected: Record<string, string[]> = { stdio1: stdioServers, stdio32: stdioServers, json: httpServers, sse: httpServers };
    assert.deepEqual(result.summary.unsupported, {
      stdio1: { "mcp-lite": "mcp-lite has no stdio transport (HTTP only)" },
      stdio32: { "mcp-lite": "mcp-lite has no stdio transport (HTTP only)" },
    });
    assert.deepEqual(Object.keys(result.summary.cold).sort(), stdioServers);
    for (const [mode, byServer] of Object.entries(modes)) {
      assert.deepEqual(Object.keys(byServer).sort(), expected[mode], mode);
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
    // A column per peer, and the ratios both ways.
    for (const label of ["SDK v1", "SDK v2", "tmcp", "fastmcp", "mcp-lite"]) {
      assert.match(stdout, new RegExp(`\\| mcpgen / ${label} +\\|`), `mcpgen / ${label} column`);
      assert.match(stdout, new RegExp(`\\| ${label} / bare +\\|`), `${label} / bare column`);
    }
    assert.match(stdout, /n\/a: mcp-lite, stdio, 1 in flight: mcp-lite has no stdio transport/);
  });
});
