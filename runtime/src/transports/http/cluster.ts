/**
 * Several nodes (processes) serving one set of Streamable HTTP sessions, with no sticky
 * sessions: any request of any session may land on any node. The session and event
 * stores are shared (say, on Redis); what they cannot carry is what lives in one node's
 * memory while it runs. A `ClusterBus` carries that between nodes:
 *
 * - events for a stream open on another node: the GET stream (notifications sent by a
 *   call running elsewhere, server-wide notifications) and a call's stream that its
 *   client resumed on another node than the one running the call;
 * - a client's response to a server→client request (elicitation, sampling, roots) to the
 *   node awaiting it: request ids sent to clients carry the node's id (`<node>~<n>`);
 * - `notifications/cancelled` to whichever node runs the request, and DELETE and state
 *   changes (log level, subscriptions) to every node holding the session;
 * - server-wide notifications (list changes, resource updates) to every session once,
 *   and to every node's 2026-07-28 `subscriptions/listen` streams;
 * - node liveness: a call whose node died gets a JSON-RPC error on its resumed stream
 *   once the node has been silent for `nodeTimeoutMs`, never a silent hang.
 *
 * `LocalClusterBus` is the in-process implementation (several handlers in one process,
 * and tests); `@mcpgen/redis` has one on Redis pub/sub.
 */
import { ErrorCode, type JsonRpcMessage, type RequestId } from "../../protocol/jsonrpc.js";
import type { ItemKind, McpServer, ServerBroadcast } from "../../server/server.js";
import type { ItemState } from "../../server/registry.js";
import type { ServerSession, SessionState } from "../../server/session.js";
import type { MessageExtra } from "../../protocol/transport.js";
import type { EventStore } from "./event-store.js";
import type { SessionStore } from "./session-store.js";
import type { SessionTransport } from "./session-transport.js";
import { sseEventOfJson, type SseWriter } from "./sse.js";
import type { Follower, StreamRouting, Subscription } from "./stream-routing.js";

export type { Follower, StreamRouting, Subscription } from "./stream-routing.js";

/** What nodes share besides the stores. Implementations: LocalClusterBus, @mcpgen/redis. */
export interface ClusterBus {
  /** This process's id: unique per process start; letters and digits only. */
  readonly nodeId: string;
  /** A node silent this long is dead: its calls still awaited get an error (the bound). */
  readonly nodeTimeoutMs: number;
  /** Sends `message` to the subscribers of `channel` on every node, this one included. */
  publish(channel: string, message: string): void | Promise<unknown>;
  /** Receives a channel's messages until `stop()`. */
  subscribe(channel: string, listener: (message: string) => void): Subscription;
  /** Notes that a call stream runs on this node, awaiting these request ids. */
  track(streamId: string, requestIds: RequestId[], ttlMs: number): void | Promise<unknown>;
  /** The node running a stream and its request ids; undefined once it ended. */
  tracked(streamId: string): TrackedStream | undefined | Promise<TrackedStream | undefined>;
  /** Forgets a stream; true if this call removed it (so one node alone answers for a dead one). */
  untrack(streamId: string): boolean | Promise<boolean>;
  /** Whether a node announced itself within `nodeTimeoutMs`. */
  isAlive(nodeId: string): boolean | Promise<boolean>;
  /** The session ended: forget whatever is tracked for it (streams of calls that never finished). */
  forgetSession?(sessionId: string): void | Promise<unknown>;
}

export interface TrackedStream {
  node: string;
  requestIds: RequestId[];
}

/** What the cluster needs of the handler it serves. */
export interface ClusterHost {
  readonly server: McpServer<any>;
  readonly eventStore?: EventStore;
  readonly sessionStore: SessionStore;
  readonly ttlMs: number;
  /** The session live on this node, if any. */
  local(sessionId: string): { transport: SessionTransport; session: ServerSession; record: { state: SessionState } } | undefined;
  /** Closes the session here, touching no store (it was deleted on another node). */
  drop(sessionId: string): Promise<void>;
  onerror(error: Error): void;
}

const CHANNEL = { sessions: "sessions", server: "server", node: (id: string) => `node:${id}`, stream: (id: string) => `stream:${id}` };

/** The separator between a node's id and its counter in request ids sent to clients. */
export const NODE_ID_SEPARATOR = "~";

