/**
 * The notebook lives in memory for as long as the server runs: every session (Streamable
 * HTTP or legacy SSE, from any client) sees the same notes. A real server would open a
 * database here.
 */

import type { Note } from "../generated/types.js";

export class Notebook {
  private readonly notes = new Map<string, Note>();
  /** Long-polls in flight (wait_for_note): each is told about every note added. */
  private readonly watchers = new Set<(note: Note | undefined) => void>();

  add(note: Note): Note {
    if (this.notes.has(note.title)) throw new Error(`A note titled '${note.title}' already exists`);
    this.notes.set(note.title, note);
    for (const watch of [...this.watchers]) watch(note);
    return note;
  }

  get(title: string): Note | undefined {
    return this.notes.get(title);
  }

  all(): Note[] {
    return [...this.notes.values()];
  }

  /** Notes whose title or body contains `query` (case-insensitive), with `tag` if given. */
  search(query: string, tag?: string): Note[] {
    const q = query.toLowerCase();
    return this.all().filter(
      (n) => (n.title.toLowerCase().includes(q) || n.body.toLowerCase().includes(q)) && (tag === undefined || n.tags.includes(tag)),
    );
  }

  /**
   * Resolves with the note titled `title` as soon as it exists, or undefined after
   * `timeoutMs`, when `signal` aborts (the client cancelled) or when the notebook closes.
   */
  waitFor(title: string, timeoutMs: number, signal: AbortSignal): Promise<Note | undefined> {
    const existing = this.notes.get(title);
    if (existing || timeoutMs === 0 || signal.aborted) return Promise.resolve(existing);
    return new Promise((resolve) => {
      const finish = (note: Note | undefined) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.watchers.delete(watch);
        resolve(note);
      };
      const watch = (note: Note | undefined) => {
        if (note === undefined || note.title === title) finish(note);
      };
      const onAbort = () => finish(undefined);
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      signal.addEventListener("abort", onAbort);
      this.watchers.add(watch);
    });
  }

  /** Ends every long-poll (each answers found: false). */
  close(): void {
    for (const watch of [...this.watchers]) watch(undefined);
  }
}

/** Runs once, when the first client connects: what it returns is `ctx.app`. */
export async function start() {
  const notebook = new Notebook();
  notebook.add({ title: "welcome", body: "Notes live in memory until the server stops.", tags: ["help"] });
  return { notebook };
}

/** Runs once when the server closes (examples/multi's src/main.ts closes it on SIGTERM). */
export async function stop(app: Awaited<ReturnType<typeof start>>): Promise<void> {
  app.notebook.close();
  process.stderr.write(`notes: stopped with ${app.notebook.all().length} note(s)\n`);
}
