import { readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import { join } from "node:path";

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Watches folders with one fs.watch per folder (recursive folders get one per subfolder,
 * and new subfolders are picked up), which behaves the same on every platform and Node
 * version. Reports the path of every entry that changed; deciding whether the change
 * matters (and whether the content really changed) is the caller's.
 */
export class DirWatcher {
  private readonly watchers = new Map<string, { watcher: FSWatcher; recursive: boolean }>();
  private closed = false;

  constructor(
    private readonly onPath: (abs: string) => void,
    private readonly skipDir: (abs: string) => boolean,
  ) {}

  /** Starts watching `dir` (and, when `recursive`, every folder below it). Idempotent. */
  watch(dir: string, recursive: boolean): void {
    if (this.closed || this.skipDir(dir) || !isDir(dir)) return;
    const known = this.watchers.get(dir);
    if (known) {
      if (!recursive || known.recursive) return;
      known.recursive = true;
    } else {
      let watcher: FSWatcher;
      try {
        watcher = watch(dir, (_event, filename) => this.event(dir, filename));
      } catch {
        return;
      }
      // A folder that goes away ends its watcher.
      watcher.on("error", () => {
        watcher.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, { watcher, recursive });
    }
    if (recursive) {
      for (const e of safeReaddir(dir)) if (e.isDirectory()) this.watch(join(dir, e.name), true);
    }
  }

  /** Every folder watched now (for tests and messages). */
  get folders(): string[] {
    return [...this.watchers.keys()].sort();
  }

  close(): void {
    this.closed = true;
    for (const { watcher } of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private event(dir: string, filename: string | Buffer | null): void {
    if (this.closed) return;
    if (filename === null) {
      // Some platforms do not say which entry changed: report the folder.
      this.onPath(dir);
      return;
    }
    const abs = join(dir, filename.toString());
    if (this.watchers.get(dir)?.recursive && isDir(abs) && !this.watchers.has(abs)) {
      // A new folder (created, or moved in with files): watch it and report what it holds.
      this.watch(abs, true);
      for (const f of filesUnder(abs, this.skipDir)) this.onPath(f);
    }
    this.onPath(abs);
  }
}

function safeReaddir(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Every file under `dir`, skipping folders `skipDir` names. */
export function filesUnder(dir: string, skipDir: (abs: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (skipDir(d)) return;
    for (const e of safeReaddir(d)) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}