/** @internal The cluster side of one HTTP handler. */
export class ClusterRouting implements StreamRouting, ServerBroadcast {
  readonly nodeId: string;
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly bus: ClusterBus,
    private readonly host: ClusterHost,
  ) {
    this.nodeId = bus.nodeId;
    if (!/^[A-Za-z0-9]+$/.test(this.nodeId)) throw new Error(`ClusterBus.nodeId must be letters and digits: ${JSON.stringify(this.nodeId)}`);
    this.subscriptions.push(
      bus.subscribe(CHANNEL.node(this.nodeId), (m) => this.guard(() => this.onForwarded(m))),
      bus.subscribe(CHANNEL.sessions, (m) => this.guard(() => this.onSessionEvent(m))),
      bus.subscribe(CHANNEL.server, (m) => this.guard(() => this.onServerEvent(m))),
    );
    host.server.cluster = this;
  }

  private guard(f: () => unknown): void {
    try {
      const r = f();
      if (r instanceof Promise) r.catch((e: Error) => this.host.onerror(e));
    } catch (error) {
      this.host.onerror(error as Error);
    }
  }

  private publish(channel: string, message: string): void {
    this.guard(() => this.bus.publish(channel, message));
  }

  close(): void {
    for (const sub of this.subscriptions.splice(0)) sub.stop();
    if (this.host.server.cluster === this) this.host.server.cluster = undefined;
  }

  // --- Messages a client POSTs that belong to another node -------------------------------

  /**
   * Sends on what in a POST of responses and notifications belongs elsewhere: responses
   * to requests another node sent, and cancellations (every node holding the session gets
   * them; only the one running the request acts). Returns what is left for this node.
   */
  route(sessionId: string, body: unknown): unknown {
    const items = Array.isArray(body) ? body : [body];
    const keep: unknown[] = [];
    const elsewhere = new Map<string, unknown[]>();
    const cancels: unknown[] = [];
    for (const item of items) {
      const m = item as { id?: unknown; method?: unknown };
      const node = m.method === undefined && typeof m.id === "string" ? nodeOfRequestId(m.id) : undefined;
      if (node !== undefined && node !== this.nodeId) {
        let list = elsewhere.get(node);
        if (!list) elsewhere.set(node, (list = []));
        list.push(item);
        continue;
      }
      if (m.method === "notifications/cancelled") cancels.push(item);
      keep.push(item);
    }
    for (const [node, list] of elsewhere) this.publish(CHANNEL.node(node), JSON.stringify({ sid: sessionId, body: list }));
    if (cancels.length > 0) this.publish(CHANNEL.sessions, JSON.stringify({ t: "cancel", n: this.nodeId, sid: sessionId, body: cancels }));
    if (keep.length === 0) return undefined;
    return Array.isArray(body) ? keep : keep[0];
  }

  private deliver(sessionId: string, body: unknown): void {
    const live = this.host.local(sessionId);
    if (!live) return;
    const extra: MessageExtra = {};
    void live.transport.post(body, { requestIds: [], batch: Array.isArray(body) }, extra, { json: false, protocolVersion: live.session.protocolVersion }, {});
  }

  private onForwarded(raw: string): void {
    const { sid, body } = JSON.parse(raw) as { sid: string; body: unknown[] };
    this.deliver(sid, body.length === 1 ? body[0] : body);
  }

  /** The session ended (DELETE) here: every other node closes its copy. */
  ended(sessionId: string): void {
    this.publish(CHANNEL.sessions, JSON.stringify({ t: "end", n: this.nodeId, sid: sessionId }));
    this.guard(() => this.bus.forgetSession?.(sessionId));
  }

  /** Its state changed here (log level, subscriptions): other nodes' copies follow. */
  stateChanged(sessionId: string, state: SessionState): void {
    this.publish(CHANNEL.sessions, JSON.stringify({ t: "state", n: this.nodeId, sid: sessionId, state }));
  }

  private onSessionEvent(raw: string): unknown {
    const m = JSON.parse(raw) as { t: string; n: string; sid: string; body?: unknown[]; state?: SessionState };
    if (m.n === this.nodeId) return;
    if (m.t === "cancel") return this.deliver(m.sid, m.body!.length === 1 ? m.body![0] : m.body);
    if (m.t === "end") return this.host.local(m.sid) ? this.host.drop(m.sid) : undefined;
    if (m.t === "get") return this.host.local(m.sid)?.transport.closeStandalone();
    const live = m.t === "state" ? this.host.local(m.sid) : undefined;
    if (live) {
      live.session.restore(m.state!);
      live.record.state = m.state!;
    }
  }

  // --- Server-wide notifications ----------------------------------------------------------

  owns(session: ServerSession): boolean {
    return session.id !== undefined && this.host.local(session.id)?.session === session;
  }

  async resourceUpdated(uri: string): Promise<void> {
    this.publish(CHANNEL.server, JSON.stringify({ t: "res", uri }));
    const message: JsonRpcMessage = { jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri } };
    await this.toEverySession(await this.sessionIds(uri), () => message);
  }

  listChanged(kinds: ("tools" | "resources" | "prompts")[]): void {
    this.publish(CHANNEL.server, JSON.stringify({ t: "list", kinds }));
    const caps = this.host.server.capabilities();
    const offered = kinds.filter((k) => caps[k] !== undefined);
    if (offered.length === 0) return;
    this.guard(async () => {
      const ids = await this.sessionIds();
      for (const k of offered) await this.toEverySession(ids, () => ({ jsonrpc: "2.0", method: `notifications/${k}/list_changed` }));
    });
  }

  private async sessionIds(subscribedTo?: string): Promise<Iterable<string>> {
    const store = this.host.sessionStore;
    if (store.sessionIds) return store.sessionIds(subscribedTo);
    // A store that cannot list its sessions: those live here, at least.
    const ids: string[] = [];
    for (const s of this.host.server.sessions) if (s.id !== undefined && (subscribedTo === undefined || s.isSubscribed(subscribedTo))) ids.push(s.id);
    return ids;
  }

  /** One notification on each session's GET stream, stored once, wherever that stream is open. */
  private async toEverySession(ids: Iterable<string>, message: () => JsonRpcMessage): Promise<void> {
    const store = this.host.eventStore;
    const sends: Promise<unknown>[] = [];
    for (const sid of ids) {
      const live = this.host.local(sid);
      if (live) {
        // Through the session: stored, written to its GET stream if open here, published if not.
        const m = message() as { method: string; params?: Record<string, unknown> };
        sends.push(live.session.peer.notify(m.method, m.params));
        continue;
      }
      if (!store) continue;
      const streamId = `${sid}.0`;
      const m = message();
      const json = JSON.stringify(m);
      sends.push(Promise.resolve(store.append(streamId, m, json)).then((eventId) => this.stored(streamId, eventId, json, false)));
    }
    const results = await Promise.allSettled(sends);
    for (const r of results) if (r.status === "rejected") this.host.onerror(r.reason as Error);
  }

  /**
   * A tool, resource, template or prompt enabled, disabled or removed at run time here: every
   * node serves the same lists. Published before the list change it causes, so a node hears
   * of the item first (pub/sub keeps one publisher's order). A node started later begins with
   * the registrations its code makes.
   */
  itemChanged(kind: ItemKind, key: string, state: ItemState): void {
    this.publish(CHANNEL.server, JSON.stringify({ t: "item", kind, key, state, from: this.nodeId }));
  }

  private onServerEvent(raw: string): void {
    const m = JSON.parse(raw) as { t: string; uri?: string; kinds?: ("tools" | "resources" | "prompts")[]; kind?: ItemKind; key?: string; state?: ItemState; from?: string };
    const hub = this.host.server.listeners;
    if (m.t === "res") hub.resourceUpdated(m.uri!);
    else if (m.t === "list") for (const k of m.kinds!) hub.listChanged(k);
    else if (m.t === "item" && m.from !== this.nodeId) this.host.server.applyItemChange(m.kind!, m.key!, m.state!);
  }

  // --- Streams ---------------------------------------------------------------------------

  opened(streamId: string, requestIds: RequestId[]): void {
    this.guard(() => this.bus.track(streamId, requestIds, this.host.ttlMs));
  }

  stored(streamId: string, eventId: string, json: string, final: boolean): void {
    // No JSON envelope around the event: it goes as it was stored, after three header lines.
    this.publish(CHANNEL.stream(streamId), `${this.nodeId}\n${final ? 1 : 0}\n${eventId}\n${json}`);
    if (final) this.finished(streamId);
  }

  finished(streamId: string): void {
    this.guard(() => this.bus.untrack(streamId));
  }

  /** Resolves once the cluster's own channels are subscribed. */
  get ready(): Promise<unknown> {
    return Promise.all(this.subscriptions.map((s) => s.ready));
  }

  /**
   * Whether a GET stream may open here: not while a live node holds one for the session
   * (409, as on one node). A resuming client (Last-Event-ID) is not asked: it takes over.
   */
  async mayOpenStandalone(sessionId: string): Promise<boolean> {
    const held = await this.bus.tracked(`${sessionId}.0`);
    return !held || held.node === this.nodeId || !(await this.bus.isAlive(held.node));
  }

  watch(streamId: string, writer: SseWriter, skip?: ReadonlySet<string>): Subscription {
    const sub = this.bus.subscribe(CHANNEL.stream(streamId), (raw) => {
      const e = parseStreamEvent(raw);
      // This node's own events were written as they were stored.
      if (!e || e.node === this.nodeId || skip?.has(e.eventId)) return;
      writer.writeEvent(sseEventOfJson(e.json, e.eventId), e.eventId);
    });
    // The session's GET stream is here now: a copy another node still holds is stale.
    const sessionId = streamId.slice(0, streamId.indexOf("."));
    this.guard(() => this.bus.track(streamId, [], this.host.ttlMs));
    this.publish(CHANNEL.sessions, JSON.stringify({ t: "get", n: this.nodeId, sid: sessionId }));
    return {
      ready: sub.ready,
      stop: () => {
        sub.stop();
        this.guard(async () => {
          if ((await this.bus.tracked(streamId))?.node === this.nodeId) await this.bus.untrack(streamId);
        });
      },
    };
  }

  follow(streamId: string, writer: SseWriter, replayed: ReadonlySet<string>): Follower {
    const answered = new Set<RequestId>();
    let released = false;
    let finalSeen = false;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      subscription.stop();
    };
    const finish = () => {
      stop();
      writer.close();
    };
    const subscription = this.bus.subscribe(CHANNEL.stream(streamId), (raw) => {
      const e = parseStreamEvent(raw);
      // Own events on a followed stream are the errors `fail` wrote itself.
      if (!e || stopped || e.node === this.nodeId || replayed.has(e.eventId)) return;
      writer.writeEvent(sseEventOfJson(e.json, e.eventId), e.eventId);
      if (e.final) {
        finalSeen = true;
        // While the replay holds the stream, closing would lose what it holds: later.
        if (released) finish();
      }
    });
    writer.onCancel(stop);
    const fail = async (tracked: TrackedStream, open: RequestId[]) => {
      // Whoever removes the record answers for the dead node; the others get its events.
      if (!(await this.bus.untrack(streamId))) return;
      const store = this.host.eventStore;
      for (let i = 0; i < open.length; i++) {
        const error: JsonRpcMessage = {
          jsonrpc: "2.0",
          id: open[i]!,
          error: {
            code: ErrorCode.InternalError,
            message: "The server node running this request stopped before answering; it may or may not have taken effect",
            data: { node: tracked.node },
          },
        };
        const json = JSON.stringify(error);
        const eventId = store ? await store.append(streamId, error, json) : undefined;
        const final = i === open.length - 1;
        if (eventId !== undefined) this.stored(streamId, eventId, json, final);
        if (!stopped) writer.writeEvent(sseEventOfJson(json, eventId), eventId);
      }
      finish();
    };
    return {
      ready: subscription.ready,
      replayed: (message) => {
        for (const m of Array.isArray(message) ? message : [message]) {
          const r = m as { id?: RequestId | null; method?: string };
          if (r.method === undefined && r.id !== undefined && r.id !== null) answered.add(r.id);
        }
      },
      stop,
      afterReplay: async () => {
        released = true;
        if (finalSeen) return finish();
        try {
          const tracked = await this.bus.tracked(streamId);
          if (stopped) return;
          const open = tracked?.requestIds.filter((id) => !answered.has(id)) ?? [];
          // The call ended (its reply was replayed, or it was cancelled): the replay was all.
          if (!tracked || open.length === 0) return finish();
          const check = async () => {
            if (stopped) return;
            if (await this.bus.isAlive(tracked.node)) {
              timer = setTimeout(() => this.guard(check), Math.max(50, this.bus.nodeTimeoutMs / 4));
              (timer as { unref?: () => void }).unref?.();
              return;
            }
            if (!stopped) await fail(tracked, open);
          };
          await check();
        } catch (error) {
          this.host.onerror(error as Error);
          finish();
        }
      },
    };
  }
}

