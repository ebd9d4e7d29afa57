/**
 * The 2026-07-28 ("modern", stateless) era, chosen per request. A request whose `_meta`
 * names its protocol version (with the client's capabilities, and optionally its info
 * and log level) is served on its own: nothing from `initialize` applies to it, the
 * capabilities and log level are the ones it carries, and its result says what it is
 * (`resultType`), who answered (`_meta["io.modelcontextprotocol/serverInfo"]`) and, for
 * lists, reads and discovery, how long it may be cached (`ttlMs`, `cacheScope`).
 * Requests without such `_meta` keep the session era (initialize first), so one server,
 * process or endpoint serves both.
 */
import type { IncomingRequest } from "../protocol/engine.js";
import { ErrorCode, McpError, invalidParams } from "../protocol/jsonrpc.js";
import {
  LOGGING_LEVELS,
  META,
  type CacheHint,
  type CacheScope,
  type ClientCapabilities,
  type DiscoverResult,
  type Implementation,
  type LoggingLevel,
  type ServerCapabilities,
} from "../protocol/types.js";
import { MODERN_PROTOCOL_VERSIONS, featuresOf, isModernVersion, isSupportedVersion } from "../protocol/versions.js";
import { Context } from "./context.js";
import { InputRound, checkInputResponses } from "./input-required.js";
import { RequestStateCodec, hashBinding, requestBindingText } from "./request-state.js";
import { checkItemScopes } from "./scopes.js";
import type { ServerCatalog } from "./catalog.js";
import type { HostedSession } from "./host.js";
import type { CacheOptions, ModernEnvelope } from "./modern-types.js";
import { listen } from "./subscriptions.js";
import { methodTable } from "./method-table.js";
import { TASK_METHODS } from "../protocol/tasks.js";
import { prepareTaskCall } from "./task-call.js";
import { currentTasks, serveTaskMethod, withTasksExtension } from "./tasks.js";

export type { CacheOptions, ModernEnvelope } from "./modern-types.js";

/** The methods of 2026-07-28 a client may call. Anything else (ping, initialize, logging/setLevel, resources/subscribe...) is -32601. */
export const MODERN_METHODS: ReadonlySet<string> = new Set([
  "server/discover",
  "tools/list",
  "tools/call",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "prompts/list",
  "prompts/get",
  "completion/complete",
  "subscriptions/listen",
]);

/** Methods whose handlers may ask the client for input (and end with input_required). */
export const INPUT_METHODS: ReadonlySet<string> = new Set(["tools/call", "prompts/get", "resources/read"]);

const CACHEABLE = methodTable<keyof CacheOptions>({
  "tools/list": "tools",
  "prompts/list": "prompts",
  "resources/list": "resources",
  "resources/templates/list": "resourceTemplates",
  "resources/read": "read",
  "server/discover": "discover",
});

/** The server capability a method needs; without it the method is -32601. */
const NEEDS = methodTable<keyof ServerCapabilities>({
  "tools/list": "tools",
  "tools/call": "tools",
  "resources/list": "resources",
  "resources/templates/list": "resources",
  "resources/read": "resources",
  "prompts/list": "prompts",
  "prompts/get": "prompts",
  "completion/complete": "completions",
});

/**
 * Whether a request is of the 2026-07-28 era: its `_meta` claims a protocol version that
 * is not a session-era one (an unsupported one included: that is -32022), or it calls a
 * method only that era has.
 */
export function isModernRequest(method: string, params: Record<string, unknown>): boolean {
  const meta = params._meta;
  if (meta !== null && typeof meta === "object" && META.protocolVersion in meta) {
    return !isSupportedVersion((meta as Record<string, unknown>)[META.protocolVersion]);
  }
  return method === "server/discover" || method === "subscriptions/listen";
}

