/**
 * A SQLite database file, served through sql.js (SQLite compiled to WebAssembly, so there
 * is no native addon to build). sql.js keeps the database in memory: every change is
 * written back to the file with `db.export()`, atomically (temporary file, then rename).
 *
 * This class runs inside the query worker (query-worker.ts), never on the server's main
 * thread: a query SQLite cannot interrupt must not stop the server from answering.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import initSqlJs from "sql.js";

type SqlDatabase = initSqlJs.Database;
type SqlValue = initSqlJs.SqlValue;

/** Tables and rows a new database starts with. */
const SEED = `
CREATE TABLE users (
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
CREATE INDEX orders_by_user ON orders(user_id);
INSERT INTO users (id, name, email) VALUES
  (1, 'Alice', 'alice@example.com'),
  (2, 'Bob', 'bob@example.com'),
  (3, 'Carol', 'carol@example.com');
INSERT INTO products (id, name, price) VALUES
  (1, 'Keyboard', 49.5),
  (2, 'Mouse', 19.99),
  (3, 'Monitor', 229);
INSERT INTO orders (id, user_id, product_id, quantity) VALUES
  (1, 1, 1, 1),
  (2, 1, 2, 2),
  (3, 2, 3, 1),
  (4, 3, 2, 1);
`;

/** One statement's rows (statements that return none are left out, as sqlite3_exec does). */
export interface ResultSet {
  columns: string[];
  values: SqlValue[][];
}

export class ExplorerDatabase {
  private constructor(
    private readonly db: SqlDatabase,
    /** The database file. */
    readonly path: string,
    /** false: every statement runs with `PRAGMA query_only` on, so nothing can change. */
    readonly writable: boolean,
  ) {}

  /** Opens the file, or creates it with the seed tables when it does not exist yet. */
  static async open(path: string, options: { writable?: boolean } = {}): Promise<ExplorerDatabase> {
    const SQL = await initSqlJs();
    const writable = options.writable === true;
    if (existsSync(path)) return new ExplorerDatabase(new SQL.Database(await readFile(path)), path, writable);
    const db = new ExplorerDatabase(new SQL.Database(), path, writable);
    db.db.exec("PRAGMA foreign_keys = ON;");
    db.db.exec(SEED);
    await db.save();
    return db;
  }

  /** The CREATE statements of the tables, indexes, views and triggers, in creation order. */
  schema(): string {
    const [result] = this.db.exec(
      "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
    );
    return (result?.values ?? []).map(([sql]) => `${String(sql)};`).join("\n\n");
  }

  /**
   * Runs one or more statements. Throws SQLite's error for bad SQL; statements before
   * the failing one stay applied, as in the sqlite3 shell. Changes are saved to the file.
   * Read-only, each statement runs with `PRAGMA query_only` set just before it, so a
   * `PRAGMA query_only = OFF` in the SQL lasts only until the next statement starts.
   */
  async execute(sql: string): Promise<{ results: ResultSet[]; changes: number }> {
    const before = this.counters();
    const results: ResultSet[] = [];
    try {
      for (const statement of this.db.iterateStatements(sql)) {
        try {
          if (!this.writable) this.db.run("PRAGMA query_only = ON");
          // As sqlite3_exec: a statement that returns no rows adds no result set.
          let set: ResultSet | undefined;
          while (statement.step()) {
            if (!set) results.push((set = { columns: statement.getColumnNames(), values: [] }));
            set.values.push(statement.get());
          }
        } finally {
          statement.free();
        }
      }
    } finally {
      // Save whatever was applied, even when a later statement failed.
      const after = this.counters();
      if (after.changes !== before.changes || after.schema !== before.schema) await this.save();
    }
    return { results, changes: this.counters().changes - before.changes };
  }

  /** Writes the database to its file (when writable) and closes it. */
  async close(): Promise<void> {
    if (this.writable) await this.save();
    this.db.close();
  }

  private counters(): { changes: number; schema: number } {
    const [changes] = this.db.exec("SELECT total_changes()")[0]!.values[0]!;
    const [schema] = this.db.exec("PRAGMA schema_version")[0]!.values[0]!;
    return { changes: Number(changes), schema: Number(schema) };
  }

  private async save(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, this.db.export());
    await rename(temporary, this.path);
  }
}

/** A value as the sqlite3 shell prints it. */
export function formatValue(value: SqlValue): string {
  if (value === null) return "NULL";
  if (value instanceof Uint8Array) return `x'${Buffer.from(value).toString("hex")}'`;
  // REALs with 15 significant digits, as the shell does: 89.48, not 89.47999999999999.
  if (typeof value === "number" && !Number.isInteger(value)) return String(Number(value.toPrecision(15)));
  return String(value);
}
