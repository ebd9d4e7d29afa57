/**
 * Where tasks live (the tasks extension of 2026-07-28). A store holds one JSON record per
 * task, so it can sit in another process (`@mcpgen/redis`) and any node can answer
 * `tasks/get` for a task another node runs. The node running a task holds a lease on it
 * and renews it while the handler runs; a non-terminal task whose lease has run out is
 * one whose runner died, and the next reader marks it `failed` (never stuck `working`).
 *
 * The default, `MemoryTaskStore`, is bounded (`maxTasks`) and forgets a task once its
 * `ttlMs` has passed.
 */
import type { InputRequest } from "../protocol/types.js";
import { isTerminal, type TaskError, type TaskStatus } from "../protocol/tasks.js";

/** One task, as stored: plain JSON. */
export interface TaskRecord {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  lastUpdatedAt: number;
  /** Lifetime from creation; null for unlimited. */
  ttlMs: number | null;
  pollIntervalMs?: number;
  /** createdAt + ttlMs: after it the task is gone (null: never). */
  expiresAt: number | null;
  /** Who may see and steer it: the caller's auth principal (issuer|subject|client), or absent for anyone holding the id. */
  owner?: string;
  /** The tool it runs. */
  tool: string;
  /** Inputs the handler waits for, by key (status input_required while any is left). */
  inputRequests?: Record<string, InputRequest>;
  /** Answers delivered by tasks/update that the runner has not taken yet, by key. */
  inputResponses?: Record<string, unknown>;
  /** Every input key the task has used (keys are unique over a task's lifetime). */
  usedKeys?: string[];
  result?: Record<string, unknown>;
  error?: TaskError;
  /** The node running it and until when its lease holds (epoch ms); absent once terminal. */
  lease?: { holder: string; until: number };
  /** Bumped by every write: stores in other processes compare-and-set on it. */
  version: number;
}

/**
 * A task store. Every method is async so it can be remote; records go in and out as JSON
 * (a store must not keep references to the objects it is given).
 */
export interface TaskStore {
  /** Stores a new task; resolves once a `get` anywhere would find it. Rejects when full. */
  create(record: TaskRecord): Promise<void>;
  /** The task, or undefined when unknown or expired. */
  get(taskId: string): Promise<TaskRecord | undefined>;
  /**
   * Applies `change` atomically to the current record (a remote store compare-and-sets on
   * `version`, re-reading and re-applying on conflict) and resolves with what was stored.
   * `change` returns undefined to leave the record as it is (the current one is returned).
   * Undefined when the task is unknown or expired.
   */
  update(taskId: string, change: (record: TaskRecord) => TaskRecord | undefined): Promise<TaskRecord | undefined>;
  /** Calls `listener` with every record written, by any node, until the returned function is called. */
  subscribe(listener: (record: TaskRecord) => void): () => void;
  /** Releases what the store holds open (connections, timers). */
  close?(): Promise<void>;
}

export interface MemoryTaskStoreOptions {
  /** Most tasks kept at once (default 10 000). When full, expired then finished tasks make room; else creation fails. */
  maxTasks?: number;
  /** The clock (epoch ms); tests inject one. */
  now?: () => number;
}

/** The task store of one process: a bounded map that forgets tasks past their TTL. */
export class MemoryTaskStore implements TaskStore {
  private readonly records = new Map<string, string>();
  private readonly listeners = new Set<(record: TaskRecord) => void>();
  private readonly maxTasks: number;
  private readonly now: () => number;

  constructor(options: MemoryTaskStoreOptions = {}) {
    this.maxTasks = options.maxTasks ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.records.size;
  }

  async create(record: TaskRecord): Promise<void> {
    if (this.records.size >= this.maxTasks) this.makeRoom();
    if (this.records.size >= this.maxTasks) {
      throw new Error(`The task store is full (${this.maxTasks} tasks are running or awaiting collection)`);
    }
    const text = JSON.stringify(record);
    this.records.set(record.taskId, text);
    this.emit(JSON.parse(text) as TaskRecord);
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    return this.read(taskId);
  }

  async update(taskId: string, change: (record: TaskRecord) => TaskRecord | undefined): Promise<TaskRecord | undefined> {
    const current = this.read(taskId);
    if (!current) return undefined;
    const next = change(current);
    if (!next) return this.read(taskId);
    next.version = current.version + 1;
    const text = JSON.stringify(next);
    this.records.set(taskId, text);
    const stored = JSON.parse(text) as TaskRecord;
    this.emit(JSON.parse(text) as TaskRecord);
    return stored;
  }

  subscribe(listener: (record: TaskRecord) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  /** A copy of the record, or undefined (and forgotten) once expired. */
  private read(taskId: string): TaskRecord | undefined {
    const text = this.records.get(taskId);
    if (text === undefined) return undefined;
    const record = JSON.parse(text) as TaskRecord;
    if (record.expiresAt !== null && record.expiresAt <= this.now()) {
      this.records.delete(taskId);
      return undefined;
    }
    return record;
  }

  /** Drops expired tasks, then the oldest finished one if still full. Running tasks are never dropped. */
  private makeRoom(): void {
    const now = this.now();
    let oldestDone: string | undefined;
    for (const [id, text] of this.records) {
      const r = JSON.parse(text) as TaskRecord;
      if (r.expiresAt !== null && r.expiresAt <= now) this.records.delete(id);
      else if (oldestDone === undefined && isTerminal(r.status)) oldestDone = id;
    }
    if (this.records.size >= this.maxTasks && oldestDone !== undefined) this.records.delete(oldestDone);
  }

  private emit(record: TaskRecord): void {
    for (const l of this.listeners) {
      try {
        l(record);
      } catch {
        // A listener's fault is its own: the write happened.
      }
    }
  }
}
