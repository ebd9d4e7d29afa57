/**
 * Tasks (the tasks extension of 2026-07-28) on Redis, so any node answers `tasks/get`,
 * `tasks/update` and `tasks/cancel` for a task another node runs. Same contract as the
 * runtime's MemoryTaskStore:
 *
 * - each record is its JSON under `t:<id>`, expiring at the record's `expiresAt` (a key
 *   TTL, set again with every write since SET replaces it; no expiry when `ttlMs` is null);
 * - `update` compare-and-sets on the record's `version` in a Lua script, re-reading and
 *   re-applying the change when another node wrote in between;
 * - every write is published on the `tasks` channel from inside the same script, so every
 *   node's `subscribe` listeners see the writes in the order they happened (the runner
 *   learns of answers and cancellation that way, listen streams of status changes);
 * - bounded by `maxTasks` (default 10 000) over the whole Redis prefix: when full, expired
 *   tasks and then the oldest finished one make room; with all of them still running,
 *   `create` rejects (the tools/call gets -32603). Indexes: `tx` (every task by expiry)
 *   and `tdone` (finished tasks by when they finished).
 *
 * Leases are the TaskService's: the node running a task renews its lease through
 * `update`, and a reader that finds a lease run out marks the task failed, as with the
 * memory store. Times (`now`) come from the node's clock, as the session store's do.
 */
import { isTerminal, type TaskRecord, type TaskStore } from "@mcpgen/runtime";
import type { RedisConnection } from "./connection.js";

export interface RedisTaskStoreOptions {
  /** Most tasks kept at once under this prefix (default 10 000, as MemoryTaskStore). */
  maxTasks?: number;
  /** The clock (epoch ms); tests inject one. Key TTLs are relative to it. */
  now?: () => number;
}

/** The write either script makes once it decided to: the record, its TTL, its indexes, its event. */
const WRITE = `
local function write(P, id, json, px, score, terminal, now)
  local key = P..'t:'..id
  if px > 0 then redis.call('SET', key, json, 'PX', px) else redis.call('SET', key, json) end
  redis.call('ZADD', P..'tx', score, id)
  if terminal == '1' then redis.call('ZADD', P..'tdone', now, id) end
  redis.call('PUBLISH', P..'tasks', json)
end
`;

/** 1 stored, 0 full (every task still running), -1 the id is taken. */
const CREATE = `${WRITE}
local P, id, json, px, score, terminal, now, max = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8])
local all, done = P..'tx', P..'tdone'
if redis.call('ZCARD', all) >= max then
  for _, gone in ipairs(redis.call('ZRANGEBYSCORE', all, '-inf', now)) do
    redis.call('ZREM', done, gone)
    redis.call('DEL', P..'t:'..gone)
  end
  redis.call('ZREMRANGEBYSCORE', all, '-inf', now)
  if redis.call('ZCARD', all) >= max then
    local oldest = redis.call('ZPOPMIN', done)[1]
    if oldest then
      redis.call('ZREM', all, oldest)
      redis.call('DEL', P..'t:'..oldest)
    end
  end
  if redis.call('ZCARD', all) >= max then return 0 end
end
if redis.call('EXISTS', P..'t:'..id) == 1 then return -1 end
write(P, id, json, px, score, terminal, now)
return 1
`;

/** 1 stored, 0 the version moved on (re-read and retry), -1 the task is gone. */
const UPDATE = `${WRITE}
local P, id, json, px, score, terminal, now, expected = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8])
local current = redis.call('GET', P..'t:'..id)
if not current then return -1 end
local ok, record = pcall(cjson.decode, current)
if not ok or type(record) ~= 'table' or record.version ~= expected then return 0 end
write(P, id, json, px, score, terminal, now)
return 1
`;

/** How many times `update` re-reads after losing a race before it gives up. */
const MAX_ATTEMPTS = 50;

