/**
 * The tasks extension (`io.modelcontextprotocol/tasks`, 2026-07-28) on the server: one
 * TaskService per server keeps tasks in a TaskStore, runs the tool calls that became
 * tasks (a TaskRun each, holding a lease on its record), and answers `tasks/get`,
 * `tasks/update` and `tasks/cancel`. Which calls become tasks is decided in task-call.ts.
 */
import { ErrorCode, McpError, invalidParams } from "../protocol/jsonrpc.js";
import type { InputRequest, ServerCapabilities } from "../protocol/types.js";
import {
  TASKS_EXTENSION,
  declaresTasks,
  isTerminal,
  type CreateTaskResult,
  type DetailedTask,
  type TaskError,
} from "../protocol/tasks.js";
import type { AuthInfo } from "../protocol/transport.js";
import { checkAnswer, checkInputResponses } from "./input-required.js";
import type { ServerCatalog } from "./catalog.js";
import type { SubscriptionHub } from "./subscription-hub.js";
import { MemoryTaskStore, type TaskRecord, type TaskStore } from "./task-store.js";
import { principalOf, tasksExtensionRequired, type TaskOptions, type ToolTaskOptions } from "./task-types.js";

export { principalOf, tasksExtensionRequired, type TaskControl, type TaskOptions, type ToolTaskOptions } from "./task-types.js";

export const DEFAULT_TASK_TTL_MS = 3_600_000;
export const DEFAULT_POLL_INTERVAL_MS = 1000;
export const DEFAULT_LEASE_MS = 30_000;
/** Longest task id looked up (ids made here are 36-character UUIDs; a store may make its own). */
export const MAX_TASK_ID_LENGTH = 256;

const unknownTask = (taskId: string) => invalidParams(`Failed to retrieve task: Task not found (${taskId})`, { taskId });

const iso = (ms: number) => new Date(ms).toISOString();

/** The wire view of a record: the task, and what its status inlines. */
export function detailedTask(r: TaskRecord): DetailedTask {
  const t: DetailedTask = {
    taskId: r.taskId,
    status: r.status,
    createdAt: iso(r.createdAt),
    lastUpdatedAt: iso(r.lastUpdatedAt),
    ttlMs: r.ttlMs,
  };
  if (r.statusMessage !== undefined) t.statusMessage = r.statusMessage;
  if (r.pollIntervalMs !== undefined) t.pollIntervalMs = r.pollIntervalMs;
  if (r.status === "input_required") t.inputRequests = r.inputRequests ?? {};
  if (r.status === "completed") t.result = r.result ?? { content: [] };
  if (r.status === "failed") t.error = r.error ?? { code: ErrorCode.InternalError, message: "The task failed" };
  return t;
}

/** A thrown value as the JSON-RPC error a failed task inlines. */
export function taskErrorOf(error: unknown): TaskError {
  if (error instanceof McpError) {
    const e: TaskError = { code: error.code, message: error.message };
    if (error.data !== undefined) e.data = error.data;
    return e;
  }
  return { code: ErrorCode.InternalError, message: error instanceof Error ? error.message : String(error) };
}

/**
 * What the task service needs of a server (McpServer implements it): its tools and
 * options, and its listen streams. Narrow, so this module stays below the server's.
 */
export interface TaskHost extends Pick<ServerCatalog, "tools" | "options"> {
  readonly listeners: Pick<SubscriptionHub, "taskChanged">;
}

const services = new WeakMap<TaskHost, TaskService>();

/** The server's task service (made on first use, from `options.tasks`). */
export function tasksOf(server: TaskHost): TaskService {
  let service = services.get(server);
  if (!service) {
    service = new TaskService(server, server.options.tasks ?? {});
    services.set(server, service);
  }
  return service;
}

const offers = new WeakMap<TaskHost, { tools: number; offers: boolean }>();

/** Whether the server offers the extension: a tool that may run as a task, or `options.tasks` set. */
export function offersTasks(server: TaskHost): boolean {
  if (server.options.tasks !== undefined) return true;
  const cached = offers.get(server);
  if (cached && cached.tools === server.tools.size) return cached.offers;
  let any = false;
  for (const t of server.tools.allDefs()) any ||= t.def.task !== undefined;
  offers.set(server, { tools: server.tools.size, offers: any });
  return any;
}

