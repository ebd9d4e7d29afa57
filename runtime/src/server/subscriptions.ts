/**
 * `subscriptions/listen` (2026-07-28): the one way a client of that revision hears about
 * changes, replacing the GET stream and resources/subscribe. The request stays open; the
 * server first sends `notifications/subscriptions/acknowledged` with the part of the
 * filter it honours, then list changes and resource updates the filter asked for, each
 * tagged `_meta["io.modelcontextprotocol/subscriptionId"]` (the listen request's id). It
 * ends when the client cancels it (on HTTP: closes the stream) or the server shuts down,
 * which answers it with an empty result.
 */
import type { IncomingRequest } from "../protocol/engine.js";
import { invalidParams } from "../protocol/jsonrpc.js";
import { META, type ServerCapabilities, type SubscriptionFilter } from "../protocol/types.js";
import { declaresTasks, type DetailedTask } from "../protocol/tasks.js";
import { canSubscribe } from "./resources.js";
import { principalOf, tasksExtensionRequired } from "./task-types.js";
import type { HostedSession } from "./host.js";

// The hub lives apart so the server can own it without importing the listen handling.
export { SubscriptionHub } from "./subscription-hub.js";

/** Most task ids one listen stream may follow. */
export const MAX_LISTEN_TASK_IDS = 100;

/** The filter as sent, checked: -32602 when it is not one. */
function readFilter(value: unknown): SubscriptionFilter {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalidParams("Invalid params: subscriptions/listen needs 'notifications', a filter object");
  }
  const f = value as Record<string, unknown>;
  for (const k of ["toolsListChanged", "promptsListChanged", "resourcesListChanged"] as const) {
    if (f[k] !== undefined && typeof f[k] !== "boolean") throw invalidParams(`Invalid params: notifications.${k} must be a boolean`);
  }
  const tasks = f.taskIds;
  if (tasks !== undefined && (!Array.isArray(tasks) || tasks.some((t) => typeof t !== "string") || tasks.length > MAX_LISTEN_TASK_IDS)) {
    throw invalidParams(`Invalid params: notifications.taskIds must be an array of at most ${MAX_LISTEN_TASK_IDS} task ids`);
  }
  const subs = f.resourceSubscriptions;
  if (subs !== undefined && (!Array.isArray(subs) || subs.some((u) => typeof u !== "string"))) {
    throw invalidParams("Invalid params: notifications.resourceSubscriptions must be an array of URIs");
  }
  return f as SubscriptionFilter;
}

/** What of a filter this server can deliver. */
function honour(view: HostedSession, filter: SubscriptionFilter, caps: ServerCapabilities): SubscriptionFilter {
  const out: SubscriptionFilter = {};
  if (filter.toolsListChanged && caps.tools?.listChanged) out.toolsListChanged = true;
  if (filter.promptsListChanged && caps.prompts?.listChanged) out.promptsListChanged = true;
  if (filter.resourcesListChanged && caps.resources?.listChanged) out.resourcesListChanged = true;
  if (filter.resourceSubscriptions && caps.resources?.subscribe) {
    out.resourceSubscriptions = [...new Set(filter.resourceSubscriptions)].filter((uri) => canSubscribe(view.server, uri));
  }
  // Task status notifications (tasks extension) need the client to declare it.
  if (filter.taskIds !== undefined) {
    if (!declaresTasks(view.clientCapabilities)) throw tasksExtensionRequired("task status notifications");
    out.taskIds = [...new Set(filter.taskIds)];
  }
  return out;
}

/** The followed tasks' current state (tasks extension), for a new listen stream. */
export type CurrentTasks = (ids: readonly string[], owner: string | undefined) => Promise<DetailedTask[]>;

/** Serves one subscriptions/listen request until it is cancelled or the server closes. */
export async function listen(
  view: HostedSession,
  params: Record<string, unknown>,
  req: IncomingRequest,
  caps: ServerCapabilities,
  currentTasks?: CurrentTasks,
): Promise<Record<string, unknown>> {
  const filter = honour(view, readFilter(params.notifications), caps);
  const id = req.id;
  const tag = { [META.subscriptionId]: id };
  const send = (method: string, p: Record<string, unknown> = {}) =>
    void view.peer.notify(method, { ...p, _meta: { ...((p._meta as object) ?? {}), ...tag } }, { relatedRequestId: id });
  // The acknowledgement is the first message of the stream.
  send("notifications/subscriptions/acknowledged", { notifications: filter });
  const signal = req.signal;
  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const remove = view.server.listeners.add({
      id,
      filter,
      owner: principalOf(req.extra?.authInfo),
      taskSeen: filter.taskIds ? new Map() : undefined,
      send,
      end: () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
    });
    const onAbort = () => {
      remove();
      resolve();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    // Followed tasks: their state now, so a client never waits for the next change to learn it.
    if (currentTasks && filter.taskIds && filter.taskIds.length > 0) {
      const owner = principalOf(req.extra?.authInfo);
      void currentTasks(filter.taskIds, owner).then(
        (tasks) => {
          for (const t of tasks) view.server.listeners.taskChanged(owner, t);
        },
        () => undefined,
      );
    }
  });
  return { _meta: tag };
}
