/**
 * The README's "Lifespan" example: resources opened once at startup and closed at
 * shutdown. What `start()` returns is `ctx.app` in every handler, fully typed.
 */

/** A stand-in for a real database client: a table of rows kept in memory. */
export class Database {
  private readonly rows = new Map<number, { id: number; name: string; role: string }>();
  private open = true;

  static async connect(): Promise<Database> {
    const db = new Database();
    db.rows.set(1, { id: 1, name: "Alice", role: "admin" });
    db.rows.set(2, { id: 2, name: "Bob", role: "editor" });
    db.rows.set(3, { id: 3, name: "Carol", role: "viewer" });
    return db;
  }

  /** Rows whose fields match every given filter (all rows without one). */
  query(filter: Partial<{ id: number; name: string; role: string }> = {}) {
    if (!this.open) throw new Error("The database is closed");
    return [...this.rows.values()].filter((row) =>
      Object.entries(filter).every(([key, value]) => row[key as keyof typeof row] === value),
    );
  }

  async disconnect(): Promise<void> {
    this.open = false;
  }
}

/** Runs once before the server takes requests. */
export async function start() {
  const db = await Database.connect();
  return { db, startedAt: new Date() };
}

/** Runs once when the server shuts down. */
export async function stop(app: Awaited<ReturnType<typeof start>>): Promise<void> {
  await app.db.disconnect();
}
