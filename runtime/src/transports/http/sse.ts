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

/**
 * The writing end of one SSE response body. Writes after the client went away are
 * dropped (the event store keeps what must survive); `onCancel` fires once when the
 * client disconnects, never when we close it ourselves.
 */
export class SseWriter {
  readonly body: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private open = true;
  private keepAlive?: ReturnType<typeof setInterval>;
  private cancelListener?: () => void;
  /** While a resumed stream replays, live events wait here (see `hold`). */
  private held?: { id: string | undefined; text: string }[];

  constructor(keepAliveMs?: number) {
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      cancel: () => {
        if (!this.open) return;
        this.stop();
        this.cancelListener?.();
      },
    });
    if (keepAliveMs && keepAliveMs > 0) {
      // A comment line keeps idle proxies and load balancers from cutting the stream.
      this.keepAlive = setInterval(() => this.write(": keep-alive\n\n"), keepAliveMs);
      (this.keepAlive as { unref?: () => void }).unref?.();
    }
  }

  get isOpen(): boolean {
    return this.open;
  }

  onCancel(listener: () => void): void {
    this.cancelListener = listener;
  }

  write(text: string): boolean {
    if (!this.open) return false;
    try {
      this.controller.enqueue(encoder.encode(text));
      return true;
    } catch {
      this.stop();
      return false;
    }
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
    try {
      this.controller.close();
    } catch {
      // Already errored or cancelled.
    }
  }

  private stop(): void {
    this.open = false;
    if (this.keepAlive) clearInterval(this.keepAlive);
  }
}