/** 2026-07-28 capabilities: the extension under `extensions` when offered (session-era ones never name it). */
export function withTasksExtension(server: TaskHost, caps: ServerCapabilities): ServerCapabilities {
  if (!offersTasks(server)) return caps;
  const extensions = (caps.extensions as Record<string, unknown> | undefined) ?? {};
  return { ...caps, extensions: { ...extensions, [TASKS_EXTENSION]: {} } };
}

/** Serves tasks/get, tasks/update and tasks/cancel for a 2026-07-28 request. */
export async function serveTaskMethod(
  server: TaskHost,
  method: string,
  params: Record<string, unknown>,
  clientCapabilities: unknown,
  auth: AuthInfo | undefined,
): Promise<Record<string, unknown>> {
  if (!declaresTasks(clientCapabilities)) throw tasksExtensionRequired(`${method} (the tasks extension)`);
  const taskId = params.taskId;
  if (typeof taskId !== "string" || taskId.length === 0) throw invalidParams(`Invalid params: ${method} needs a string 'taskId'`);
  // Task ids are UUIDs: a longer one is unknown, and is not echoed back.
  if (taskId.length > MAX_TASK_ID_LENGTH) throw invalidParams("Failed to retrieve task: Task not found");
  const service = tasksOf(server);
  const owner = principalOf(auth);
  switch (method) {
    case "tasks/get":
      return { ...(await service.get(taskId, owner)) };
    case "tasks/update":
      await service.update(taskId, owner, checkInputResponses(params.inputResponses ?? {}));
      return {};
    default:
      await service.cancel(taskId, owner);
      return {};
  }
}

/** The tasks among `ids` that exist and belong to `owner`, as tasks/get shows them. */
export async function currentTasks(server: TaskHost, ids: readonly string[], owner: string | undefined): Promise<DetailedTask[]> {
  const service = tasksOf(server);
  const out: DetailedTask[] = [];
  for (const id of ids) {
    try {
      out.push(await service.get(id, owner));
    } catch {
      // Unknown or not the caller's: nothing to tell.
    }
  }
  return out;
}

/** What a new task starts with. */
export interface NewTask {
  tool: string;
  owner: string | undefined;
  options: ToolTaskOptions;
}

/** One server's tasks: their store, the ones this process runs, and the methods of the extension. */
export class TaskService {
  readonly store: TaskStore;
  /** This process, as lease holder. */
  readonly node = crypto.randomUUID();
  readonly now: () => number;
  readonly leaseMs: number;
  private readonly runs = new Map<string, TaskRun>();

  constructor(
    private readonly server: TaskHost,
    private readonly options: TaskOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.store = options.store ?? new MemoryTaskStore({ now: this.now });
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    // Every write, from any node: wakes the local runner (answers, cancellation) and tells listen streams.
    this.store.subscribe((record) => {
      this.runs.get(record.taskId)?.onRecord(record);
      server.listeners.taskChanged(record.owner, detailedTask(record));
    });
  }

  /** Tasks this process is running. */
  get running(): number {
    return this.runs.size;
  }

  /** Creates a task (resolves once tasks/get would find it) and its local runner. */
  async create(task: NewTask): Promise<TaskRun> {
    const now = this.now();
    const ttl = task.options.ttlMs !== undefined ? task.options.ttlMs : this.options.ttlMs !== undefined ? this.options.ttlMs : DEFAULT_TASK_TTL_MS;
    const record: TaskRecord = {
      taskId: crypto.randomUUID(),
      status: "working",
      createdAt: now,
      lastUpdatedAt: now,
      ttlMs: ttl,
      pollIntervalMs: task.options.pollIntervalMs ?? this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      expiresAt: ttl === null ? null : now + ttl,
      tool: task.tool,
      lease: { holder: this.node, until: now + this.leaseMs },
      version: 0,
    };
    if (task.owner !== undefined) record.owner = task.owner;
    try {
      await this.store.create(record);
    } catch (error) {
      throw new McpError(ErrorCode.InternalError, `The task could not be created: ${error instanceof Error ? error.message : String(error)}`);
    }
    const run = new TaskRun(this, record);
    this.runs.set(record.taskId, run);
    return run;
  }

  /** @internal */
  forget(taskId: string): void {
    this.runs.delete(taskId);
  }

