import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connectExample, contentsText, mcpgenCheck, textOf, type Connected } from "./helpers.js";

const SEED_SCHEMA = `CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE
);

CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  price REAL NOT NULL CHECK (price >= 0)
);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  product_id INTEGER NOT NULL REFERENCES products(id),
  quantity INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX orders_by_user ON orders(user_id);`;

describe("examples/sqlite-explorer", () => {
  // Each run gets its own database file (SQLITE_DB), created by the server on first start.
  // Writable (SQLITE_WRITABLE=1): the read-only default is tested in sqlite-explorer-safety.test.ts.
  const dir = mkdtempSync(join(tmpdir(), "mcpgen-sqlite-"));
  const dbPath = join(dir, "nested", "test.db");
  let server: Connected;
  const start = () => connectExample("sqlite-explorer", { env: { SQLITE_DB: dbPath, SQLITE_WRITABLE: "1" } });
  const query = (sql: string) => server.client.callTool({ name: "query_data", arguments: { sql } });

  before(async () => {
    assert.equal(existsSync(dbPath), false);
    server = await start();
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("generated code is up to date (mcpgen check)", async () => {
    const r = await mcpgenCheck("sqlite-explorer");
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test("the lifespan created and seeded a real SQLite file on first start", () => {
    assert.ok(existsSync(dbPath), "database file created");
    assert.equal(readFileSync(dbPath).subarray(0, 16).toString("latin1"), "SQLite format 3\0");
  });

  test("lists schema://main and query_data", async () => {
    const { resources } = await server.client.listResources();
    assert.deepEqual(resources, [
      {
        name: "get_schema",
        uri: "schema://main",
        title: "Database Schema",
        description: "The CREATE statements of every table in the database.",
        mimeType: "text/plain",
      },
    ]);
    const { tools } = await server.client.listTools();
    assert.deepEqual(tools.map((t) => [t.name, t.title]), [["query_data", "Query Data"]]);
    assert.deepEqual(tools[0]!.inputSchema.required, ["sql"]);
    assert.equal(tools[0]!.outputSchema, undefined);
  });

  test("schema://main holds the CREATE statements", async () => {
    const r = await server.client.readResource({ uri: "schema://main" });
    assert.deepEqual(r.contents, [{ uri: "schema://main", mimeType: "text/plain", text: SEED_SCHEMA }]);
  });

  test("query_data runs SELECTs and prints rows under a header", async () => {
    const r = await query("SELECT id, name, email FROM users ORDER BY id");
    assert.equal(r.isError, undefined);
    assert.equal(textOf(r), "id\tname\temail\n1\tAlice\talice@example.com\n2\tBob\tbob@example.com\n3\tCarol\tcarol@example.com");
    const joined = await query(
      "SELECT u.name, SUM(o.quantity * p.price) AS total FROM orders o JOIN users u ON u.id = o.user_id JOIN products p ON p.id = o.product_id GROUP BY u.id ORDER BY u.id",
    );
    assert.equal(textOf(joined), "name\ttotal\nAlice\t89.48\nBob\t229\nCarol\t19.99");
    const values = await query("SELECT NULL AS missing, x'cafe' AS bytes; SELECT 1 AS one");
    assert.equal(textOf(values), "missing\tbytes\nNULL\tx'cafe'\n\none\n1");
  });

  test("SQL errors are isError results, and the server keeps serving", async () => {
    const missing = await query("SELECT * FROM nope");
    assert.equal(missing.isError, true);
    assert.equal(textOf(missing), "SQL error: no such table: nope");
    const syntax = await query("SELEKT 1");
    assert.equal(syntax.isError, true);
    assert.match(textOf(syntax), /^SQL error: near "SELEKT": syntax error/);
    const constraint = await query("INSERT INTO users (id, name, email) VALUES (9, 'Eve', 'alice@example.com')");
    assert.equal(constraint.isError, true);
    assert.match(textOf(constraint), /^SQL error: UNIQUE constraint failed: users\.email/);
    const empty = await server.client.callTool({ name: "query_data", arguments: { sql: "" } });
    assert.equal(empty.isError, true, "minLength 1");
    assert.equal(textOf(await query("SELECT COUNT(*) AS n FROM users")), "n\n3");
  });

  test("writes and DDL are saved to the file and survive a restart", async () => {
    assert.equal(textOf(await query("INSERT INTO users (name, email) VALUES ('Dave', 'dave@example.com')")), "OK (1 row changed)");
    assert.equal(textOf(await query("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")), "OK (0 rows changed)");
    assert.equal(textOf(await query("INSERT INTO notes (body) VALUES ('a'), ('b')")), "OK (2 rows changed)");

    await server.close();
    server = await start();

    assert.equal(textOf(await query("SELECT name FROM users WHERE id = 4")), "name\nDave");
    assert.equal(textOf(await query("SELECT body FROM notes ORDER BY id")), "body\na\nb");
    const schema = await server.client.readResource({ uri: "schema://main" });
    assert.equal(contentsText(schema), `${SEED_SCHEMA}\n\nCREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);`);
  });
});
