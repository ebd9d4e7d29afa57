import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";

const encoder = new TextEncoder();

/** One SSE `message` event; `id` is what a client sends back as `Last-Event-ID`. */
export function sseEvent(message: JsonRpcMessage | JsonRpcMessage[], id?: string, event = "message"): string {
  // JSON.stringify never emits a raw newline, so the data fits on one `data:` line.
  return id === undefined ? `event: ${event}\ndata: ${JSON.stringify(message)}\n\n` : `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(message)}\n\n`;
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
  private keepAlive?: ReturnType<typeof setInterval>;
  private cancelListener?: () => void;
  /** While a resumed stream replays, live events wait here (see `hold`). */
  private held?: { id: string | undefined; text: string }[];

  constructor(keepAliveMs?: number) {
    if (keepAliveMs && keepAliveMs > 0) {
      // A comment line keeps idle proxies and load balancers from cutting the stream.
      this.keepAlive = setInterval(() => this.write(": keep-alive\n\n"), keepAliveMs);
      (this.keepAlive as { unref?: () => void }).unref?.();
    }
  }

  /** The body as a ReadableStream (for consumers of Web Responses). */
  get body(): ReadableStream<Uint8Array> {
    this.stream ??= new ReadableStream<Uint8Array>({
      start: (controller) => {
        if (this.sink) {
          controller.close();
          return;
        }
        this.controller = controller;
        for (const text of this.queued.splice(0)) controller.enqueue(encoder.encode(text));
        if (!this.open) controller.close();
      },
      cancel: () => this.cancel(),
    });
    return this.stream;
  }

  /** Sends the body to `sink` instead of a stream; false if a stream already has it. */
  attach(sink: SseSink): boolean {
    if (this.stream) return false;
    this.sink = sink;
    const queued = this.queued.splice(0);
    if (this.cancelled) return true;
    for (const text of queued) sink.write(text);
    if (!this.open) sink.end();
    return true;
  }

  /** The client went away. */
  cancel(): void {
    if (!this.open) return;
    this.cancelled = true;
    this.queued = [];
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
    }
    return true;
  }

  /** Writes one event, or queues it while the stream is held for a replay. */
  writeEvent(text: string, eventId?: string): void {
    if (this.held) this.held.push({ id: eventId, text });
    else this.write(text);
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
    if (this.keepAlive) clearInterval(this.keepAlive);
  }
}