  /** The task as tasks/get answers it; a task whose runner's lease ran out is failed first. */
  async get(taskId: string, owner: string | undefined): Promise<DetailedTask> {
    let record = await this.owned(taskId, owner);
    if (!isTerminal(record.status) && record.lease && record.lease.until < this.now() && !this.runs.has(taskId)) {
      record =
        (await this.store.update(taskId, (r) =>
          isTerminal(r.status) || !r.lease || r.lease.until >= this.now()
            ? undefined
            : finished(r, this.now(), "failed", {
                error: { code: ErrorCode.InternalError, message: "The task's runner stopped before it finished (its lease expired)" },
                statusMessage: "The server running this task stopped",
              }),
        )) ?? record;
    }
    return detailedTask(record);
  }

  /** Delivers answers to outstanding inputs; keys not outstanding are ignored. */
  async update(taskId: string, owner: string | undefined, responses: Record<string, unknown>): Promise<void> {
    const record = await this.owned(taskId, owner);
    for (const [key, answer] of Object.entries(responses)) {
      const request = record.inputRequests?.[key];
      if (!request) continue;
      const problem = checkAnswer(request.method as InputRequest["method"], answer);
      if (problem) throw invalidParams(`Invalid inputResponses["${key}"]: ${problem}`);
    }
    await this.store.update(taskId, (r) => {
      if (isTerminal(r.status) || !r.inputRequests) return undefined;
      const requests = { ...r.inputRequests };
      const delivered = { ...(r.inputResponses ?? {}) };
      let changed = false;
      for (const [key, answer] of Object.entries(responses)) {
        if (!Object.prototype.hasOwnProperty.call(requests, key)) continue;
        delete requests[key];
        delivered[key] = answer;
        changed = true;
      }
      if (!changed) return undefined;
      const next: TaskRecord = { ...r, inputResponses: delivered, lastUpdatedAt: this.now() };
      if (Object.keys(requests).length === 0) {
        delete next.inputRequests;
        next.status = "working";
      } else {
        next.inputRequests = requests;
      }
      return next;
    });
  }

  /** Marks the task cancelled (its runner's signal aborts); a finished task stays as it is. */
  async cancel(taskId: string, owner: string | undefined): Promise<void> {
    await this.owned(taskId, owner);
    await this.store.update(taskId, (r) =>
      isTerminal(r.status) ? undefined : finished(r, this.now(), "cancelled", { statusMessage: "Cancelled by the client" }),
    );
  }

  /** The record, if it exists and belongs to this caller (else -32602, the same as unknown). */
  private async owned(taskId: string, owner: string | undefined): Promise<TaskRecord> {
    const record = await this.store.get(taskId);
    if (!record || record.owner !== owner) throw unknownTask(taskId);
    return record;
  }
}

/** A record moved to a terminal status: no lease, no pending inputs. */
function finished(r: TaskRecord, now: number, status: "completed" | "failed" | "cancelled", extra: Partial<TaskRecord>): TaskRecord {
  const next: TaskRecord = { ...r, ...extra, status, lastUpdatedAt: now };
  delete next.lease;
  delete next.inputRequests;
  delete next.inputResponses;
  return next;
}

interface Waiter {
  resolve(answer: unknown): void;
  reject(error: unknown): void;
}

/** A task this process runs: its lease, the inputs its handler waits for, its end. */
export class TaskRun {
  readonly taskId: string;
  /** Aborts when the task is cancelled, expires or fails elsewhere: the handler's `ctx.signal`. */
  readonly controller = new AbortController();
  private readonly waiting = new Map<string, Waiter>();
  private readonly usedKeys = new Set<string>();
  private readonly counters = new Map<string, number>();
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  private done = false;

