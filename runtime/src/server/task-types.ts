/**
 * The tasks extension's settings and small helpers, apart from the service that runs
 * tasks (tasks.ts), so definitions, the server's options and the context can name them
 * without depending on it.
 */
import { TASKS_EXTENSION } from "../protocol/tasks.js";
import type { AuthInfo } from "../protocol/transport.js";
import { missingCapabilityError } from "./input-required.js";
import type { McpError } from "../protocol/jsonrpc.js";
import type { TaskStore } from "./task-store.js";

/** How a tool runs as a task (the manifest's `task:`). */
export interface ToolTaskOptions {
  /** `optional`: a task for clients that declare the extension, else a plain call; `required`: clients without it get -32021. */
  support: "optional" | "required";
  /** Lifetime of its tasks from creation (default: the server's, 1 hour); null for unlimited. */
  ttlMs?: number | null;
  /** Suggested polling interval (default: the server's, 1000 ms). */
  pollIntervalMs?: number;
  /**
   * `call` (default): the task starts before the handler runs. `handler`: the handler runs in
   * the request (input-required rounds are MRTR retries) until it calls `ctx.startTask()`.
   */
  start?: "call" | "handler";
}

/** Server-wide task settings (`ServerOptions.tasks`). */
export interface TaskOptions {
  /** Where tasks live (default: a MemoryTaskStore). */
  store?: TaskStore;
  /** Default lifetime of a task (default 3 600 000 ms); null for unlimited. */
  ttlMs?: number | null;
  /** Default polling interval (default 1000 ms). */
  pollIntervalMs?: number;
  /** How long a runner's lease holds without renewal (default 30 000 ms; renewed every third of it). */
  leaseMs?: number;
  /** The clock (epoch ms); tests inject one. */
  now?: () => number;
}

/** What `ctx.startTask()`, `ctx.status()` and `ctx.taskId` reach in a call that may become a task. */
export interface TaskControl {
  /** Whether the task has started (the request was answered with it). */
  readonly started: boolean;
  readonly taskId: string | undefined;
  /** Starts the task (once; later calls return the same promise). */
  start(): Promise<void>;
  /** Sets the task's status message (nothing before the task starts). */
  status(message: string): Promise<void>;
}

/** The caller a task belongs to: its auth principal, or undefined (anyone holding the unguessable id). */
export function principalOf(auth: AuthInfo | undefined): string | undefined {
  return auth ? `${auth.issuer ?? ""}|${auth.subject ?? ""}|${auth.clientId ?? ""}` : undefined;
}

/** -32021 naming the extension. */
export function tasksExtensionRequired(what: string): McpError {
  return missingCapabilityError({ extensions: { [TASKS_EXTENSION]: {} } }, what);
}

