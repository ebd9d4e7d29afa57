/**
 * The command line of a generated server (runMain): strict flags with a usage line and
 * exit 2 on a mistake, --help, and one line on stderr saying what it serves where.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { parseServerArgs } from "../../runtime/src/index.js";
import { fixtureCommand, repoRoot } from "./helpers.js";

/** Runs the notes fixture (a runMain server) with these arguments; stdin is closed at once. */
async function runNotes(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { command, args: full } = fixtureCommand("docs/notes-server.ts", args);
  const child = spawn(command, full, { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b) => (stdout += b));
  child.stderr.on("data", (b) => (stderr += b));
  child.stdin.end();
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { code, stdout, stderr };
}

describe("a generated server's command line", { timeout: 60_000 }, () => {
  test("parseServerArgs: modes, ports, and every kind of mistake", () => {
    assert.deepEqual(parseServerArgs([], {}, {}), { mode: "stdio", options: {} });
    assert.deepEqual(parseServerArgs(["--stdio"], {}, {}), { mode: "stdio", options: {} });
    // Limits: stdio's own, HTTP's own, and one for both.
    assert.deepEqual(parseServerArgs(["--max-inflight", "50", "--max-buffered-bytes", "1m"], {}, {}), { mode: "stdio", options: { maxInflight: 50, maxBufferedBytes: 1024 * 1024 } });
    assert.throws(() => parseServerArgs(["--http", "--max-inflight", "5"], {}, {}), /--max-inflight applies to stdio only/);
    assert.throws(() => parseServerArgs(["--max-sessions", "5"], {}, {}), /--max-sessions applies to HTTP only/);
    assert.throws(() => parseServerArgs(["--max-inflight", "0"], {}, {}), /--max-inflight: '0' is not a size/);
    assert.deepEqual(parseServerArgs(["--http"], {}, {}), { mode: "http", options: {} });
    assert.deepEqual(parseServerArgs(["--http", "8080"], {}, {}), { mode: "http", options: { port: 8080 } });
    assert.deepEqual(parseServerArgs(["--http=0", "--json"], {}, {}), { mode: "http", options: { port: 0, json: true } });
    assert.deepEqual(parseServerArgs(["--port", "4000"], {}, {}), { mode: "http", options: { port: 4000 } });
    assert.deepEqual(parseServerArgs(["--http", "--stateless"], {}, {}), { mode: "http", options: { sessions: false } });
    // $PORT sits between the manifest's default and the flag.
    assert.deepEqual(parseServerArgs(["--http"], { port: 1 }, { PORT: "2" }), { mode: "http", options: { port: 2 } });
    assert.deepEqual(parseServerArgs(["--http", "3"], { port: 1 }, { PORT: "2" }), { mode: "http", options: { port: 3 } });
    assert.deepEqual(parseServerArgs(["--json", "-h"], {}, {}), { mode: "help" });

    const mistakes: [string[], RegExp][] = [
      [["--htp", "3000"], /Unknown option --htp \(did you mean --http\?\)/],
      [["--http", "abc"], /--http: 'abc' is not a port number/],
      [["--http=abc"], /--http: 'abc' is not a port number/],
      [["--http", "65536"], /'65536' is not a port number/],
      [["--http", "-1"], /'-1' is not a port number/],
      [["--port", "1e3"], /'1e3' is not a port number/],
      [["--port"], /--port needs a value/],
      [["--http", "--host"], /--host needs a value/],
      [["--json"], /--json applies to HTTP only/],
      [["--stdio", "--http"], /exclude each other/],
      [["--http", "--json=yes"], /--json takes no value/],
      [["serve"], /unexpected argument 'serve'/],
      [["--http", "--path", "mcp"], /--path must start with \//],
    ];
    for (const [argv, message] of mistakes) assert.throws(() => parseServerArgs(argv, {}, {}), message, argv.join(" "));
    assert.throws(() => parseServerArgs(["--http"], {}, { PORT: "http" }), /\$PORT: 'http' is not a port number/);
  });

  for (const args of [["--htp", "3000"], ["--http", "abc"], ["--http", "99999"], ["--verbose"]]) {
    test(`\`${args.join(" ")}\` exits 2 with the mistake and the usage line, and serves nothing`, async () => {
      const r = await runNotes(args);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, "");
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 2, r.stderr);
      assert.match(lines[0]!, /^notes: /);
      assert.match(lines[1]!, /^Usage: notes \[--stdio \| --http \[port\] \[options\]\]/);
    });
  }

  test("--help lists the options and exits 0", async () => {
    const r = await runNotes(["--help"]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /--stdio +serve on stdin\/stdout/);
    assert.match(r.stderr, /--http \[port\]/);
  });

  test("stdio: one line on stderr says what is served where; stdout carries nothing but the protocol", async () => {
    const r = await runNotes([]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^notes 1\.0\.0 serving MCP on stdio \(notes --help: HTTP and other options\)\n/);
  });
});
