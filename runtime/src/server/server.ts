import type { Implementation, ServerCapabilities } from "../protocol/types.js";
import type { Transport } from "../protocol/transport.js";
import type {
  CompletionHandler,
  PromptDefinition,
  ResourceDefinition,
  ResourceTemplateDefinition,
  ToolDefinition,
} from "./definitions.js";
import type { PromptEntry, ResourceEntry, TemplateEntry, ToolEntry } from "./entries.js";
import type { Middleware, RawRequestHandler } from "./handlers.js";
import type { CacheOptions } from "./modern-types.js";
import { Registry, type ItemState, type Registered } from "./registry.js";
import type { RequestStateOptions } from "./request-state.js";
import type { TaskOptions } from "./task-types.js";
import { SubscriptionHub } from "./subscription-hub.js";
import { ServerSession, type RawNotificationHandler, type SessionServer } from "./session.js";
import { fairly } from "./fair-share.js";
import { UriTemplate } from "./uri-template.js";
import { LazyValidator } from "./validation.js";

/** Start and stop hooks run once around the server; `start`'s value is `ctx.app`. */
export interface Lifespan<App, Items extends ItemHandles = ItemHandles> {
  start(server: McpServer<App, Items>): App | Promise<App>;
  stop?(app: App, server: McpServer<App, Items>): void | Promise<void>;
}

/**
 * The handle of every registration, by kind and name (`resources` holds resources and
 * templates), so code that did not register an item can still switch it at run time.
 * Generated servers narrow this to the manifest's names.
 */
export interface ItemHandles {
  readonly tools: Readonly<Record<string, Registered>>;
  readonly resources: Readonly<Record<string, Registered>>;
  readonly prompts: Readonly<Record<string, Registered>>;
}

// Declared below the server so the session and the features can name them; exported here as always.
export type { Middleware, MiddlewareRequest, RawRequestHandler } from "./handlers.js";
export type { RawNotificationHandler } from "./session.js";
export type { PromptEntry, ResourceEntry, TemplateEntry, ToolEntry } from "./entries.js";

export interface ServerOptions<App = unknown, Items extends ItemHandles = ItemHandles> {
  instructions?: string;
  /** Items per page on every list (default 100). */
  pageSize?: number;
  /** Capabilities to advertise beyond those derived from what is registered. */
  capabilities?: ServerCapabilities;
  lifespan?: Lifespan<App, Items>;
  /** Defaults for `--http` (the manifest's `http:`); command-line flags override them. */
  http?: ServerHttpDefaults;
  /**
   * Protects the server wherever it is served over HTTP (the manifest's `auth:`): every
   * HTTP handler made for it checks tokens, unless given its own `auth` (or `false`).
   * Lists hide items whose `scopes` an authenticated caller lacks unless
   * `hideUnauthorized: false`. Not used on stdio.
   */
  auth?: ServerAuthSettings | false;
  /** Cache hints (`ttlMs`, `cacheScope`) of 2026-07-28 lists, reads and discovery (default: 0 ms, private). */
  cache?: CacheOptions;
  /** How 2026-07-28 input-required round trips seal their `requestState` (secret, lifetime). */
  requestState?: RequestStateOptions;
  /** The tasks extension (2026-07-28): where tasks live, default TTL, poll interval and lease. */
  tasks?: TaskOptions;
  /** Errors with no one to answer (a handler crash behind a -32603, a failed send). */
  onerror?: (error: Error) => void;
}

/*
 * Settings the server carries for the layers above it. The server layer declares them as
 * extension points and never imports those layers: the auth layer (auth/types.ts) and the
 * node entry (entry/node-http.ts) widen them to their full option types by declaration
 * merging, so authors still get every field typed and checked.
 */
/** The manifest's `http:` defaults for `--http` (all of `ServeHttpOptions`). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ServerHttpDefaults {}
/** The manifest's `auth:` (all of `AuthOptions`); lists read `hideUnauthorized`. */
export interface ServerAuthSettings {
  hideUnauthorized?: boolean;
}

/**
 * An MCP server: what it offers (tools, resources, templates, prompts), shared by
 * every session that connects to it. Sessions hold what is per client.
 */
export class McpServer<App = unknown, Items extends ItemHandles = ItemHandles> implements SessionServer {
  readonly info: Implementation;
  readonly options: ServerOptions<App, Items>;
  readonly sessions = new Set<ServerSession>();
  readonly middleware: Middleware[] = [];
  readonly rawRequestHandlers = new Map<string, RawRequestHandler>();
  readonly rawNotificationHandlers = new Map<string, RawNotificationHandler>();
  /** Open 2026-07-28 `subscriptions/listen` streams. */
  readonly listeners = new SubscriptionHub();
  /**
   * @internal Set by an HTTP handler whose sessions are shared by several nodes
   * (transports/http/cluster.ts): server-wide notifications for those sessions, and for
   * every node's listen streams, go through it, so each reaches each client once.
   */
  cluster?: ServerBroadcast;

