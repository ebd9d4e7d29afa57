/**
 * Whether a 2026-07-28 tools/call becomes a task, and running it as one. A tool whose
 * definition has `task` becomes a task for a client that declares the extension on the
 * request; without it, an `optional` tool runs as a plain call and a `required` one is
 * -32021. With `start: "call"` the task starts before the handler; with `start:
 * "handler"` the handler runs in the request (its inputs are MRTR rounds) until it calls
 * `ctx.startTask()`. From the start on, the request is answered with the
 * CreateTaskResult, the handler goes on in the background, its inputs wait for
 * tasks/update, its `ctx.signal` follows the task (tasks/cancel, expiry) instead of the
 * request, and its value or protocol error ends the task.
 */
import type { IncomingRequest } from "../protocol/engine.js";
import { declaresTasks, type CreateTaskResult } from "../protocol/tasks.js";
import type { InputRequest } from "../protocol/types.js";
import type { ClientCapabilities } from "../protocol/types.js";
import type { Context } from "./context.js";
import { InputRound } from "./input-required.js";
import { tasksOf, type TaskHost, type TaskRun } from "./tasks.js";
import { principalOf, tasksExtensionRequired, type TaskControl, type ToolTaskOptions } from "./task-types.js";

/** The inputs of a running task: asked in `inputRequests`, answered through tasks/update (no re-runs). */
class TaskInputRound extends InputRound {
  constructor(private readonly run: TaskRun) {
    super({}, 0);
  }
  override ask<T>(request: InputRequest, key?: string): Promise<T> {
    const p = this.run.ask<T>(request, key);
    return p;
  }
}

/** A tools/call that may become a task. */
export interface TaskCall {
  /** The request as the handler sees it: its signal follows the task once it starts. */
  readonly req: IncomingRequest;
  /** Runs the call; `created` when it became a task (the value then ends the task, not the request). */
  run(ctx: Context<any>, invoke: () => unknown): Promise<{ created: CreateTaskResult } | { value: unknown }>;
}

/**
 * The task side of a 2026-07-28 tools/call, or undefined when it runs as a plain call.
 * -32021 for a tool that runs only as a task, called without the extension.
 */
export function prepareTaskCall(server: TaskHost, clientCapabilities: ClientCapabilities, params: Record<string, unknown>, req: IncomingRequest): TaskCall | undefined {
  const name = params.name;
  if (typeof name !== "string") return undefined;
  const options: ToolTaskOptions | undefined = server.tools.get(name)?.def.task;
  if (!options) return undefined;
  if (!declaresTasks(clientCapabilities)) {
    if (options.support === "required") throw tasksExtensionRequired(`tool '${name}', which runs only as a task,`);
    return undefined;
  }
  const controller = new AbortController();
  let detached = false;
  const onRequestAbort = () => {
    if (!detached) controller.abort(req.signal.reason);
  };
  if (req.signal.aborted) controller.abort(req.signal.reason);
  else req.signal.addEventListener("abort", onRequestAbort, { once: true });
  const taskReq: IncomingRequest = { id: req.id, method: req.method, params: req.params, extra: req.extra, signal: controller.signal };

  return {
    req: taskReq,
    async run(ctx, invoke) {
      const service = tasksOf(server);
      let task: TaskRun | undefined;
      let starting: Promise<void> | undefined;
      let announce!: () => void;
      const created = new Promise<void>((resolve) => (announce = resolve));
      const control: TaskControl = {
        get started() {
          return task !== undefined;
        },
        get taskId() {
          return task?.taskId;
        },
        start: () =>
          (starting ??= (async () => {
            const run = await service.create({ tool: name, owner: principalOf(req.extra?.authInfo), options });
            task = run;
            // From here the handler belongs to the task, not to the request.
            detached = true;
            req.signal.removeEventListener("abort", onRequestAbort);
            run.signal.addEventListener("abort", () => controller.abort(run.signal.reason), { once: true });
            ctx.inputRound = new TaskInputRound(run);
            announce();
          })()),
        status: (message) => (task ? task.status(message) : Promise.resolve()),
      };
      ctx.task = control;
      if (options.start !== "handler") await control.start();
      const invoking = Promise.resolve().then(invoke);
      const outcome = await Promise.race([
        invoking.then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        ),
        created.then(() => ({ started: true as const })),
      ]);
      // A start under way (the handler did not await it) decides the call's fate first.
      if (starting) await starting.catch(() => undefined);
      if (task) {
        const run = task;
        // The call's end is the task's: its value completes it, a protocol error fails it.
        invoking
          .then(
            (value) => run.complete(value),
            (error: unknown) => run.fail(error),
          )
          .catch((error: unknown) => server.options.onerror?.(error instanceof Error ? error : new Error(String(error))));
        return { created: run.createResult() };
      }
      req.signal.removeEventListener("abort", onRequestAbort);
      if ("error" in outcome) throw outcome.error;
      return { value: (outcome as { value: unknown }).value };
    },
  };
}
