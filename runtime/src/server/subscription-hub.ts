/**
 * The open `subscriptions/listen` streams of one server (2026-07-28), and how changes
 * reach them. The server owns the hub and tells it what changed; subscriptions.ts opens
 * and closes the streams. Apart from both, it depends on nothing but the protocol.
 */
import type { RequestId } from "../protocol/jsonrpc.js";
import type { SubscriptionFilter } from "../protocol/types.js";

/** One open listen stream. */
export interface Listener {
  readonly id: RequestId;
  readonly filter: SubscriptionFilter;
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

  /** Ends every stream with its (empty) result: graceful shutdown. */
  closeAll(): void {
    for (const l of [...this.listeners]) l.end();
    this.listeners.clear();
  }
}
