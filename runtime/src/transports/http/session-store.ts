import type { SessionState } from "../../server/session.js";

/** What a session store keeps per session: enough to resume it in another process. */
export interface SessionRecord {
  id: string;
  state: SessionState;
  createdAt: number;
  lastActiveAt: number;
  /** With auth: who opened the session (issuer and subject); others cannot use it. */
  owner?: string;
}

/**
 * Persists session state beyond one process. The HTTP handler keeps live sessions
 * in memory; when a request names a session it does not hold (it restarted, or the
 * session began on another replica), it asks the store and resumes the session from
 * its record. Implement it over Redis or a database for multi-replica deployments.
 */
export interface SessionStore {
  get(id: string): SessionRecord | undefined | Promise<SessionRecord | undefined>;
  set(record: SessionRecord): void | Promise<void>;
  delete(id: string): void | Promise<void>;
}

export interface MemorySessionStoreOptions {
  /** Records idle longer than this expire (default 30 minutes). */
  ttlMs?: number;
  /** Most records kept; the least recently active is dropped beyond it (default 10,000). */
  maxRecords?: number;
}

/** The default store: in-process, with idle expiry and a cap. */
export class MemorySessionStore implements SessionStore {
  private readonly records = new Map<string, SessionRecord>();
  private readonly ttlMs: number;
  private readonly max: number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30 * 60_000;
    this.max = options.maxRecords ?? 10_000;
  }

  get(id: string): SessionRecord | undefined {
    const r = this.records.get(id);
    if (r && Date.now() - r.lastActiveAt > this.ttlMs) {
      this.records.delete(id);
      return undefined;
    }
    return r;
  }

  set(record: SessionRecord): void {
    // Re-insert so the Map's order is least recently active first.
    this.records.delete(record.id);
    this.records.set(record.id, record);
    while (this.records.size > this.max) this.records.delete(this.records.keys().next().value!);
  }

  delete(id: string): void {
    this.records.delete(id);
  }

  get size(): number {
    return this.records.size;
  }
}
