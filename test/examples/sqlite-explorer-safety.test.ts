/**
 * Issue 16, finding 9 (sqlite-explorer): queries run in a worker thread with a time limit
 * and stop when their request is cancelled, so the server answers ping during a runaway
 * query and exits promptly on SIGTERM; the database is read-only unless the server is
 * started with SQLITE_WRITABLE=1. The example as a real process: the official SDK client,
 * and a raw stdio driver for the signal test.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connectExample, exampleDir, textOf, type Connected } from "./helpers.js";

const RUNAWAY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c;";

describe("examples/sqlite-explorer under hostile queries", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "mcpgen-sqlite-safety-"));
  const dbPath = join(dir, "test.db");
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe("read-only by default", () => {
    let server: Connected;
    before(async () => {
      server = await connectExample("sqlite-explorer", { env: { SQLITE_DB: dbPath } });
    });
    after(() => server?.close());
    const query = (sql: string) => server.client.callTool({ name: "query_data", arguments: { sql } });

    test("writes, DDL and a PRAGMA that turns query_only off are refused; nothing changes", async () => {
      for (const sql of [
        "INSERT INTO users (name, email) VALUES ('Eve', 'eve@example.com')",
        "DELETE FROM users",
        "DROP TABLE orders",
        "CREATE TABLE t (x)",
        "PRAGMA query_only = OFF; DELETE FROM users",
        "/* hidden */ PRAGMA main.query_only = 0; UPDATE users SET name = 'x'",
        "ATTACH ':memory:' AS m; CREATE TABLE m.t (x)",
      ]) {
        const r = await query(sql);
        assert.equal(r.isError, true, sql);
        assert.match(textOf(r), /readonly database[\s\S]*SQLITE_WRITABLE=1/, sql);
      }
      assert.equal(textOf(await query("SELECT COUNT(*) AS n FROM users")), "n\n3");
      assert.equal(textOf(await query("SELECT name FROM users WHERE id = 1")), "name\nAlice");
    });
  });

  describe("a runaway query", () => {
    let server: Connected;
    before(async () => {
      // A limit far beyond the test: only cancellation can stop the first runaway query.
      server = await connectExample("sqlite-explorer", { env: { SQLITE_DB: dbPath, SQLITE_QUERY_TIMEOUT_MS: "600000" } });
    });
    after(() => server?.close());

    test("ping is answered while it runs; cancelling the request stops it, and the next query runs", async () => {
      const controller = new AbortController();
      const runaway = server.client.callTool({ name: "query_data", arguments: { sql: RUNAWAY } }, undefined, { signal: controller.signal, timeout: 600_000 });
      runaway.catch(() => undefined);
      // The call is in flight (the server has it: stdio keeps order); the main thread is free.
      for (let i = 0; i < 3; i++) assert.deepEqual(await server.client.ping(), {});
      controller.abort("enough");
      await assert.rejects(runaway);
      // Queries run one at a time: this one running means the runaway worker is gone.
      assert.equal(textOf(await server.client.callTool({ name: "query_data", arguments: { sql: "SELECT 41 + 1 AS answer" } })), "answer\n42");
    });
  });

  describe("the time limit", () => {
    let server: Connected;
    before(async () => {
      server = await connectExample("sqlite-explorer", { env: { SQLITE_DB: dbPath, SQLITE_QUERY_TIMEOUT_MS: "300" } });
    });
    after(() => server?.close());

    test("stops the query with a tool error; the server keeps serving", async () => {
      const r = await server.client.callTool({ name: "query_data", arguments: { sql: RUNAWAY } });
      assert.equal(r.isError, true);
      assert.match(textOf(r), /Query stopped: it ran longer than 300 ms/);
      assert.equal(textOf(await server.client.callTool({ name: "query_data", arguments: { sql: "SELECT COUNT(*) AS n FROM products" } })), "n\n3");
      const schema = await server.client.readResource({ uri: "schema://main" });
      assert.match((schema.contents[0] as { text: string }).text, /CREATE TABLE users/);
    });
  });

  test("SIGTERM during a runaway query: the process exits (no time limit involved)", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
      cwd: exampleDir("sqlite-explorer"),
      env: { ...process.env, SQLITE_DB: dbPath, SQLITE_QUERY_TIMEOUT_MS: "600000" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    try {
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
      const replies = lines(child);
      const send = (m: unknown) => child.stdin!.write(`${JSON.stringify(m)}\n`);
      send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } } });
      await replies.reply(1);
      send({ jsonrpc: "2.0", method: "notifications/initialized" });
      send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "query_data", arguments: { sql: RUNAWAY } } });
      send({ jsonrpc: "2.0", id: 3, method: "ping" });
      await replies.reply(3);
      child.kill("SIGTERM");
      // In-flight calls are answered before the server closes: the stopped query's tool error.
      const stopped = await replies.reply(2);
      assert.equal(stopped.result.isError, true);
      assert.match(stopped.result.content[0].text, /shutting down/);
      assert.deepEqual(await exited, { code: 0, signal: null });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });
});

/** JSON-RPC replies from a child's stdout, by id. */
function lines(child: ChildProcess): { reply(id: number): Promise<any> } {
  const seen = new Map<number, any>();
  const waiting = new Map<number, (m: any) => void>();
  let buffer = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      const m = JSON.parse(line);
      if (typeof m.id !== "number" || m.method !== undefined) continue;
      seen.set(m.id, m);
      waiting.get(m.id)?.(m);
    }
  });
  return {
    reply: (id) =>
      new Promise((resolve, reject) => {
        if (seen.has(id)) return resolve(seen.get(id));
        waiting.set(id, resolve);
        child.once("exit", () => (seen.has(id) ? resolve(seen.get(id)) : reject(new Error(`the server exited before answering ${id}`))));
      }),
  };
}
