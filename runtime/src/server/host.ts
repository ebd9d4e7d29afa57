/**
 * What the 2026-07-28 dispatch and listen streams need of a session and its server.
 * ServerSession and McpServer implement these; they are declared here, below both,
 * because the session dispatches to modern.ts and subscriptions.ts, so those cannot
 * import the session (nor the server, which creates sessions).
 */
import type { IncomingRequest } from "../protocol/engine.js";
import type { ServerCapabilities } from "../protocol/types.js";
import type { ServerCatalog } from "./catalog.js";
import type { Context, ContextServer, ContextSession } from "./context.js";
import type { RawRequestHandler } from "./handlers.js";
import type { SubscriptionHub } from "./subscription-hub.js";

/** A server as seen from a session's request handling. */
export interface ServerHost extends ServerCatalog, ContextServer {
  readonly rawRequestHandlers: ReadonlyMap<string, RawRequestHandler>;
  /** Open 2026-07-28 `subscriptions/listen` streams. */
  readonly listeners: SubscriptionHub;
  /** Capabilities derived from what is registered, merged with the configured ones. */
  capabilities(): ServerCapabilities;
}

/** A session (or a per-request view of one) that requests are served on. */
export interface HostedSession extends ContextSession {
  readonly server: ServerHost;
  /** Runs a method's handler (the author's raw one, else the built-in) through the middleware. */
  invoke(method: string, params: Record<string, unknown>, req: IncomingRequest, ctx: Context<any>): unknown;
}
