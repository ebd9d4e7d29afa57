import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ExplorerDatabase } from "../lib/database.js";

/** data/example.db in this example's folder, unless SQLITE_DB names another file. */
const DEFAULT_PATH = fileURLToPath(new URL("../../data/example.db", import.meta.url));

/**
 * Runs once before the server takes requests: opens the database (creating and seeding it
 * on first start). The returned object is `ctx.app` in every handler.
 */
export async function start() {
  const path = process.env.SQLITE_DB ? resolve(process.env.SQLITE_DB) : DEFAULT_PATH;
  return { db: await ExplorerDatabase.open(path) };
}

/** Runs once when the server shuts down: saves and closes the database. */
export async function stop(app: Awaited<ReturnType<typeof start>>): Promise<void> {
  await app.db.close();
}