export class RedisTaskStore implements TaskStore {
  readonly maxTasks: number;
  private readonly now: () => number;
  private readonly listeners = new Set<(record: TaskRecord) => void>();
  private subscription?: { stop(): void; ready: Promise<unknown> };

  constructor(
    private readonly redis: RedisConnection,
    options: RedisTaskStoreOptions = {},
  ) {
    this.maxTasks = options.maxTasks ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async create(record: TaskRecord): Promise<void> {
    await this.subscribed();
    const json = JSON.stringify(record);
    const r = await this.redis.script(CREATE, [...this.writeArgs(record, json), this.maxTasks]);
    if (r === 0) throw new Error(`The task store is full (${this.maxTasks} tasks are running or awaiting collection)`);
    if (r === -1) throw new Error(`A task with id ${record.taskId} exists already`);
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const json = await this.redis.send(["GET", `${this.redis.prefix}t:${taskId}`]);
    return typeof json === "string" ? this.parse(taskId, json) : undefined;
  }

  async update(taskId: string, change: (record: TaskRecord) => TaskRecord | undefined): Promise<TaskRecord | undefined> {
    await this.subscribed();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.get(taskId);
      if (!current) return undefined;
      const expected = current.version;
      const next = change(current);
      // Unchanged: what is stored (a fresh copy, whatever `change` did to the one it was given).
      if (!next) return this.get(taskId);
      next.version = expected + 1;
      const json = JSON.stringify(next);
      const r = await this.redis.script(UPDATE, [...this.writeArgs(next, json), expected]);
      if (r === 1) return JSON.parse(json) as TaskRecord;
      if (r === -1) return undefined;
      // Another node wrote first: apply the change again to what it stored.
    }
    throw new Error(`Task ${taskId} changed ${MAX_ATTEMPTS} times while one update was applied`);
  }

  subscribe(listener: (record: TaskRecord) => void): () => void {
    this.listeners.add(listener);
    this.subscription ??= this.redis.subscribe("tasks", (message) => this.dispatch(message));
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      this.subscription?.stop();
      this.subscription = undefined;
    };
  }

  /** Stops listening; the connection is the caller's (connectRedis closes it). */
  async close(): Promise<void> {
    this.listeners.clear();
    this.subscription?.stop();
    this.subscription = undefined;
  }

  /** Writes wait until this node hears the channel, so a runner never misses the events its own task causes. */
  private async subscribed(): Promise<void> {
    if (this.subscription) await this.subscription.ready;
  }

  /** prefix, id, json, TTL (ms, 0 for none), expiry score, terminal flag, now. */
  private writeArgs(record: TaskRecord, json: string): (string | number)[] {
    const now = this.now();
    const px = record.expiresAt === null ? 0 : Math.max(1, record.expiresAt - now);
    const score = record.expiresAt === null ? "+inf" : record.expiresAt;
    return [this.redis.prefix, record.taskId, json, px, score, isTerminal(record.status) ? "1" : "0", now];
  }

  /** The record, or undefined once past `expiresAt` by this store's clock (Redis drops the key by its own). */
  private parse(taskId: string, json: string): TaskRecord | undefined {
    let record: TaskRecord;
    try {
      record = JSON.parse(json) as TaskRecord;
    } catch {
      return undefined;
    }
    if (record.expiresAt !== null && record.expiresAt <= this.now()) {
      void Promise.all([
        this.redis.send(["DEL", `${this.redis.prefix}t:${taskId}`]),
        this.redis.send(["ZREM", `${this.redis.prefix}tx`, taskId]),
        this.redis.send(["ZREM", `${this.redis.prefix}tdone`, taskId]),
      ]).catch(() => undefined);
      return undefined;
    }
    return record;
  }

  private dispatch(message: string): void {
    let record: TaskRecord;
    try {
      record = JSON.parse(message) as TaskRecord;
    } catch {
      return;
    }
    for (const l of [...this.listeners]) {
      try {
        l(record);
      } catch {
        // A listener's fault is its own: the write happened.
      }
    }
  }
}
