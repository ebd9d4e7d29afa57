/**
 * `@mcpgen/runtime/http`: the Streamable HTTP core on Web `Request`/`Response` only,
 * for edge runtimes (Cloudflare Workers, Deno, Bun) and fetch-style frameworks (Hono).
 * No node: modules are imported from here.
 */
export { HttpEndpoint, mountHandlers, classify, type HttpEndpointOptions, type HttpGate, type MountedHandlers } from "./transports/http/handler.js";
export { McpHttpHandler, createHttpHandler, type HttpHandlerOptions } from "./entry/http-handler.js";
export { MemoryEventStore, type EventStore, type MemoryEventStoreOptions, type StoredMessage } from "./transports/http/event-store.js";
export { MemorySessionStore, type SessionStore, type SessionRecord, type MemorySessionStoreOptions } from "./transports/http/session-store.js";
export { LocalClusterHub, LocalClusterBus, newNodeId, type ClusterBus, type TrackedStream } from "./transports/http/cluster.js";
export { EVENT_STORE_DEFAULTS, streamIdOfEvent, sessionIdOfStream } from "./transports/http/event-store.js";
export { SESSION_STORE_DEFAULTS } from "./transports/http/session-store.js";
export { fromWebRequest, type IncomingHttp } from "./transports/http/incoming.js";
export { toWebResponse, type HttpReply } from "./transports/http/responses.js";
export type { GuardOptions } from "./transports/http/guards.js";

// The server side of MCP authorization (protected resource metadata, token and scope checks).
export * from "./auth/index.js";