/** The node a request id sent to a client names (`<node>~<n>`), if it names one. */
export function nodeOfRequestId(id: string): string | undefined {
  const i = id.indexOf(NODE_ID_SEPARATOR);
  return i > 0 ? id.slice(0, i) : undefined;
}

function parseStreamEvent(raw: string): { node: string; final: boolean; eventId: string; json: string } | undefined {
  const a = raw.indexOf("\n");
  const b = raw.indexOf("\n", a + 1);
  const c = raw.indexOf("\n", b + 1);
  if (a < 0 || b < 0 || c < 0) return undefined;
  return { node: raw.slice(0, a), final: raw.slice(a + 1, b) === "1", eventId: raw.slice(b + 1, c), json: raw.slice(c + 1) };
}

/** A fresh node id: 48 random bits, hex. */
export function newNodeId(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 12);
}

/**
 * The bus of nodes in one process (several handlers sharing memory stores; tests).
 * Make one `LocalClusterHub` and a bus per node: `hub.node()`.
 */
export class LocalClusterHub {
  private readonly channels = new Map<string, Set<(m: string) => void>>();
  private readonly streams = new Map<string, TrackedStream>();
  private readonly alive = new Set<string>();

  constructor(readonly nodeTimeoutMs = 10_000) {}

  node(nodeId = newNodeId()): LocalClusterBus {
    this.alive.add(nodeId);
    return new LocalClusterBus(this, nodeId);
  }

