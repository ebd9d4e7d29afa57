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
  /**
   * Ids of the sessions stored and not expired; with `subscribedTo`, only those subscribed
   * to that URI. Optional: handlers serving one session set over several nodes (the
   * `cluster` option) use it to deliver server-wide notifications to every session once.
   */
  sessionIds?(subscribedTo?: string): Iterable<string> | Promise<Iterable<string>>;
}

export interface MemorySessionStoreOptions {
  /** Records idle longer than this expire (default 30 minutes). */
  ttlMs?: number;
  /** Most records kept; the least recently active is dropped beyond it (default 10,000). */
  maxRecords?: number;
  /** Bytes of records kept (their JSON); the least recently active go first beyond it (default 32 MiB). */
  maxBytes?: number;
  /** A record larger than this is not kept (its session cannot be resumed elsewhere; default 64 KiB). */
  maxRecordBytes?: number;
}

export const SESSION_STORE_DEFAULTS = { ttlMs: 30 * 60_000, maxRecords: 10_000, maxBytes: 32 * 1024 * 1024, maxRecordBytes: 64 * 1024 } as const;

/** The default store: in-process, with idle expiry and caps in records and bytes. */
export class MemorySessionStore implements SessionStore {
  private readonly records = new Map<string, { record: SessionRecord; bytes: number }>();
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly maxBytes: number;
  private readonly maxRecordBytes: number;
  private bytes = 0;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? SESSION_STORE_DEFAULTS.ttlMs;
    this.max = options.maxRecords ?? SESSION_STORE_DEFAULTS.maxRecords;
    this.maxBytes = options.maxBytes ?? SESSION_STORE_DEFAULTS.maxBytes;
    this.maxRecordBytes = options.maxRecordBytes ?? SESSION_STORE_DEFAULTS.maxRecordBytes;
  }

  get(id: string): SessionRecord | undefined {
    const r = this.records.get(id);
    if (r && Date.now() - r.record.lastActiveAt > this.ttlMs) {
      this.delete(id);
      return undefined;
    }
    return r?.record;
  }

  set(record: SessionRecord): void {
    // Re-insert so the Map's order is least recently active first.
    this.delete(record.id);
    // Records are written on state changes and now and then, not per request: sizing them is cheap.
    const bytes = JSON.stringify(record).length;
    if (bytes > this.maxRecordBytes) return;
    this.records.set(record.id, { record, bytes });
    this.bytes += bytes;
    while (this.records.size > this.max || this.bytes > this.maxBytes) this.delete(this.records.keys().next().value!);
  }

  sessionIds(subscribedTo?: string): string[] {
    const now = Date.now();
    const ids: string[] = [];
    for (const { record } of this.records.values()) {
      if (now - record.lastActiveAt > this.ttlMs) continue;
      if (subscribedTo === undefined || record.state.subscriptions?.includes(subscribedTo)) ids.push(record.id);
    }
    return ids;
  }

  delete(id: string): void {
    const r = this.records.get(id);
    if (!r) return;
    this.records.delete(id);
    this.bytes -= r.bytes;
  }

  get size(): number {
    return this.records.size;
  }

  /** Bytes of records held (their JSON), for tests and metrics. */
  get byteCount(): number {
    return this.bytes;
  }
}
