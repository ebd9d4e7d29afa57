import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { TokenStorage } from "./storage.js";
import type { OAuthClientInformation, StoredTokens } from "./types.js";

interface FileContents {
  tokens: Record<string, StoredTokens>;
  clients: Record<string, OAuthClientInformation>;
}

/**
 * A TokenStorage in one JSON file (Node only), readable by its owner alone (mode 0600).
 * Every change rewrites the file through a temporary file and a rename, so a crash never
 * leaves half of it. Writes from one instance are serialised; two processes sharing a
 * file each keep the last word for what they wrote.
 */
export class FileTokenStorage implements TokenStorage {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  private async read(): Promise<FileContents> {
    try {
      const v = JSON.parse(await readFile(this.path, "utf8")) as Partial<FileContents>;
      return { tokens: v.tokens ?? {}, clients: v.clients ?? {} };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { tokens: {}, clients: {} };
      throw error;
    }
  }

  private update(change: (c: FileContents) => void): Promise<void> {
    const run = this.queue.then(async () => {
      const contents = await this.read();
      change(contents);
      await mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(contents, null, 2) + "\n", { mode: 0o600 });
      await rename(tmp, this.path);
    });
    this.queue = run.catch(() => {});
    return run;
  }

  async getTokens(resource: string): Promise<StoredTokens | undefined> {
    await this.queue;
    return (await this.read()).tokens[resource];
  }
  setTokens(resource: string, tokens: StoredTokens | undefined): Promise<void> {
    return this.update((c) => {
      if (tokens) c.tokens[resource] = tokens;
      else delete c.tokens[resource];
    });
  }
  async getClient(issuer: string): Promise<OAuthClientInformation | undefined> {
    await this.queue;
    return (await this.read()).clients[issuer];
  }
  setClient(issuer: string, client: OAuthClientInformation | undefined): Promise<void> {
    return this.update((c) => {
      if (client) c.clients[issuer] = client;
      else delete c.clients[issuer];
    });
  }
}
