/**
 * Issue 16, finding 10: responses to request ids the server never sent (or already
 * settled) are the client's mistake, or an attacker's way to fill the server's log. A
 * flood of them yields a few one-line reports on stderr, never a stack trace each,
 * and the server keeps serving. A real server process over stdio.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawServer } from "./helpers.js";

describe("stray responses are reported concisely and rate-limited (stdio)", { timeout: 30_000 }, () => {
  test("1000 stray responses: at most a few short stderr lines, no stack traces, still serving", async () => {
    const server = new RawServer("modern.ts");
    try {
      await server.initialize("2025-11-25");
      const longId = "x".repeat(10_000);
      const lines: string[] = [];
      for (let i = 0; i < 1000; i++) {
        const id = i % 3 === 0 ? `${longId}-${i}` : 500_000 + i;
        lines.push(JSON.stringify(i % 2 === 0 ? { jsonrpc: "2.0", id, result: {} } : { jsonrpc: "2.0", id, error: { code: -1, message: "no" } }));
      }
      server.send(lines.join("\n"));
      assert.deepEqual((await server.request("ping", undefined, "after-strays")).result, {});
    } finally {
      // stdout and stderr are separate pipes: stderr is complete only once the process has exited.
      await server.close();
    }
    const reports = server.stderr.split("\n").filter((l) => /unknown request id/.test(l));
    assert.ok(reports.length >= 1, `the first stray is reported; stderr:\n${server.stderr.slice(0, 2000)}`);
    assert.ok(reports.length <= 5, `${reports.length} reports for 1000 strays`);
    assert.doesNotMatch(server.stderr, /^\s+at /m, "no stack trace lines");
    for (const line of reports) assert.ok(line.length < 300, `a short line, got ${line.length} characters`);
  });
});
