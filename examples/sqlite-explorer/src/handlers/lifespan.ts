import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { QueryRunner } from "../lib/query-runner.js";

/** data/example.db in this example's folder, unless SQLITE_DB names another file. */
const DEFAULT_PATH = fileURLToPath(new URL("../../data/example.db", import.meta.url));
/** Longest a query may run before it is stopped, unless SQLITE_QUERY_TIMEOUT_MS says otherwise. */
const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Runs once before the server takes requests: starts the query worker, which opens the
 * database (creating and seeding it on first start). The returned object is `ctx.app`
 * in every handler.
 *
 * Settings (environment): SQLITE_DB (the file), SQLITE_WRITABLE=1 (allow statements
 * that change the database; read-only otherwise), SQLITE_QUERY_TIMEOUT_MS (time limit).
 */
export async function start() {
  const path = process.env.SQLITE_DB ? resolve(process.env.SQLITE_DB) : DEFAULT_PATH;
  const writable = ["1", "true", "yes"].includes((process.env.SQLITE_WRITABLE ?? "").toLowerCase());
  const timeout = Number(process.env.SQLITE_QUERY_TIMEOUT_MS);
  const db = new QueryRunner({ path, writable, timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS });
  await db.open();
  // A signal stops the running query at once, so shutdown never waits for a runaway one
  // (the server then answers what is in flight, and stop() closes the database).
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => db.interrupt("Query stopped: the server is shutting down"));
  return { db, writable };
}

/** Runs once when the server shuts down: saves and closes the database, and ends the worker. */
export async function stop(app: Awaited<ReturnType<typeof start>>): Promise<void> {
  await app.db.close();
}
