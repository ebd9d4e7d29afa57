/**
 * The query worker: owns the database (sql.js) and runs one request at a time for the
 * main thread (query-runner.ts). A runaway query blocks this thread only; the main
 * thread keeps answering and ends it by terminating the worker.
 */
import { parentPort, workerData } from "node:worker_threads";
import { ExplorerDatabase } from "./database.js";

export type WorkerRequest = { id: number; op: "execute"; sql: string } | { id: number; op: "schema" } | { id: number; op: "close" };
export type WorkerReply = { id: number; value: unknown } | { id: number; error: string };
export type WorkerStatus = { ready: true } | { openError: string };
export interface WorkerOptions {
  path: string;
  writable: boolean;
}

const port = parentPort!;
const options = workerData as WorkerOptions;

try {
  const db = await ExplorerDatabase.open(options.path, { writable: options.writable });
  port.on("message", async (request: WorkerRequest) => {
    try {
      let value: unknown = null;
      if (request.op === "execute") value = await db.execute(request.sql);
      else if (request.op === "schema") value = db.schema();
      else await db.close();
      port.postMessage({ id: request.id, value } satisfies WorkerReply);
    } catch (error) {
      port.postMessage({ id: request.id, error: (error as Error).message } satisfies WorkerReply);
    }
  });
  port.postMessage({ ready: true } satisfies WorkerStatus);
} catch (error) {
  port.postMessage({ openError: (error as Error).message } satisfies WorkerStatus);
}
