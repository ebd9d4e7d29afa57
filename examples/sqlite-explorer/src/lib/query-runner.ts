/**
 * The main thread's side of the database: every query runs in a worker thread
 * (query-worker.ts), one at a time, with a time limit. SQLite compiled to WebAssembly
 * cannot be interrupted from outside, so a query that runs too long, or whose request is
 * cancelled, is stopped by terminating the worker; the next query starts a fresh one,
 * which reopens the database file. Whatever the stopped query had changed was never
 * saved: the database is as it was before it.
 */
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ResultSet } from "./database.js";
import type { WorkerOptions, WorkerReply, WorkerRequest, WorkerStatus } from "./query-worker.js";

/** A query stopped by the time limit, a cancellation or shutdown (not an SQL error). */
export class QueryStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueryStopped";
  }
}

export interface QueryRunnerOptions extends WorkerOptions {
  /** Longest a request may run in the worker, in ms. */
  timeoutMs: number;
}

type Request = { op: "execute"; sql: string } | { op: "schema" } | { op: "close" };

/**
 * How to start the worker: query-worker.js once compiled; under tsx, query-worker.ts
 * behind a line that registers tsx first (a worker thread does not inherit tsx's loader).
 */
function newWorker(options: WorkerOptions): Worker {
  if (extname(fileURLToPath(import.meta.url)) !== ".ts") return new Worker(new URL("./query-worker.js", import.meta.url), { workerData: options });
  const entry = new URL("./query-worker.ts", import.meta.url).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: options });
}

export class QueryRunner {
  private worker?: Promise<Worker>;
  /** Requests run one after another: each waits for the one before. */
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  /** Stops the request running now, if any. */
  private stopCurrent?: (reason: QueryStopped) => void;
  private closed = false;

  constructor(private readonly options: QueryRunnerOptions) {}

  /** Starts the worker and opens the database (creating it on first start). */
  async open(): Promise<void> {
    await this.start();
  }

  execute(sql: string, signal?: AbortSignal): Promise<{ results: ResultSet[]; changes: number }> {
    return this.enqueue({ op: "execute", sql }, signal) as Promise<{ results: ResultSet[]; changes: number }>;
  }

  schema(signal?: AbortSignal): Promise<string> {
    return this.enqueue({ op: "schema" }, signal) as Promise<string>;
  }

  /** Stops the running query now (shutdown): it fails with `reason`, and so does anything queued. */
  interrupt(reason: string): void {
    this.closed = true;
    this.stopCurrent?.(new QueryStopped(reason));
  }

  /** Saves and closes the database once the running request is done (or stopped), then ends the worker. */
  async close(): Promise<void> {
    const last = this.queue;
    this.closed = true;
    await last.catch(() => undefined);
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const w = await worker.catch(() => undefined);
    if (!w) return;
    await this.send(w, { op: "close" }).catch(() => undefined);
    await w.terminate();
  }

  private enqueue(request: Request, signal: AbortSignal | undefined): Promise<unknown> {
    const run = this.queue.then(() => this.run(request, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(request: Request, signal: AbortSignal | undefined): Promise<unknown> {
    if (this.closed) throw new QueryStopped("Query not run: the server is shutting down");
    if (signal?.aborted) throw new QueryStopped("Query not run: the request was cancelled");
    const worker = await this.start();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const stopped = new Promise<never>((_resolve, reject) => {
      this.stopCurrent = (reason) => {
        // Terminating is the only way to stop SQLite running in WebAssembly.
        this.worker = undefined;
        void worker.terminate();
        reject(reason);
      };
      const limit = this.options.timeoutMs;
      timer = setTimeout(() => this.stopCurrent?.(new QueryStopped(`Query stopped: it ran longer than ${limit} ms; nothing it changed was saved`)), limit);
      onAbort = () => this.stopCurrent?.(new QueryStopped("Query stopped: the request was cancelled; nothing it changed was saved"));
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([this.send(worker, request), stopped]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener("abort", onAbort);
      this.stopCurrent = undefined;
    }
  }

  /** Posts one request and resolves with its reply (or rejects when the worker dies first). */
  private send(worker: Worker, request: Request): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (reply: WorkerReply) => {
        if (reply.id !== id) return;
        cleanup();
        if ("error" in reply) reject(new Error(reply.error));
        else resolve(reply.value);
      };
      const onExit = () => {
        cleanup();
        reject(new QueryStopped("Query stopped: the database worker exited"));
      };
      const cleanup = () => {
        worker.off("message", onMessage);
        worker.off("exit", onExit);
      };
      worker.on("message", onMessage);
      worker.on("exit", onExit);
      worker.postMessage({ id, ...request } as WorkerRequest);
    });
  }

  /** The live worker, started (and the database opened) when there is none. */
  private start(): Promise<Worker> {
    this.worker ??= new Promise<Worker>((resolve, reject) => {
      const worker = newWorker({ path: this.options.path, writable: this.options.writable });
      worker.once("message", (status: WorkerStatus) => {
        if ("ready" in status) return resolve(worker);
        void worker.terminate();
        reject(new Error(`Cannot open the database: ${status.openError}`));
      });
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`The database worker exited (code ${code}) before opening the database`)));
    });
    const current = this.worker;
    // A worker that failed to start is forgotten, so the next request tries again.
    current.catch(() => {
      if (this.worker === current) this.worker = undefined;
    });
    return current;
  }
}
