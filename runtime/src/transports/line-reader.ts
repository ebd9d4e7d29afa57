import type { TransportSink } from "../protocol/transport.js";

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into newline-delimited JSON messages. Chunks are kept as
 * buffers until a newline arrives, so a large message costs one concat, not one per
 * chunk. A line longer than `maxBytes` is dropped (reported once) and reading resumes
 * at the next newline: one bad frame never kills the connection.
 */
export class LineReader {
  private chunks: Buffer[] = [];
  private size = 0;
  private discarding = false;

  constructor(
    private readonly sink: TransportSink,
    private readonly maxBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(NEWLINE);
    while (nl !== -1) {
      if (this.discarding) {
        this.discarding = false;
      } else if (this.size + (nl - start) > this.maxBytes) {
        this.reportOversized();
      } else {
        let line: Buffer;
        if (this.size === 0) line = chunk.subarray(start, nl);
        else {
          this.chunks.push(chunk.subarray(start, nl));
          line = Buffer.concat(this.chunks, this.size + (nl - start));
        }
        this.emit(line);
      }
      this.chunks = [];
      this.size = 0;
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length && !this.discarding) {
      const rest = chunk.subarray(start);
      if (this.size + rest.length > this.maxBytes) {
        this.reportOversized();
        this.discarding = true;
        this.chunks = [];
        this.size = 0;
      } else {
        this.chunks.push(rest);
        this.size += rest.length;
      }
    }
  }

  private reportOversized(): void {
    this.sink.invalidFrame?.(`message larger than ${this.maxBytes} bytes`);
  }

  private emit(line: Buffer): void {
    let text = line.toString("utf8");
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.sink.parseError("invalid JSON");
      return;
    }
    this.sink.message(value);
  }
}
