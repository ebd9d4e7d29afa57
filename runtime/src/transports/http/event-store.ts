import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";

export type StoredMessage = JsonRpcMessage | JsonRpcMessage[];

/**
 * Where SSE events wait for a client that reconnects (`GET` + `Last-Event-ID`).
 * Stream ids are `<sessionId>.<n>` and event ids `<streamId>.<seq>`, so an id names
 * its stream and session; implement this over Redis or a database to let a client
 * resume on another replica.
 */
export interface EventStore {
  /** Stores one event (`null`: a priming event with no data) and returns its id. */
  append(streamId: string, message: StoredMessage | null): string | Promise<string>;
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
  /** Streams kept per session; the least recently written is dropped first (default 64). */
  maxStreamsPerSession?: number;
}

interface StreamLog {
  nextSeq: number;
  events: { seq: number; message: StoredMessage | null }[];
}

/**
 * The default store: bounded per stream and per session, and emptied when a session
 * ends, so memory depends on how many sessions are open, never on how many requests
 * they made.
 */
export class MemoryEventStore implements EventStore {
  private readonly sessions = new Map<string, Map<string, StreamLog>>();
  private readonly maxEvents: number;
  private readonly maxStreams: number;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.maxEvents = options.maxEventsPerStream ?? 1000;
    this.maxStreams = options.maxStreamsPerSession ?? 64;
  }

  append(streamId: string, message: StoredMessage | null): string {
    const sessionId = sessionIdOfStream(streamId);
    let streams = this.sessions.get(sessionId);
    if (!streams) this.sessions.set(sessionId, (streams = new Map()));
    let log = streams.get(streamId);
    if (log) {
      // Re-insert so the Map's order is least recently written first.
      streams.delete(streamId);
    } else {
      log = { nextSeq: 1, events: [] };
      if (streams.size >= this.maxStreams) streams.delete(streams.keys().next().value!);
    }
    streams.set(streamId, log);
    const seq = log.nextSeq++;
    log.events.push({ seq, message });
    if (log.events.length > this.maxEvents) log.events.splice(0, log.events.length - this.maxEvents);
    return `${streamId}.${seq}`;
  }

  replayAfter(lastEventId: string, send: (eventId: string, message: StoredMessage) => void): string | undefined {
    const streamId = streamIdOfEvent(lastEventId);
    const log = this.sessions.get(sessionIdOfStream(streamId))?.get(streamId);
    const lastSeq = Number(lastEventId.slice(streamId.length + 1));
    if (!log || !Number.isInteger(lastSeq) || lastSeq < 0 || lastSeq >= log.nextSeq) return undefined;
    // Some events after it were dropped (the stream is over its cap): a replay would skip them.
    if (log.events.length > 0 && log.events[0]!.seq > lastSeq + 1) return undefined;
    for (const e of log.events) if (e.seq > lastSeq && e.message !== null) send(`${streamId}.${e.seq}`, e.message);
    return streamId;
  }

  dropSession(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  /** Streams held, for tests and metrics. */
  get streamCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.size;
    return n;
  }
}
