import type { ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import type { JsonRpcMessage } from "../protocol/jsonrpc.js";
import { LineReader } from "./line-reader.js";
import { MIN_BUFFERED_BYTES, type Transport, type TransportSink } from "../protocol/transport.js";

/** Default frame limit: generous for embedded files, small enough to refuse abuse. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Default limit of output written but not yet read by the client (see StdioServerOptions). */
export const DEFAULT_STDIO_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Default limit of requests in flight before stdin is paused (see StdioServerOptions). */
export const DEFAULT_STDIO_MAX_INFLIGHT = 1000;

export interface StdioServerOptions {
  stdin?: Readable;
  stdout?: Writable;
  maxMessageBytes?: number;
  /**
   * Send stray writes to stdout (console.log, process.stdout.write) to stderr, so they
   * cannot corrupt the protocol stream. Default: true when using the process's stdout.
   */
  guardStdout?: boolean;
  /**
   * Output the client has not read yet, in bytes, beyond which the server stops reading
   * requests (stdin is paused until stdout drains) and notifications wait for room
   * (default 4 MiB). A client that stops reading while it keeps sending makes the
   * server hold about this much, not everything it would have answered.
   */
  maxBufferedBytes?: number;
  /**
   * Requests in flight (not counting those waiting for the client's answer to a request
   * of ours) beyond which the server stops reading until some finish (default 1000):
   * a client cannot queue more work, or more replies, than this at a time.
   */
  maxInflight?: number;
}

type WriteFn = (chunk: string, callback?: (error?: Error | null) => void) => boolean;

/**
 * Server side of stdio: newline-delimited JSON on stdin/stdout. Messages sent in one
 * turn of the event loop leave in one write (a pipe write is a system call, and
 * answers to a chunk of requests are ready together). End of input does not close the
 * session by itself: `inputEnded` resolves, and the owner lets in-flight requests
 * answer before closing (see `serveStdio`).
 */
export class StdioServerTransport implements Transport {
  readonly inputEnded: Promise<void>;
  private endInput!: () => void;
  private sink?: TransportSink;
  private readonly stdin: Readable;
  private readonly stdout: Writable;
  private readonly write: WriteFn;
  private closed = false;
  /** The reader went away (EPIPE): nothing more can be sent. */
  private outputBroken = false;
  private readonly onOutputError = () => {
    this.outputBroken = true;
    this.releaseWaiters();
    // Nobody can hear the answers any more: end the session as if input had ended.
    this.endInput();
  };
  private readonly onData = (chunk: Buffer) => {
    this.reader!.push(chunk);
    if ((this.sink?.backlog?.() ?? 0) > this.maxInflight) this.throttle();
  };
  private reader?: LineReader;
  /** Lines sent this turn, written together once the turn's other work is done. */
  private out = "";
  private readonly maxBuffered: number;
  private readonly maxInflight: number;
  /** Reading stopped: the client is not reading our output (`maxBufferedBytes`), or too much is in flight (`maxInflight`). */
  private throttled = false;
  /** Reading stopped for good (shutdown). */
  private stopped = false;
  /** Senders waiting for stdout to drain (see `send`). */
  private waiters: (() => void)[] = [];
  private drainHooked = false;
  private readonly flushOut = () => {
    const text = this.out;
    this.out = "";
    if (text === "" || this.outputBroken) return;
    this.write(text);
    if (this.unwritten > this.maxBuffered) this.throttle();
    // A stdout that took it all at once (a file, a fast pipe) never emits 'drain': go on now.
    else if (this.waiters.length > 0 || this.throttled) this.release();
  };
  private readonly onDrain = () => {
    this.drainHooked = false;
    if (this.unwritten > this.maxBuffered) {
      this.hookDrain();
      return;
    }
    this.release();
  };

  /** Output is back under its limit: waiting senders go on, and reading resumes if nothing else holds it. */
  private release(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
    this.maybeResume();
  }

  /** Reads again once both the output and the work in flight are back under their limits. */
  private maybeResume(): void {
    if (!this.throttled || this.unwritten > this.maxBuffered || (this.sink?.backlog?.() ?? 0) > this.maxInflight) return;
    this.throttled = false;
    if (!this.stopped) this.stdin.resume();
  }

  requestFinished(): void {
    if (this.throttled) this.maybeResume();
  }

  constructor(private readonly options: StdioServerOptions = {}) {
    this.stdin = options.stdin ?? process.stdin;
    const stdout = options.stdout ?? process.stdout;
    this.stdout = stdout;
    this.write = stdout.write.bind(stdout) as WriteFn;
    this.maxBuffered = Math.max(options.maxBufferedBytes ?? DEFAULT_STDIO_MAX_BUFFERED_BYTES, MIN_BUFFERED_BYTES, stdout.writableHighWaterMark ?? 0);
    this.maxInflight = options.maxInflight ?? DEFAULT_STDIO_MAX_INFLIGHT;
    if (options.guardStdout ?? stdout === process.stdout) guardProcessStdout();
    this.inputEnded = new Promise((resolve) => (this.endInput = resolve));
  }

  start(sink: TransportSink): void {
    this.sink = sink;
    this.reader = new LineReader(sink, this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    this.stdin.on("data", this.onData);
    this.stdin.once("end", () => this.endInput());
    this.stdin.once("error", () => this.endInput());
    // Without a listener an EPIPE on stdout would crash the process.
    this.stdout.on("error", this.onOutputError);
  }

  send(message: JsonRpcMessage | JsonRpcMessage[]): void | Promise<void> {
    if (this.closed || this.outputBroken) return;
    const line = JSON.stringify(message) + "\n";
    // process.nextTick runs once the current callback and every promise job it queued
    // are done: replies to a whole chunk of requests go out in one write.
    if (this.out === "") process.nextTick(this.flushOut);
    this.out += line;
    if (this.unwritten <= this.maxBuffered) return;
    // Over the limit: what awaits this (ctx.log, ctx.progress) waits for the client to read.
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.hookDrain();
    });
  }

  /** Output not yet taken by the OS: this turn's lines and stdout's own buffer (characters stand in for bytes). */
  private get unwritten(): number {
    return this.out.length + this.stdout.writableLength;
  }

  /** Stops pulling requests from stdin until stdout drains: their replies would only pile up. */
  private throttle(): void {
    if (!this.throttled) {
      this.throttled = true;
      this.stdin.pause();
    }
    if (this.unwritten > this.maxBuffered) this.hookDrain();
  }

  private hookDrain(): void {
    if (this.drainHooked || this.outputBroken) return;
    this.drainHooked = true;
    this.stdout.once("drain", this.onDrain);
  }

  /** Lets waiting senders go (the output broke or the transport closed: they have nothing to wait for). */
  private releaseWaiters(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /**
   * Resolves once everything sent so far has been handed to the OS (a pipe may still
   * hold megabytes in the process when the last reply is written). Goes through the
   * transport's own writer, so the stdout guard cannot redirect it.
   */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      this.flushOut();
      if (this.outputBroken) return resolve();
      try {
        this.write("", () => resolve());
      } catch {
        resolve();
      }
    });
  }

  /** Stops reading; messages already written stay written. */
  pause(): void {
    this.stopped = true;
    this.stdin.off("data", this.onData);
    this.stdin.pause();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.pause();
    this.closed = true;
    this.releaseWaiters();
    this.endInput();
    this.sink?.closed();
  }
}