  /** @internal */
  publish(channel: string, message: string): void {
    const listeners = this.channels.get(channel);
    if (!listeners) return;
    // Asynchronous, as across a network: nobody gets a message in the middle of sending one.
    queueMicrotask(() => {
      for (const l of [...listeners]) l(message);
    });
  }

  /** @internal */
  subscribe(channel: string, listener: (m: string) => void): Subscription {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(listener);
    return {
      stop: () => {
        set.delete(listener);
        if (set.size === 0 && this.channels.get(channel) === set) this.channels.delete(channel);
      },
    };
  }

  /** @internal */
  trackStore(): Map<string, TrackedStream> {
    return this.streams;
  }

  isAlive(nodeId: string): boolean {
    return this.alive.has(nodeId);
  }

  /** The node stops counting as alive (its process "died"). */
  kill(nodeId: string): void {
    this.alive.delete(nodeId);
  }

  /** Channels with a subscriber (tests check nothing leaks). */
  get channelCount(): number {
    return this.channels.size;
  }
}

export class LocalClusterBus implements ClusterBus {
  constructor(
    private readonly hub: LocalClusterHub,
    readonly nodeId: string,
  ) {}

  get nodeTimeoutMs(): number {
    return this.hub.nodeTimeoutMs;
  }

  publish(channel: string, message: string): void {
    this.hub.publish(channel, message);
  }

  subscribe(channel: string, listener: (message: string) => void): Subscription {
    return this.hub.subscribe(channel, listener);
  }

  track(streamId: string, requestIds: RequestId[]): void {
    this.hub.trackStore().set(streamId, { node: this.nodeId, requestIds });
  }

  tracked(streamId: string): TrackedStream | undefined {
    return this.hub.trackStore().get(streamId);
  }

  untrack(streamId: string): boolean {
    return this.hub.trackStore().delete(streamId);
  }

  forgetSession(sessionId: string): void {
    const streams = this.hub.trackStore();
    for (const id of [...streams.keys()]) if (id.startsWith(`${sessionId}.`)) streams.delete(id);
  }

  isAlive(nodeId: string): boolean {
    return this.hub.isAlive(nodeId);
  }

  /** Leaves the cluster: its calls still awaited elsewhere are failed. */
  close(): void {
    this.hub.kill(this.nodeId);
  }
}