/** The envelope's required parts: -32602 naming what is missing. */
export function checkEnvelopePresent(params: Record<string, unknown>): Record<string, unknown> {
  const meta = params._meta;
  if (meta === null || typeof meta !== "object" || Array.isArray(meta)) {
    throw invalidParams(`Invalid params: _meta is required on protocol revision 2026-07-28 (with ${META.protocolVersion} and ${META.clientCapabilities})`);
  }
  const m = meta as Record<string, unknown>;
  if (typeof m[META.protocolVersion] !== "string") throw invalidParams(`Invalid params: _meta["${META.protocolVersion}"] is required`);
  const caps = m[META.clientCapabilities];
  if (caps === null || typeof caps !== "object" || Array.isArray(caps)) {
    throw invalidParams(`Invalid params: _meta["${META.clientCapabilities}"] is required (an object; {} declares none)`);
  }
  return m;
}

/** -32022 with the versions served here and the one asked for. */
export function unsupportedVersion(requested: string): McpError {
  return new McpError(
    ErrorCode.UnsupportedProtocolVersion,
    `Unsupported protocol version: ${requested} (supported: ${MODERN_PROTOCOL_VERSIONS.join(", ")})`,
    { supported: [...MODERN_PROTOCOL_VERSIONS], requested },
  );
}

/** Reads and checks a request's envelope: -32602 when incomplete, -32022 for a version not served. */
export function readEnvelope(params: Record<string, unknown>): ModernEnvelope {
  const m = checkEnvelopePresent(params);
  const version = m[META.protocolVersion] as string;
  if (!isModernVersion(version)) throw unsupportedVersion(version);
  const env: ModernEnvelope = { protocolVersion: version, clientCapabilities: m[META.clientCapabilities] as ClientCapabilities };
  const info = m[META.clientInfo];
  if (info !== undefined) {
    if (info === null || typeof info !== "object") throw invalidParams(`Invalid params: _meta["${META.clientInfo}"] must be an Implementation object`);
    env.clientInfo = info as Implementation;
  }
  const level = m[META.logLevel];
  if (level !== undefined) {
    if (!LOGGING_LEVELS.includes(level as LoggingLevel)) {
      throw invalidParams(`Invalid params: _meta["${META.logLevel}"] must be one of ${LOGGING_LEVELS.join(", ")}`);
    }
    env.logLevel = level as LoggingLevel;
  }
  return env;
}

/**
 * A per-request view of a session for a 2026-07-28 request: the session's connection
 * and server, with the request's own revision, capabilities, client and log level.
 */
export function modernView(session: HostedSession, env: ModernEnvelope): HostedSession {
  const fixed = (value: unknown) => ({ value, writable: true, configurable: true });
  return Object.create(session, {
    modern: fixed(env),
    protocolVersion: fixed(env.protocolVersion),
    features: fixed(featuresOf(env.protocolVersion)),
    clientCapabilities: fixed(env.clientCapabilities),
    clientInfo: fixed(env.clientInfo),
    initialized: fixed(true),
    ready: fixed(true),
    stateless: fixed(true),
    onStateChange: fixed(undefined),
    // No level in _meta: no notifications/message at all.
    logLevelIndex: fixed(env.logLevel === undefined ? LOGGING_LEVELS.length : LOGGING_LEVELS.indexOf(env.logLevel)),
    capabilitiesCache: fixed(withTasksExtension(session.server, session.server.capabilities())),
  }) as HostedSession;
}

