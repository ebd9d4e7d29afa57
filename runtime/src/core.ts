/**
 * Everything in @mcpgen/runtime that runs without Node's own modules: the engine,
 * server, client, HTTP core and Streamable HTTP client. Edge runtimes (Cloudflare
 * Workers, Vercel Edge) get this as the package's main entry through the `workerd`,
 * `worker` and `edge-light` export conditions; Node gets `index.ts`, which adds stdio
 * and node:http.
 */
export { Peer, StrayResponseError, type IncomingRequest, type PeerOptions, type Progress, type RequestOptions } from "./protocol/engine.js";
export * from "./protocol/jsonrpc.js";
export * from "./protocol/types.js";
export * from "./protocol/versions.js";

export { McpServer, type ItemHandles, type Lifespan, type Middleware, type MiddlewareRequest, type ServerOptions, type RawRequestHandler, type RawNotificationHandler } from "./server/server.js";
export { ServerSession, type SessionState } from "./server/session.js";
export { Context, type ElicitOptions, type InputOptions, type Logger } from "./server/context.js";
export type { Registered } from "./server/registry.js";
export type * from "./server/definitions.js";
export * from "./server/content.js";
export { UriTemplate, isUriTemplate } from "./server/uri-template.js";
export { compileSchema, formatIssues, type ValidateFn, type ValidationIssue } from "./server/validation.js";
export { notImplemented } from "./server/not-implemented.js";
export { attachForms, type FormSpec } from "./server/forms.js";
// The 2026-07-28 (stateless) era: per-request _meta, input-required round trips, listen streams.
export { type CacheOptions, type ModernEnvelope } from "./server/modern.js";
export { InputRequired, isInputRequired } from "./server/input-required.js";
export { RequestStateCodec, type RequestStateOptions } from "./server/request-state.js";
// The tasks extension (io.modelcontextprotocol/tasks) of 2026-07-28.
export * from "./protocol/tasks.js";
export { MemoryTaskStore, type MemoryTaskStoreOptions, type TaskRecord, type TaskStore } from "./server/task-store.js";
export {
  TaskService,
  tasksOf,
  detailedTask,
  DEFAULT_TASK_TTL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_LEASE_MS,
  type TaskOptions,
  type ToolTaskOptions,
} from "./server/tasks.js";
export { SubscriptionHub } from "./server/subscriptions.js";
export { X_MCP_HEADER, scanMcpHeaders, encodeHeaderValue, decodeHeaderValue, paramHeaders, checkParamHeaders, type McpHeaderDeclaration, type McpHeaderScan } from "./protocol/mcp-headers.js";
export type { ProtocolEra, Subscription } from "./client/modern.js";

export { ToolCallError, structuredOf, checkToolResult } from "./client/typed.js";
export { ToolTask, type TaskWaitOptions } from "./client/tasks.js";
export { McpClient, getDisplayName, type ClientOptions, type CallOptions, type ElicitationRequest, type LogMessage } from "./client/client.js";

export type { Transport, TransportSink, SendOptions, MessageExtra, AuthInfo } from "./protocol/transport.js";
export { createMemoryTransportPair } from "./transports/memory.js";

export * from "./http.js";
export { SseParser, pumpSse, readSseEvents, type SseEvent } from "./transports/sse-parser.js";
export { StreamableHttpClientTransport, type StreamableHttpClientOptions, type ReconnectOptions, type HeadersOption, type HttpErrorData } from "./transports/http-client.js";
export { SseClientTransport, type SseClientOptions } from "./transports/legacy-sse-client.js";
export { connectWithFallback, type ConnectHttpOptions, type HttpConnection } from "./transports/connect-http.js";

// OAuth for the client (MCP authorization): discovery, PKCE, registration, tokens.
export * from "./client/oauth/index.js";
