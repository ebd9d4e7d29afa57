/**
 * The wire shapes of the tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663) of
 * protocol revision 2026-07-28: a server may answer a `tools/call` with a task handle
 * (`resultType: "task"`) that the client polls with `tasks/get`, feeds with
 * `tasks/update` and stops with `tasks/cancel`. Shared by the server and the client.
 */
import type { InputRequest } from "./types.js";

/** The extension's identifier, under `capabilities.extensions` on both sides. */
export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

/** The methods the extension adds (each needs the client to declare the extension). */
export const TASK_METHODS: ReadonlySet<string> = new Set(["tasks/get", "tasks/update", "tasks/cancel"]);

/** The notification that pushes a task's state to `subscriptions/listen` streams that asked for it. */
export const TASK_NOTIFICATION = "notifications/tasks";

export type TaskStatus = "working" | "input_required" | "completed" | "failed" | "cancelled";

/** Statuses a task never leaves. */
export const TERMINAL_STATUSES: ReadonlySet<TaskStatus> = new Set(["completed", "failed", "cancelled"]);

export const isTerminal = (status: TaskStatus): boolean => TERMINAL_STATUSES.has(status);

/** A task's metadata, as a `CreateTaskResult` carries it. */
export interface Task {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  lastUpdatedAt: string;
  /** Lifetime from creation in integer milliseconds; null for unlimited. */
  ttlMs: number | null;
  /** Suggested polling interval in integer milliseconds. */
  pollIntervalMs?: number;
}

/** The JSON-RPC error a `failed` task inlines. */
export interface TaskError {
  code: number;
  message: string;
  data?: unknown;
}

/** A task with what its status inlines: `inputRequests`, `result` or `error` (tasks/get, notifications/tasks). */
export interface DetailedTask extends Task {
  inputRequests?: Record<string, InputRequest>;
  result?: Record<string, unknown>;
  error?: TaskError;
}

/** `tools/call` answered with a task. */
export interface CreateTaskResult extends Task {
  resultType: "task";
  _meta?: Record<string, unknown>;
}

/** Whether a client's capabilities (a request's `_meta` ones in 2026-07-28) declare the extension. */
export function declaresTasks(capabilities: unknown): boolean {
  const ext = (capabilities as { extensions?: unknown } | null | undefined)?.extensions;
  return ext !== null && typeof ext === "object" && !Array.isArray(ext) && (ext as Record<string, unknown>)[TASKS_EXTENSION] !== undefined;
}