/** Serves one 2026-07-28 request on a session (stdio, or an HTTP request's own session). */
export async function dispatchModern(session: HostedSession, params: Record<string, unknown>, req: IncomingRequest): Promise<unknown> {
  const env = readEnvelope(params);
  const server = session.server;
  const method = req.method;
  const raw = server.rawRequestHandlers.get(method);
  // The tasks extension's methods (-32021 for a client that did not declare it).
  if (!raw && TASK_METHODS.has(method)) {
    return finish(server, method, params, await serveTaskMethod(server, method, params, env.clientCapabilities, req.extra?.authInfo));
  }
  if (!raw && !MODERN_METHODS.has(method)) {
    throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${method}${REMOVED.has(method) ? " (removed in protocol revision 2026-07-28)" : ""}`);
  }
  const view = modernView(session, env);
  const caps = (view as unknown as { capabilitiesCache: ServerCapabilities }).capabilitiesCache;
  const needs = NEEDS[method];
  if (!raw && needs && caps[needs] === undefined) throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${method} (the server has no ${needs})`);

  if (method === "server/discover" && !raw) return finish(server, method, params, discover(server, caps));
  if (method === "subscriptions/listen" && !raw) return finish(server, method, params, await listen(view, params, req, caps, (ids, owner) => currentTasks(server, ids, owner)));

  // Per-item scopes, for an authenticated caller (as in the session era).
  const auth = req.extra?.authInfo;
  if (auth && !raw) checkItemScopes(server, method, params, auth);
  // A tool that may run as a task (tasks extension): its handler sees the task's signal.
  const taskCall = method === "tools/call" && !raw ? prepareTaskCall(server, env.clientCapabilities, params, req) : undefined;
  const callReq = taskCall?.req ?? req;
  const ctx = new Context<any>(view, callReq);
  let round: InputRound | undefined;
  let binding: PromiseLike<string> | undefined;
  if (INPUT_METHODS.has(method) && !raw) {
    const answers = checkInputResponses(params.inputResponses);
    const state = params.requestState;
    if (state !== undefined && typeof state !== "string") throw invalidParams("Invalid params: requestState must be a string");
    let earlier: Record<string, unknown> = {};
    let count = 0;
    let data: unknown;
    // Bound to the arguments as the client sent them: validation fills in defaults, and the
    // client's retry sends its own arguments again, not the filled-in ones.
    binding = lazyHash(bindingTextOf(method, params, ctx));
    if (state !== undefined) {
      const opened = await codecOf(server).open(state, await binding);
      earlier = opened.answers;
      count = opened.round;
      data = opened.data;
    }
    round = new InputRound({ ...earlier, ...answers }, count, data);
    ctx.inputRound = round;
  }
  let result: unknown;
  let failure: { error: unknown } | undefined;
  try {
    if (taskCall) {
      const outcome = await taskCall.run(ctx, () => view.invoke(method, params, callReq, ctx));
      // Answered with the task: no requestState, no input round (those belong to the task now).
      if ("created" in outcome) return finish(server, method, params, outcome.created);
      result = outcome.value;
    } else {
      result = await view.invoke(method, params, req, ctx);
    }
  } catch (error) {
    failure = { error };
  }
  const pending = round !== undefined && round.pending.size > 0;
  // An input the client cannot answer fails the call (unless the handler did without it).
  if (round?.refused && (failure || pending)) throw round.refused;
  if (failure && !pending) throw modernError(failure.error);
  if (round && pending) {
    const requestState = await codecOf(server).seal({ answers: round.used, round: round.round + 1, data: round.data }, await binding!);
    return {
      resultType: "input_required",
      inputRequests: Object.fromEntries(round.pending),
      requestState,
      _meta: { [META.serverInfo]: serverInfoOf(server) },
    };
  }
  return finish(server, method, params, result);
}

/** Methods earlier revisions had and 2026-07-28 removed (named in the -32601 message). */
const REMOVED = new Set(["initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe", "notifications/initialized"]);

/** Errors as 2026-07-28 words them: an unknown resource is -32602 with its URI (was -32002). */
function modernError(error: unknown): unknown {
  if (error instanceof McpError && error.code === ErrorCode.ResourceNotFound) {
    return new McpError(ErrorCode.InvalidParams, error.message, error.data);
  }
  return error;
}

