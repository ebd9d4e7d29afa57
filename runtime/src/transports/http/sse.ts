import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";
import { MIN_BUFFERED_BYTES } from "../../protocol/transport.js";

const encoder = new TextEncoder();

/** One SSE `message` event; `id` is what a client sends back as `Last-Event-ID`. */
export function sseEvent(message: JsonRpcMessage | JsonRpcMessage[], id?: string, event = "message"): string {
  return sseEventOfJson(JSON.stringify(message), id, event);
}

/** The same, for a message already serialized (its size was needed first). */
export function sseEventOfJson(json: string, id?: string, event = "message"): string {
  // JSON.stringify never emits a raw newline, so the data fits on one `data:` line.
  return id === undefined ? `event: ${event}\ndata: ${json}\n\n` : `event: ${event}\nid: ${id}\ndata: ${json}\n\n`;
}

/**
 * The priming event (2025-11-25): an id and empty data, so a client that loses the
 * stream before any message can still resume; `retry` says how long to wait first.
 */
export function primingEvent(id: string, retryMs?: number): string {
  return retryMs === undefined ? `id: ${id}\ndata: \n\n` : `id: ${id}\nretry: ${retryMs}\ndata: \n\n`;
}

export const SSE_HEADERS: Record<string, string> = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  // Tells nginx and similar proxies not to buffer the stream.
  "x-accel-buffering": "no",
};

/** Where the node adapter has an SSE body's text go: straight to the socket. */
export interface SseSink {
  write(text: string): void;
  end(): void;
  /** Bytes written but not yet taken by the socket. */
  buffered?(): number;
  /** Calls `listener` once the socket took what was buffered (or closed). */
  onDrain?(listener: () => void): void;
  /** Drops the connection and what it buffered (a reader too slow to keep). */
  destroy?(): void;
}

/**
 * Above this many unsent bytes a stream is congested: senders that await `capacity()`
 * wait until the client has read most of it (default 1 MiB).
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

export interface SseWriterLimits {
  /** Congestion threshold (see DEFAULT_MAX_BUFFERED_BYTES). */
  maxBufferedBytes?: number;
  /**
   * A client that lets more than this pile up unread (writes nobody waited for: replies,
   * server-wide notifications) is cut off, so it cannot make the server hold its output;
   * it reconnects with `Last-Event-ID` and gets what it missed from the event store.
   * Undefined: never cut off (streams with no event store to resume from).
   */
  maxUnreadBytes?: number;
}

/**
 * The writing end of one SSE response body. Writes after the client went away are
 * dropped (the event store keeps what must survive); `onCancel` fires once when the
 * client disconnects, never when we close it ourselves.
 *
 * The body is built on demand: the node adapter `attach`es a sink and the text goes
 * to the socket as it is written, with no stream, reader or encoding in between; any
 * other consumer reads `body`, a ReadableStream. What is written before either is
 * queued.
 */
export class SseWriter {
  private stream?: ReadableStream<Uint8Array>;
  private controller?: ReadableStreamDefaultController<Uint8Array>;
  private sink?: SseSink;
  private queued: string[] = [];
  private open = true;
  private cancelled = false;
  private keepAlive?: KeepAliveGroup;
  private cancelListener?: () => void;
  /** While a resumed stream replays, live events wait here (see `hold`). */
  private held?: { id: string | undefined; text: string }[];
  /** Characters in `queued` and in `held` (a cheap stand-in for their bytes). */
  private queuedBytes = 0;
  private heldBytes = 0;
  private readonly maxBuffered: number;
  private readonly maxUnread?: number;
  /** Senders waiting for the client to read (see `capacity`). */
  private waiters: (() => void)[] = [];
  private drainHooked = false;

  constructor(keepAliveMs?: number, limits: SseWriterLimits = {}) {
    this.maxBuffered = Math.max(limits.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES, MIN_BUFFERED_BYTES);
    this.maxUnread = limits.maxUnreadBytes;
    if (keepAliveMs && keepAliveMs > 0) {
      this.keepAlive = keepAliveGroup(keepAliveMs);
      this.keepAlive.writers.add(this);
    }
  }

