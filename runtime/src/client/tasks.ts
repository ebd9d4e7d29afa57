/**
 * The client side of the tasks extension (2026-07-28): a handle on a tool call the server
 * answered with a task. It polls `tasks/get` at the server's suggested interval, answers
 * the task's input requests from the same callbacks MRTR rounds use (onElicitation,
 * onSampling, roots) through `tasks/update`, reports the task's status message as
 * progress, and cancels with `tasks/cancel`.
 */
import { ErrorCode, McpError } from "../protocol/jsonrpc.js";
import { isTerminal, type CreateTaskResult, type DetailedTask } from "../protocol/tasks.js";
import type { CallToolResult, InputRequest } from "../protocol/types.js";
import type { Progress } from "../protocol/engine.js";

/** What a ToolTask needs from its client. */
export interface TaskClient {
  request<T>(method: string, params: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<T>;
  /** Answers input requests from the client's callbacks (as for an input_required result). */
  answerInputs(requests: Record<string, InputRequest>, signal: AbortSignal): Promise<Record<string, unknown>>;
}

export interface TaskWaitOptions {
  signal?: AbortSignal;
  /** Called when the task's status or status message changes (`progress` counts the changes). */
  onprogress?: (progress: Progress) => void;
  /** Polling interval when the server suggests none (default 1000 ms). */
  pollIntervalMs?: number;
}

/** A tool call running as a task on the server. */
export class ToolTask {
  private latest: DetailedTask;
  /** Input keys already answered: a task never reuses one, so a repeat is never asked twice. */
  private readonly answered = new Set<string>();

  constructor(
    private readonly client: TaskClient,
    created: CreateTaskResult | DetailedTask,
  ) {
    const { resultType: _rt, _meta: _m, ...task } = created as CreateTaskResult;
    this.latest = task as DetailedTask;
  }

  get taskId(): string {
    return this.latest.taskId;
  }
  /** The task as last seen (from the call, or the last poll). */
  get task(): DetailedTask {
    return this.latest;
  }

  /** One `tasks/get`. */
  async poll(options: { signal?: AbortSignal } = {}): Promise<DetailedTask> {
    const r = await this.client.request<DetailedTask & { resultType?: string; _meta?: unknown }>("tasks/get", { taskId: this.taskId }, options);
    const { resultType: _rt, _meta: _m, ...task } = r;
    this.latest = task as DetailedTask;
    return this.latest;
  }

  /** Answers some of the task's input requests (`tasks/update`; unknown keys are ignored by the server). */
  async update(inputResponses: Record<string, unknown>, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.client.request("tasks/update", { taskId: this.taskId, inputResponses }, options);
    for (const key of Object.keys(inputResponses)) this.answered.add(key);
  }

  /** Asks the server to stop the task (`tasks/cancel`; idempotent). */
  async cancel(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.client.request("tasks/cancel", { taskId: this.taskId }, options);
  }

  /**
   * Polls until the task ends, answering its input requests from the client's callbacks,
   * and resolves with the tool's result. A failed task rejects with its error (an
   * McpError); a cancelled one with an McpError saying so. Aborting `signal` stops
   * waiting (it does not cancel the task: call `cancel()` for that).
   */
  async result(options: TaskWaitOptions = {}): Promise<CallToolResult> {
    const signal = options.signal ?? new AbortController().signal;
    let shown = "";
    let changes = 0;
    let task = this.latest;
    for (;;) {
      signal.throwIfAborted();
      const seen = `${task.status}\u0000${task.statusMessage ?? ""}`;
      if (seen !== shown) {
        shown = seen;
        const p: Progress = { progress: ++changes };
        if (task.statusMessage !== undefined) p.message = task.statusMessage;
        options.onprogress?.(p);
      }
      if (isTerminal(task.status)) return this.outcome(task);
      if (task.status === "input_required") {
        const open = Object.fromEntries(Object.entries(task.inputRequests ?? {}).filter(([key]) => !this.answered.has(key)));
        if (Object.keys(open).length > 0) {
          const answers = await this.client.answerInputs(open, signal);
          await this.update(answers, { signal });
          task = await this.poll({ signal });
          continue;
        }
      }
      await pause(task.pollIntervalMs ?? options.pollIntervalMs ?? 1000, signal);
      task = await this.poll({ signal });
    }
  }

  private outcome(task: DetailedTask): CallToolResult {
    if (task.status === "completed") return (task.result ?? { content: [] }) as unknown as CallToolResult;
    if (task.status === "failed") {
      const e = task.error ?? { code: ErrorCode.InternalError, message: "The task failed" };
      throw new McpError(e.code, e.message, e.data);
    }
    throw new McpError(ErrorCode.InvalidRequest, `Task ${task.taskId} was cancelled${task.statusMessage ? `: ${task.statusMessage}` : ""}`, { taskId: task.taskId });
  }
}

/** Waits `ms`, or rejects when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(1, ms));
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
