import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";

export type StoredMessage = JsonRpcMessage | JsonRpcMessage[];

/**
 * Where SSE events wait for a client that reconnects (`GET` + `Last-Event-ID`).
 * Stream ids are `<sessionId>.<n>` and event ids `<streamId>.<seq>`, so an id names
 * its stream and session; implement this over Redis or a database to let a client
 * resume on another replica.
 */
export interface EventStore {
  /**
   * Stores one event (`null`: a priming event with no data) and returns its id. `json` is
   * the message already serialized, when the caller has it (a store may keep the text
   * rather than the object).
   */
  append(streamId: string, message: StoredMessage | null, json?: string): string | Promise<string>;
  /**
   * Sends every event after `lastEventId` on its stream, in order, and returns the
   * stream id; undefined when the id is unknown or expired.
   */
  replayAfter(
    lastEventId: string,
    send: (eventId: string, message: StoredMessage) => void,
  ): string | undefined | Promise<string | undefined>;
  /** Forgets a session's streams (it ended). */
  dropSession(sessionId: string): void | Promise<void>;
}

export function streamIdOfEvent(eventId: string): string {
  return eventId.slice(0, eventId.lastIndexOf("."));
}

export function sessionIdOfStream(streamId: string): string {
  const dot = streamId.indexOf(".");
  return dot < 0 ? streamId : streamId.slice(0, dot);
}

export interface MemoryEventStoreOptions {
  /** Events kept per stream; older ones are dropped first (default 1000). */
  maxEventsPerStream?: number;
  /** Bytes of events kept per stream; older ones are dropped first (default 4 MiB). */
  maxBytesPerStream?: number;
  /** Streams kept per session; the least recently written is dropped first (default 64). */
  maxStreamsPerSession?: number;
  /** Bytes of events kept per session; the least recently written stream loses its oldest first (default 8 MiB). */
  maxBytesPerSession?: number;
  /** Bytes of events kept in all; the least recently written stream of any session loses its oldest first (default 64 MiB). */
  maxBytes?: number;
}

export const EVENT_STORE_DEFAULTS = {
  maxEventsPerStream: 1000,
  maxBytesPerStream: 4 * 1024 * 1024,
  maxStreamsPerSession: 64,
  maxBytesPerSession: 8 * 1024 * 1024,
  maxBytes: 64 * 1024 * 1024,
} as const;

interface StoredEvent {
  seq: number;
  /**
   * The message as JSON (null: a priming event, or dropped). Text, not the message
   * object: a string is one flat allocation the garbage collector never has to walk,
   * where a reply's object tree is dozens, and a replay sends JSON anyway.
   */
  json: string | null;
  /** Its serialized size (the JSON a replay sends), counted against the byte limits. */
  bytes: number;
}

interface StreamLog {
  id: string;
  session: SessionLog;
  nextSeq: number;
  /** Events from `head` on are kept; dropped ones before it are compacted away now and then. */
  events: StoredEvent[];
  head: number;
  bytes: number;
  /** The newest seq dropped (0: none): a replay from before it would have a gap. */
  droppedThrough: number;
}

interface SessionLog {
  /** The stream written last (the end of `streams`), or undefined once it was removed. */
  newest?: StreamLog;
  /** Least recently written first. */
  streams: Map<string, StreamLog>;
  bytes: number;
  /**
   * The GET stream's (`<session>.0`) last seq when it was dropped (maxStreamsPerSession):
   * written again, it goes on from there, so it never reissues an id a client holds, and a
   * resume from before the drop is a gap. (Call streams are never written again.)
   */
  standaloneDroppedAt?: number;
}

/** Fixed cost counted per event besides its JSON (ids, array slot, object). */
const EVENT_OVERHEAD = 64;

/**
 * The default store: bounded in events and bytes per stream, per session and in all,
 * and emptied when a session ends, so memory depends on neither how many requests
 * sessions made nor how large their replies were. Past a limit the oldest events go
 * first; a client that resumes after an event that was dropped is told so (the
 * handler answers its GET with 404) instead of getting a replay with a gap.
 */