let guarded = false;

/** Redirects everything else that writes to stdout into stderr (see StdioServerOptions). */
function guardProcessStdout(): void {
  if (guarded) return;
  guarded = true;
  // The transport bound its own writer before this point; everyone else now writes to stderr.
  const toStderr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: any, encoding?: any, cb?: any) => toStderr(chunk, encoding, cb)) as typeof process.stdout.write;
}

export interface StdioClientOptions {
  command: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** What to do with the server's stderr (default: inherit). */
  stderr?: "inherit" | "pipe" | "ignore";
  maxMessageBytes?: number;
}

/** Client side of stdio: spawns the server and talks over its stdin/stdout. */
export class StdioClientTransport implements Transport {
  private child?: ChildProcess;
  private sink?: TransportSink;
  private closing?: Promise<void>;

  constructor(private readonly options: StdioClientOptions) {}

  get process(): ChildProcess | undefined {
    return this.child;
  }

  /** The server's stderr when `stderr: "pipe"` was chosen. */
  get stderr(): Readable | null | undefined {
    return this.child?.stderr;
  }

  async start(sink: TransportSink): Promise<void> {
    this.sink = sink;
    const o = this.options;
    // Loaded here, not at the top: a server importing the runtime never needs it.
    const { spawn } = await import("node:child_process");
    return new Promise((resolve, reject) => {
      const child = spawn(o.command, o.args ?? [], {
        cwd: o.cwd,
        env: { ...process.env, ...o.env } as NodeJS.ProcessEnv,
        stdio: ["pipe", "pipe", o.stderr ?? "inherit"],
      });
      this.child = child;
      const reader = new LineReader(sink, o.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
      child.stdout!.on("data", (chunk: Buffer) => reader.push(chunk));
      child.once("error", (error) => reject(error));
      child.once("spawn", () => resolve());
      child.once("close", () => sink.closed());
      child.stdin!.on("error", () => {});
    });
  }

  send(message: JsonRpcMessage | JsonRpcMessage[]): void {
    this.child?.stdin?.write(JSON.stringify(message) + "\n");
  }

  /** Ends the server's input, then escalates to SIGTERM and SIGKILL if it lingers. */
  close(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      this.sink?.closed();
      return Promise.resolve();
    }
    this.closing ??= new Promise<void>((resolve) => {
      const term = setTimeout(() => child.kill("SIGTERM"), 2000);
      const kill = setTimeout(() => child.kill("SIGKILL"), 4000);
      child.once("close", () => {
        clearTimeout(term);
        clearTimeout(kill);
        resolve();
      });
      child.stdin?.end();
    });
    return this.closing;
  }
}