  /** @internal */ readonly tools = new Registry<ToolEntry & { enabled?: boolean }>(() => this.listChanged("tools"));
  /** @internal */ readonly resources = new Registry<ResourceEntry>(() => this.listChanged("resources"));
  /** @internal */ readonly templates = new Registry<TemplateEntry & { enabled?: boolean }>(() => this.listChanged("resources"));
  /** @internal */ readonly prompts = new Registry<PromptEntry>(() => this.listChanged("prompts"));

  private appValue: App | undefined;
  private starting?: Promise<void>;
  private stopped = false;
  private readonly pendingListChanges = new Set<"tools" | "resources" | "prompts">();
  private readonly handles: Record<keyof ItemHandles, Record<string, Registered>> = { tools: {}, resources: {}, prompts: {} };

  constructor(info: Implementation, options: ServerOptions<App, Items> = {}) {
    this.info = info;
    this.options = options;
    for (const [kind, registry] of this.registries()) registry.onItemChange = (key, state) => this.cluster?.itemChanged?.(kind, key, state);
  }

  private registries(): [ItemKind, Registry<any>][] {
    return [
      ["tool", this.tools],
      ["resource", this.resources],
      ["template", this.templates],
      ["prompt", this.prompts],
    ];
  }

  /**
   * @internal Mirrors an item change made on another node serving this server (see
   * `ServerBroadcast.itemChanged`); that node already told the clients the list changed.
   */
  applyItemChange(kind: ItemKind, key: string, state: ItemState): void {
    this.registries().find(([k]) => k === kind)?.[1].apply(key, state);
    if (state === "removed") this.untrackers.get(`${kind}:${key}`)?.();
  }

  get pageSize(): number {
    return this.options.pageSize ?? 100;
  }

  /**
   * Every registered item's handle by kind and name: `server.items.tools.beta.enable()`.
   * A removed item leaves; of two resources with one name, the later is kept.
   */
  get items(): Items {
    return this.handles as unknown as Items;
  }

  /** The lifespan's value; undefined before `start()` or without a lifespan. */
  get app(): App {
    return this.appValue as App;
  }

  tool<In = any>(def: ToolDefinition<In, any>): Registered {
    const entry: ToolEntry & { enabled?: boolean } = {
      def: def as ToolDefinition,
      enabled: def.enabled,
      input: new LazyValidator(def.inputSchema ?? { type: "object" }, def.validateInput),
      output: def.outputSchema ? new LazyValidator(def.outputSchema, def.validateOutput) : undefined,
    };
    return this.track("tools", def.name, this.tools.add(def.name, entry, "Tool"), `tool:${def.name}`);
  }

  resource(def: ResourceDefinition<any>): Registered {
    return this.track("resources", def.name, this.resources.add(def.uri, def, "Resource"), `resource:${def.uri}`);
  }

  resourceTemplate<Vars = Record<string, string>>(def: ResourceTemplateDefinition<Vars, any>): Registered {
    const entry = { def: def as ResourceTemplateDefinition, template: new UriTemplate(def.uriTemplate), enabled: def.enabled };
    return this.track("resources", def.name, this.templates.add(def.uriTemplate, entry, "Resource template"), `template:${def.uriTemplate}`);
  }

  prompt<Args = Record<string, string>>(def: PromptDefinition<Args, any>): Registered {
    return this.track("prompts", def.name, this.prompts.add(def.name, def as PromptDefinition, "Prompt"), `prompt:${def.name}`);
  }

  /** Files a handle under `items`; removing the item takes it out again. */
  private track(kind: keyof ItemHandles, name: string, handle: Registered, itemKey: string): Registered {
    const byName = this.handles[kind];
    const untrack = () => {
      if (byName[name] === tracked) delete byName[name];
      if (this.untrackers.get(itemKey) === untrack) this.untrackers.delete(itemKey);
    };
    const tracked: Registered = {
      get enabled() {
        return handle.enabled;
      },
      enable: () => handle.enable(),
      disable: () => handle.disable(),
      remove: () => {
        handle.remove();
        untrack();
      },
    };
    byName[name] = tracked;
    this.untrackers.set(itemKey, untrack);
    return tracked;
  }

  /** How to take each item's handle out of `items`, by `kind:key` (for removals another node made). */
  private readonly untrackers = new Map<string, () => void>();

  /** Adds middleware; it runs around every request, in the order added. */
  use(middleware: Middleware): this {
    this.middleware.push(middleware);
    return this;
  }

  /** Replaces or adds the handler of a method (low-level access). */
  setRequestHandler(method: string, handler: RawRequestHandler): this {
    this.rawRequestHandlers.set(method, handler);
    return this;
  }

  setNotificationHandler(method: string, handler: RawNotificationHandler): this {
    this.rawNotificationHandlers.set(method, handler);
    return this;
  }

