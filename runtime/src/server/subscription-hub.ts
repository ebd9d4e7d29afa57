/**
 * The open `subscriptions/listen` streams of one server (2026-07-28), and how changes
 * reach them. The server owns the hub and tells it what changed; subscriptions.ts opens
 * and closes the streams. Apart from both, it depends on nothing but the protocol.
 */
import type { RequestId } from "../protocol/jsonrpc.js";
import type { SubscriptionFilter } from "../protocol/types.js";
import { TASK_NOTIFICATION, type DetailedTask } from "../protocol/tasks.js";

/** One open listen stream. */
export interface Listener {
  readonly id: RequestId;
  readonly filter: SubscriptionFilter;
  /** The caller's principal: task notifications go only to the task's owner. */
  readonly owner?: string;
  /** Per followed task, what was last sent (a write that changes nothing visible sends nothing). */
  readonly taskSeen?: Map<string, string>;
  send(method: string, params?: Record<string, unknown>): void;
  end(): void;
}

/** Every open listen stream of one server. */
export class SubscriptionHub {
  private readonly listeners = new Set<Listener>();

  get size(): number {
    return this.listeners.size;
  }

  /** @internal */
  add(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Tells the streams that asked for it that a list changed. */
  listChanged(kind: "tools" | "resources" | "prompts"): void {
    const flag = `${kind}ListChanged` as "toolsListChanged" | "resourcesListChanged" | "promptsListChanged";
    for (const l of this.listeners) if (l.filter[flag] === true) l.send(`notifications/${kind}/list_changed`);
  }

  /** Tells the streams subscribed to `uri` that it changed. */
  resourceUpdated(uri: string): void {
    for (const l of this.listeners) if (l.filter.resourceSubscriptions?.includes(uri)) l.send("notifications/resources/updated", { uri });
  }

  /** Sends a task's new state (tasks extension) to the streams following it, as tasks/get would show it. */
  taskChanged(owner: string | undefined, task: DetailedTask): void {
    if (this.listeners.size === 0) return;
    let text: string | undefined;
    for (const l of this.listeners) {
      if (!l.filter.taskIds?.includes(task.taskId) || l.owner !== owner || !l.taskSeen) continue;
      text ??= JSON.stringify(task);
      if (l.taskSeen.get(task.taskId) === text) continue;
      l.taskSeen.set(task.taskId, text);
      l.send(TASK_NOTIFICATION, JSON.parse(text) as Record<string, unknown>);
    }
  }

  /** Ends every stream with its (empty) result: graceful shutdown. */
  closeAll(): void {
    for (const l of [...this.listeners]) l.end();
    this.listeners.clear();
  }
}