  constructor(
    private readonly service: TaskService,
    private readonly seed: TaskRecord,
  ) {
    this.taskId = seed.taskId;
    const renew = setInterval(() => void this.renewLease(), Math.max(10, Math.floor(service.leaseMs / 3)));
    renew.unref?.();
    this.timers.push(renew);
    if (seed.expiresAt !== null) {
      const expire = setTimeout(() => this.stop(new McpError(ErrorCode.InvalidRequest, "The task expired")), Math.max(0, seed.expiresAt - service.now()));
      expire.unref?.();
      this.timers.push(expire);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The CreateTaskResult that answers the tools/call. */
  createResult(): CreateTaskResult {
    const t = detailedTask(this.seed);
    return { resultType: "task", ...t } as CreateTaskResult;
  }

  /** The key of an input: the given one or the kind and its ordinal, never reused in this task. */
  private keyFor(method: InputRequest["method"], key: string | undefined): string {
    let base = key;
    if (base === undefined) {
      const kind = method === "elicitation/create" ? "elicitation" : method === "sampling/createMessage" ? "sampling" : "roots";
      const n = (this.counters.get(kind) ?? 0) + 1;
      this.counters.set(kind, n);
      base = `${kind}_${n}`;
    }
    let unique = base;
    for (let i = 2; this.usedKeys.has(unique); i++) unique = `${base}_${i}`;
    this.usedKeys.add(unique);
    return unique;
  }

  /** Asks the client for an input: the task shows it in `inputRequests` until tasks/update answers it. */
  async ask<T>(request: InputRequest, key?: string): Promise<T> {
    if (this.done) throw this.signal.reason ?? new McpError(ErrorCode.InvalidRequest, "The task has ended");
    const k = this.keyFor(request.method, key);
    const answer = new Promise<unknown>((resolve, reject) => this.waiting.set(k, { resolve, reject }));
    const stored = await this.service.store.update(this.taskId, (r) => {
      if (isTerminal(r.status)) return undefined;
      return {
        ...r,
        status: "input_required",
        inputRequests: { ...(r.inputRequests ?? {}), [k]: request },
        lastUpdatedAt: this.service.now(),
      };
    });
    if (!stored || isTerminal(stored.status)) {
      this.waiting.delete(k);
      throw this.signal.reason ?? new McpError(ErrorCode.InvalidRequest, "The task has ended");
    }
    return answer as Promise<T>;
  }

  /** Sets the task's status message (what `ctx.status()` and `ctx.progress()` report in a task). */
  async status(message: string): Promise<void> {
    if (this.done) return;
    await this.service.store.update(this.taskId, (r) =>
      isTerminal(r.status) || r.statusMessage === message ? undefined : { ...r, statusMessage: message, lastUpdatedAt: this.service.now() },
    );
  }

  /** The handler's value: the task completes with it (unless it already ended). */
  async complete(result: unknown): Promise<void> {
    await this.end((r) => finished(r, this.service.now(), "completed", { result: (result ?? { content: [] }) as Record<string, unknown> }));
  }

  /** A protocol error from the call: the task fails with it. */
  async fail(error: unknown): Promise<void> {
    const e = taskErrorOf(error);
    await this.end((r) => finished(r, this.service.now(), "failed", { error: e, statusMessage: e.message }));
  }

  private async end(change: (r: TaskRecord) => TaskRecord): Promise<void> {
    if (this.done) return;
    // Done before the write: the write's own event must not read as "ended elsewhere" and abort the handler.
    this.done = true;
    try {
      await this.service.store.update(this.taskId, (r) => (isTerminal(r.status) ? undefined : change(r)));
    } finally {
      this.dispose();
    }
  }

  /** Every write to this task (from any node): answers for waiting inputs, or the end of the task. */
  onRecord(r: TaskRecord): void {
    if (this.done) return;
    if (isTerminal(r.status)) {
      this.stop(new McpError(ErrorCode.InvalidRequest, r.status === "cancelled" ? "The task was cancelled" : `The task ${r.status}`));
      return;
    }
    const taken: string[] = [];
    for (const [key, answer] of Object.entries(r.inputResponses ?? {})) {
      const waiter = this.waiting.get(key);
      if (!waiter) continue;
      this.waiting.delete(key);
      taken.push(key);
      waiter.resolve(answer);
    }
    if (taken.length > 0) {
      // Answers taken leave the record (they could be large).
      void this.service.store.update(this.taskId, (cur) => {
        if (!cur.inputResponses) return undefined;
        const left = { ...cur.inputResponses };
        for (const k of taken) delete left[k];
        const next: TaskRecord = { ...cur, inputResponses: left };
        if (Object.keys(left).length === 0) delete next.inputResponses;
        return next;
      });
    }
  }

  /** Ends the run from outside (cancelled, expired, failed elsewhere): aborts the handler's signal and its waits. */
  private stop(reason: McpError): void {
    if (this.done) return;
    this.controller.abort(reason);
    for (const w of this.waiting.values()) w.reject(reason);
    this.waiting.clear();
    this.dispose();
  }

  private async renewLease(): Promise<void> {
    if (this.done) return;
    const until = this.service.now() + this.service.leaseMs;
    await this.service.store
      .update(this.taskId, (r) => (isTerminal(r.status) ? undefined : { ...r, lease: { holder: this.service.node, until } }))
      .catch(() => undefined);
  }

  private dispose(): void {
    this.done = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.length = 0;
    this.service.forget(this.taskId);
  }
}