  /**
   * Capabilities derived from what is registered, merged with the configured ones.
   * Disabled items count: a session keeps the capabilities it initialized with, so an
   * item enabled later must already be covered (or its methods would be -32601).
   */
  capabilities(): ServerCapabilities {
    const caps: ServerCapabilities = { logging: {} };
    if (this.tools.size > 0) caps.tools = { listChanged: true };
    if (this.resources.size > 0 || this.templates.size > 0) {
      let subscribe = false;
      for (const r of this.resources.allDefs()) subscribe ||= r.subscribe === true;
      for (const t of this.templates.allDefs()) subscribe ||= t.def.subscribe === true;
      caps.resources = subscribe ? { subscribe: true, listChanged: true } : { listChanged: true };
    }
    if (this.prompts.size > 0) caps.prompts = { listChanged: true };
    if (this.hasCompletions()) caps.completions = {};
    return { ...caps, ...this.options.capabilities };
  }

  private hasCompletions(): boolean {
    for (const p of this.prompts.allDefs()) if (p.complete && Object.keys(p.complete).length > 0) return true;
    for (const t of this.templates.allDefs()) if (t.def.complete && Object.keys(t.def.complete).length > 0) return true;
    return this.rawRequestHandlers.has("completion/complete");
  }

  /** Runs the lifespan's start hook once; connecting a transport does this for you. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      if (this.options.lifespan) this.appValue = await this.options.lifespan.start(this);
    })();
    return this.starting;
  }

  /** Serves one client over a transport; resolves once the transport is listening. */
  async connect(transport: Transport): Promise<ServerSession> {
    await this.start();
    const session = new ServerSession(this, transport.sessionId);
    this.sessions.add(session);
    session.peer.onClose(() => this.sessions.delete(session));
    await session.peer.connect(transport);
    return session;
  }

  /** Closes every session, then runs the lifespan's stop hook. */
  async close(): Promise<void> {
    this.listeners.closeAll();
    await Promise.allSettled([...this.sessions].map((s) => s.close()));
    if (this.stopped) return;
    this.stopped = true;
    if (this.starting && this.options.lifespan?.stop) {
      await this.starting;
      await this.options.lifespan.stop(this.appValue as App, this);
    }
  }

  /** Tells every session subscribed to `uri` that it changed. */
  async notifyResourceUpdated(uri: string): Promise<void> {
    const sends: Promise<void>[] = [];
    const cluster = this.cluster;
    for (const s of this.sessions) if (s.isSubscribed(uri) && !cluster?.owns(s)) sends.push(s.peer.notify("notifications/resources/updated", { uri }));
    if (cluster) sends.push(cluster.resourceUpdated(uri));
    else this.listeners.resourceUpdated(uri);
    // With one subscriber (stdio, or one HTTP client) the caller waits for its room: a loop of
    // updates goes at the client's pace. With several, one that stopped reading must not hold
    // up the caller and every other subscriber: nobody waits, and a stream left unread past
    // its limit is cut off.
    await fairly(sends.length === 1 ? sends[0]! : Promise.resolve());
  }

  /** Coalesces list changes made in one tick into one notification per list. */
  private listChanged(kind: "tools" | "resources" | "prompts"): void {
    if (this.sessions.size === 0 && !this.cluster) return;
    if (this.pendingListChanges.size === 0) {
      queueMicrotask(() => {
        const kinds = [...this.pendingListChanges];
        this.pendingListChanges.clear();
        const cluster = this.cluster;
        for (const s of this.sessions) if (!cluster?.owns(s)) for (const k of kinds) s.sendListChanged(k);
        if (cluster) cluster.listChanged(kinds);
        else for (const k of kinds) this.listeners.listChanged(k);
      });
    }
    this.pendingListChanges.add(kind);
  }

  /** @internal Looks up the completion handler for a prompt argument or template variable. */
  completionHandler(ref: { type: string; name?: string; uri?: string }, argument: string): CompletionHandler | undefined | null {
    if (ref.type === "ref/prompt") {
      const p = this.prompts.get(String(ref.name));
      if (!p) return null;
      return ownHandler(p.complete, argument);
    }
    if (ref.type === "ref/resource") {
      const t = this.templates.get(String(ref.uri));
      if (!t) return this.resources.get(String(ref.uri)) ? undefined : null;
      return ownHandler(t.def.complete, argument);
    }
    return null;
  }
}

/** Where server-wide notifications go when sessions are shared by several nodes. */
export interface ServerBroadcast {
  /** Whether this session's notifications are the broadcaster's to deliver. */
  owns(session: ServerSession): boolean;
  resourceUpdated(uri: string): Promise<void>;
  listChanged(kinds: ("tools" | "resources" | "prompts")[]): void;
  /** An item was enabled, disabled or removed here: the other nodes do the same (`applyItemChange`). */
  itemChanged?(kind: ItemKind, key: string, state: ItemState): void;
}

/** Which registry an item is in: tools by name, resources by URI, templates by URI template, prompts by name. */
export type ItemKind = "tool" | "resource" | "template" | "prompt";

/** The handler registered under `name`: never an inherited member (`toString`, `constructor`). */
function ownHandler(handlers: Record<string, CompletionHandler> | undefined, name: string): CompletionHandler | undefined {
  return handlers && Object.prototype.hasOwnProperty.call(handlers, name) ? handlers[name] : undefined;
}