export class MemoryEventStore implements EventStore {
  private readonly sessions = new Map<string, SessionLog>();
  /** Every stream, least recently written first (what the total byte limit trims). */
  private readonly streams = new Map<string, StreamLog>();
  /** The stream written last (the end of `streams`), or undefined once it was removed. */
  private newest?: StreamLog;
  private readonly limits: Required<MemoryEventStoreOptions>;
  private totalBytes = 0;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.limits = { ...EVENT_STORE_DEFAULTS };
    for (const [k, v] of Object.entries(options)) if (v !== undefined) (this.limits as Record<string, number>)[k] = v;
  }

  append(streamId: string, message: StoredMessage | null, json?: string): string {
    // The stream first: its id is the caller's same string each time (its hash is kept),
    // where the session id would be a new substring to hash on every event. A stream
    // emptied by the limits has left `streams` but is still its session's.
    let log = this.streams.get(streamId);
    let session = log?.session;
    if (!session) {
      const sessionId = sessionIdOfStream(streamId);
      session = this.sessions.get(sessionId);
      if (!session) this.sessions.set(sessionId, (session = { streams: new Map(), bytes: 0 }));
      log = session.streams.get(streamId);
    }
    if (!log) {
      // The GET stream written again after it was dropped goes on from where it was.
      const droppedThrough = streamId.endsWith(".0") ? (session.standaloneDroppedAt ?? 0) : 0;
      log = { id: streamId, session, nextSeq: droppedThrough + 1, events: [], head: 0, bytes: 0, droppedThrough };
      if (session.streams.size >= this.limits.maxStreamsPerSession) this.dropStream(session.streams.values().next().value!);
    }
    // Move it to the end of both orders (least recently written first), unless it is there
    // already: a delete and an insert per event were most of what storing one cost.
    if (session.newest !== log) {
      session.streams.delete(streamId);
      session.streams.set(streamId, log);
      session.newest = log;
    }
    if (this.newest !== log) {
      this.streams.delete(streamId);
      this.streams.set(streamId, log);
      this.newest = log;
    }
    const seq = log.nextSeq++;
    const text = message === null ? null : (json ?? JSON.stringify(message));
    const bytes = (text === null ? 0 : text.length) + EVENT_OVERHEAD;
    // An event larger than a stream may hold is sent live but never kept (its seq is
    // used, so a client resuming before it is told it is gone).
    if (bytes > this.limits.maxBytesPerStream || bytes > this.limits.maxBytesPerSession || bytes > this.limits.maxBytes) {
      log.droppedThrough = seq;
      return `${streamId}.${seq}`;
    }
    log.events.push({ seq, json: text, bytes });
    this.count(log, bytes);
    this.trim(log);
    return `${streamId}.${seq}`;
  }

  /** Drops the oldest events until every limit holds again. */
  private trim(log: StreamLog): void {
    const l = this.limits;
    while (log.events.length - log.head > l.maxEventsPerStream || log.bytes > l.maxBytesPerStream) this.dropOldest(log, 1);
    // The limits first: looking for the oldest stream costs an iterator and a scan, which
    // every event paid when this was evaluated before the byte check.
    while (log.session.bytes > l.maxBytesPerSession) {
      const s = this.oldestNonEmpty(log.session.streams.values());
      if (!s) break;
      this.dropOldest(s, 1);
    }
    while (this.totalBytes > l.maxBytes) {
      const s = this.oldestNonEmpty(this.streams.values());
      if (!s) break;
      this.dropOldest(s, 1);
    }
  }

  private oldestNonEmpty(streams: Iterable<StreamLog>): StreamLog | undefined {
    for (const s of streams) if (s.events.length > s.head) return s;
    return undefined;
  }

  private dropOldest(log: StreamLog, n: number): void {
    for (let i = 0; i < n && log.head < log.events.length; i++) {
      const e = log.events[log.head]!;
      // Left in place as a tombstone until compaction: its seq says where the gap ends.
      // Let go of the message now; the slot goes at the next compaction.
      e.json = null;
      log.head++;
      // Never lower: a newer event may have been dropped already (one too large to keep).
      log.droppedThrough = Math.max(log.droppedThrough, e.seq);
      this.count(log, -e.bytes);
    }
    // An emptied stream leaves the order the total limit scans (it re-enters when written).
    if (log.head === log.events.length) this.forget(log);
    // Compact once half the array is dropped events: amortised O(1) per drop.
    if (log.head > 32 && log.head * 2 > log.events.length) {
      log.events = log.events.slice(log.head);
      log.head = 0;
    }
  }

  private count(log: StreamLog, bytes: number): void {
    log.bytes += bytes;
    log.session.bytes += bytes;
    this.totalBytes += bytes;
  }

  private dropStream(log: StreamLog): void {
    if (log.id.endsWith(".0")) log.session.standaloneDroppedAt = log.nextSeq - 1;
    this.count(log, -log.bytes);
    log.session.streams.delete(log.id);
    if (log.session.newest === log) log.session.newest = undefined;
    this.forget(log);
  }

  /** Takes a stream out of the order the total limit scans. */
  private forget(log: StreamLog): void {
    this.streams.delete(log.id);
    if (this.newest === log) this.newest = undefined;
  }

  replayAfter(lastEventId: string, send: (eventId: string, message: StoredMessage) => void): string | undefined {
    const streamId = streamIdOfEvent(lastEventId);
    const log = this.sessions.get(sessionIdOfStream(streamId))?.streams.get(streamId);
    const lastSeq = Number(lastEventId.slice(streamId.length + 1));
    if (!log || !Number.isInteger(lastSeq) || lastSeq < 0 || lastSeq >= log.nextSeq) return undefined;
    // Some events after it were dropped (a limit was reached): a replay would skip them.
    if (log.droppedThrough > lastSeq) return undefined;
    for (let i = log.head; i < log.events.length; i++) {
      const e = log.events[i]!;
      if (e.seq > lastSeq && e.json !== null) send(`${streamId}.${e.seq}`, JSON.parse(e.json) as StoredMessage);
    }
    return streamId;
  }

  dropSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    for (const log of [...session.streams.values()]) this.dropStream(log);
    this.sessions.delete(sessionId);
  }

  /** Streams held, for tests and metrics. */
  get streamCount(): number {
    return this.streams.size;
  }

  /** Bytes of events held (their JSON plus a fixed overhead each), for tests and metrics. */
  get byteCount(): number {
    return this.totalBytes;
  }
}