/** The server/discover result (before the common fields). */
function discover(server: ServerCatalog, caps: ServerCapabilities): DiscoverResult {
  const result: DiscoverResult = { supportedVersions: [...MODERN_PROTOCOL_VERSIONS], capabilities: caps };
  if (server.options.instructions !== undefined) result.instructions = server.options.instructions;
  return result;
}

/** Adds what every 2026-07-28 result carries: resultType, serverInfo, and cache hints where required. */
function finish(server: ServerCatalog, method: string, params: Record<string, unknown>, result: unknown): Record<string, unknown> {
  const r: Record<string, unknown> = { ...((result ?? {}) as Record<string, unknown>) };
  if (typeof r.resultType !== "string") r.resultType = "complete";
  const meta = r._meta && typeof r._meta === "object" ? (r._meta as Record<string, unknown>) : {};
  r._meta = { ...meta, [META.serverInfo]: serverInfoOf(server) };
  const list = CACHEABLE[method];
  if (list && r.resultType === "complete") {
    const hint = cacheHint(server, list, method === "resources/read" ? params.uri : undefined);
    if (typeof r.ttlMs !== "number") r.ttlMs = hint.ttlMs;
    if (r.cacheScope !== "public" && r.cacheScope !== "private") r.cacheScope = hint.scope;
  }
  return r;
}

/** The cache hint of a result: the resource's own, the list's, the server's, the defaults. */
export function cacheHint(server: ServerCatalog, list: keyof CacheOptions, uri?: unknown): { ttlMs: number; scope: CacheScope } {
  const options = server.options.cache ?? {};
  const own = typeof uri === "string" ? resourceCache(server, uri) : undefined;
  const forList = options[list] as CacheHint | undefined;
  const ttl = own?.ttlMs ?? forList?.ttlMs ?? options.ttlMs ?? 0;
  return {
    ttlMs: Number.isInteger(ttl) && ttl >= 0 ? ttl : 0,
    scope: own?.scope ?? forList?.scope ?? options.scope ?? "private",
  };
}

function resourceCache(server: ServerCatalog, uri: string): CacheHint | undefined {
  const fixed = server.resources.get(uri);
  if (fixed) return fixed.cache;
  for (const t of server.templates.enabledDefs()) if (t.template.match(uri)) return t.def.cache;
  return undefined;
}

const infos = new WeakMap<ServerCatalog, Implementation>();

/** The server's Implementation as 2026-07-28 carries it (no description there). */
export function serverInfoOf(server: ServerCatalog): Implementation {
  let info = infos.get(server);
  if (!info) {
    const { name, version, title, websiteUrl, icons } = server.info;
    info = { name, version };
    if (title !== undefined) info.title = title;
    if (websiteUrl !== undefined) info.websiteUrl = websiteUrl;
    if (icons !== undefined) info.icons = icons;
    infos.set(server, info);
  }
  return info;
}

const codecs = new WeakMap<ServerCatalog, RequestStateCodec>();

/** The server's requestState codec (made on first use, from `options.requestState`). */
export function codecOf(server: ServerCatalog): RequestStateCodec {
  let codec = codecs.get(server);
  if (!codec) {
    codec = new RequestStateCodec(server.options.requestState);
    codecs.set(server, codec);
  }
  return codec;
}

/** What a requestState is bound to: the method, the item, its arguments, and the caller. */
function bindingTextOf(method: string, params: Record<string, unknown>, ctx: Context<any>): string {
  const target = method === "resources/read" ? params.uri : params.name;
  const args = method === "resources/read" ? undefined : params.arguments;
  const auth = ctx.auth;
  const principal = auth ? `${auth.issuer ?? ""}|${auth.subject ?? ""}|${auth.clientId ?? ""}` : undefined;
  return requestBindingText(method, target, args, principal);
}

/** A promise-like that hashes only when awaited: most calls never need their binding. */
function lazyHash(text: string): PromiseLike<string> {
  let hashed: Promise<string> | undefined;
  return { then: (ok, fail) => (hashed ??= hashBinding(text)).then(ok, fail) };
}