  /** The body as a ReadableStream (for consumers of Web Responses). */
  get body(): ReadableStream<Uint8Array> {
    this.stream ??= new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          if (this.sink) {
            controller.close();
            return;
          }
          this.controller = controller;
          this.queuedBytes = 0;
          for (const text of this.queued.splice(0)) controller.enqueue(encoder.encode(text));
          if (!this.open) controller.close();
        },
        // The reader wants more: whoever waited for room may write again.
        pull: () => this.wake(),
        cancel: () => this.cancel(),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: this.maxBuffered }),
    );
    return this.stream;
  }

  /** Bytes written and not yet taken by the client (its socket, or the body's reader). */
  get buffered(): number {
    let n = this.heldBytes;
    if (this.sink) n += this.sink.buffered?.() ?? 0;
    else if (this.controller) n += Math.max(0, this.maxBuffered - (this.controller.desiredSize ?? this.maxBuffered));
    else n += this.queuedBytes;
    return n;
  }

  /**
   * Undefined while the stream can take more; else a promise that resolves once the
   * client has read enough (or the stream ended). Senders that can wait (`ctx.log`,
   * `ctx.progress`, notifications) await it, so a flood is slowed to the client's pace
   * instead of piling up in memory.
   */
  capacity(): Promise<void> | undefined {
    if (!this.open || this.buffered <= this.maxBuffered) return undefined;
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.hookDrain();
    });
  }

  private hookDrain(): void {
    if (this.sink && !this.sink.onDrain) {
      // A sink that cannot say when it drained: nothing to wait for.
      for (const resolve of this.waiters.splice(0)) resolve();
      return;
    }
    if (!this.sink?.onDrain || this.drainHooked) return;
    this.drainHooked = true;
    this.sink.onDrain(() => {
      this.drainHooked = false;
      this.wake();
    });
  }

  /** Lets every waiting sender go on (they check again on their next write). */
  private wake(): void {
    if (this.waiters.length === 0) return;
    if (this.open && this.buffered > this.maxBuffered) {
      this.hookDrain();
      return;
    }
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Sends the body to `sink` instead of a stream; false if a stream already has it. */
  attach(sink: SseSink): boolean {
    if (this.stream) return false;
    this.sink = sink;
    const queued = this.queued.splice(0);
    this.queuedBytes = 0;
    if (this.cancelled) return true;
    for (const text of queued) sink.write(text);
    if (!this.open) sink.end();
    else this.wake();
    return true;
  }

  /** The client went away. */
  cancel(): void {
    if (!this.open) return;
    this.cancelled = true;
    this.queued = [];
    this.queuedBytes = 0;
    this.held = undefined;
    this.heldBytes = 0;
    this.stop();
    this.cancelListener?.();
  }

  get isOpen(): boolean {
    return this.open;
  }

  onCancel(listener: () => void): void {
    this.cancelListener = listener;
  }

  write(text: string): boolean {
    if (!this.open) return false;
    // Only what the client had the chance to read counts (not a replay still being queued).
    if (this.maxUnread !== undefined && (this.sink || this.controller) && this.buffered > this.maxUnread) {
      this.cutOff();
      return false;
    }
    if (this.sink) {
      this.sink.write(text);
    } else if (this.controller) {
      try {
        this.controller.enqueue(encoder.encode(text));
      } catch {
        this.stop();
        return false;
      }
    } else {
      this.queued.push(text);
      this.queuedBytes += text.length;
    }
    return true;
  }

  /** A reader that let too much pile up: its connection goes, with what it buffered. */
  private cutOff(): void {
    if (this.sink?.destroy) {
      this.sink.destroy();
      this.cancel();
      return;
    }
    this.queued = [];
    this.queuedBytes = 0;
    if (this.controller) {
      try {
        this.controller.error(new Error("The client read too slowly"));
      } catch {
        // Already closed.
      }
    }
    this.cancel();
  }

  /** Writes one event, or queues it while the stream is held for a replay. */
  writeEvent(text: string, eventId?: string): void {
    if (this.held) {
      this.held.push({ id: eventId, text });
      this.heldBytes += text.length;
    } else {
      this.write(text);
    }
  }

  /**
   * Queues live events while stored ones are replayed, so an event sent during the
   * replay is written once, in order, whether or not the replay already included it.
   */
  hold(): void {
    this.held ??= [];
  }

  release(replayed: ReadonlySet<string>): void {
    const held = this.held ?? [];
    this.held = undefined;
    this.heldBytes = 0;
    for (const e of held) if (e.id === undefined || !replayed.has(e.id)) this.write(e.text);
  }

  /** Ends the response; the client sees the stream finish. */
  close(): void {
    if (!this.open) return;
    this.stop();
    if (this.sink) {
      this.sink.end();
    } else if (this.controller) {
      try {
        this.controller.close();
      } catch {
        // Already errored or cancelled.
      }
    }
    // Otherwise the queue is written, then ended, once the body is taken.
  }

  private stop(): void {
    this.open = false;
    this.keepAlive?.remove(this);
    if (this.waiters.length > 0) for (const resolve of this.waiters.splice(0)) resolve();
  }
}

/**
 * Keep-alive comments for every open stream with the same interval, from one timer. A
 * comment line keeps idle proxies and load balancers from cutting a stream. One timer
 * per stream cost a timer-list insert and removal on every POST answered over SSE, most
 * of which end within a millisecond. A stream's first comment may come sooner than the
 * interval (the timer's phase is shared), never later. A group's timer stays (unref'd)
 * once its last stream ends: streams come and go all the time, and a timer per distinct
 * interval is all it ever holds.
 */
interface KeepAliveGroup {
  writers: Set<SseWriter>;
  remove(writer: SseWriter): void;
}

const keepAliveGroups = new Map<number, KeepAliveGroup>();

function keepAliveGroup(ms: number): KeepAliveGroup {
  let group = keepAliveGroups.get(ms);
  if (group) return group;
  const writers = new Set<SseWriter>();
  const timer = setInterval(() => {
    for (const w of writers) w.write(": keep-alive\n\n");
  }, ms);
  (timer as { unref?: () => void }).unref?.();
  group = {
    writers,
    remove(writer) {
      writers.delete(writer);
    },
  };
  keepAliveGroups.set(ms, group);
  return group;
}
