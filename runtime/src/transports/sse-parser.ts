/**
 * An incremental Server-Sent Events parser that follows the WHATWG EventSource
 * parsing rules (html.spec.whatwg.org, "Parsing an event stream"), with no
 * dependencies, so it runs anywhere `TextDecoder` and `ReadableStream` exist.
 */

/** One dispatched event. */
export interface SseEvent {
  /** The event type; `message` when the block had no `event:` field. */
  event: string;
  /** The `data:` lines joined with `\n` (possibly empty: MCP's priming events). */
  data: string;
  /** The last event ID in effect when this event was dispatched (it persists across events). */
  id: string;
  /** The reconnection time (ms) the stream last asked for, if it ever did. */
  retry?: number;
}

const LF = 10;
const CR = 13;

/**
 * Feed it decoded text in chunks of any size; it calls `onEvent` for each complete
 * event. Lines are found by scanning only the new chunk, so a huge `data:` line
 * that arrives in many pieces costs one join, not a rescan per piece.
 */
export class SseParser {
  /** The last event ID string: updated when an event block ends, as EventSource does. */
  lastEventId = "";
  /** The last valid `retry:` value (ms). */
  retry?: number;

  private idBuffer = "";
  private data = "";
  private hasData = false;
  private eventType = "";
  /** The incomplete line so far. */
  private pieces: string[] = [];
  /** The previous chunk ended in CR: a leading LF in the next one belongs to it. */
  private afterCR = false;
  private started = false;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  /** Seeds the IDs of a reconnected stream (EventSource keeps them across connections). */
  resume(lastEventId: string, retry?: number): this {
    this.lastEventId = this.idBuffer = lastEventId;
    this.retry = retry;
    return this;
  }

  feed(chunk: string): void {
    const n = chunk.length;
    let pos = 0;
    if (n === 0) return;
    if (!this.started) {
      this.started = true;
      // One leading BOM is not part of the stream.
      if (chunk.charCodeAt(0) === 0xfeff) pos = 1;
    }
    if (this.afterCR) {
      this.afterCR = false;
      if (chunk.charCodeAt(pos) === LF) pos++;
    }
    // Positions of the next CR and LF, recomputed only once passed: no rescans.
    let nextLf = chunk.indexOf("\n", pos);
    let nextCr = chunk.indexOf("\r", pos);
    while (pos < n) {
      if (nextLf !== -1 && nextLf < pos) nextLf = chunk.indexOf("\n", pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = chunk.indexOf("\r", pos);
      const end = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
      if (end === -1) break;
      let line = chunk.slice(pos, end);
      if (this.pieces.length > 0) {
        this.pieces.push(line);
        line = this.pieces.join("");
        this.pieces.length = 0;
      }
      pos = end + 1;
      if (chunk.charCodeAt(end) === CR) {
        if (pos === n) this.afterCR = true;
        else if (chunk.charCodeAt(pos) === LF) pos++;
      }
      this.line(line);
    }
    if (pos < n) this.pieces.push(chunk.slice(pos));
  }

  /** End of stream: an event without its closing blank line is discarded (WHATWG). */
  end(): void {
    this.pieces.length = 0;
    this.data = "";
    this.hasData = false;
    this.eventType = "";
    this.afterCR = false;
  }

  private line(line: string): void {
    if (line.length === 0) return this.dispatch();
    const colon = line.indexOf(":");
    if (colon === 0) return; // a comment (servers send `:` lines as keep-alives)
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = "";
    } else {
      field = line.slice(0, colon);
      // Exactly one space after the colon is dropped.
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case "data":
        // Joined lazily: "\n" goes between lines, never after the last one.
        this.data = this.hasData ? this.data + "\n" + value : value;
        this.hasData = true;
        break;
      case "event":
        this.eventType = value;
        break;
      case "id":
        if (!value.includes("\0")) this.idBuffer = value;
        break;
      case "retry":
        if (/^[0-9]+$/.test(value)) this.retry = parseInt(value, 10);
        break;
      // Any other field is ignored.
    }
  }

  private dispatch(): void {
    this.lastEventId = this.idBuffer;
    if (!this.hasData) {
      // A block without data lines is not an event (but its id still counts).
      this.eventType = "";
      return;
    }
    const event: SseEvent = { event: this.eventType || "message", data: this.data, id: this.lastEventId };
    if (this.retry !== undefined) event.retry = this.retry;
    this.data = "";
    this.hasData = false;
    this.eventType = "";
    this.onEvent(event);
  }
}

/**
 * Feeds a byte stream through `parser` until it ends. Resolves at end of stream and
 * rejects if reading fails (a dropped connection, an aborted fetch).
 */
export async function pumpSse(stream: ReadableStream<Uint8Array>, parser: SseParser, signal?: AbortSignal): Promise<void> {
  // ignoreBOM: the parser strips the one leading BOM itself, exactly once.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const reader = stream.getReader();
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => {});
  if (signal?.aborted) onAbort();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    signal?.throwIfAborted();
    parser.feed(decoder.decode());
    parser.end();
  } finally {
    signal?.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
}

/** Iterates the events of an SSE byte stream; breaking out of the loop cancels the stream. */
export async function* readSseEvents(stream: ReadableStream<Uint8Array>, options: { signal?: AbortSignal } = {}): AsyncGenerator<SseEvent, void, undefined> {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const queue: SseEvent[] = [];
  const parser = new SseParser((event) => queue.push(event));
  const reader = stream.getReader();
  const signal = options.signal;
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => {});
  if (signal?.aborted) onAbort();
  signal?.addEventListener("abort", onAbort, { once: true });
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      if (queue.length > 0) yield* queue.splice(0);
    }
    signal?.throwIfAborted();
    parser.feed(decoder.decode());
    parser.end();
    finished = true;
    yield* queue.splice(0);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // The consumer stopped early: tell the producer nobody is listening.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
