import { McpError } from "../protocol/jsonrpc.js";
import type { AuthInfo } from "../protocol/transport.js";
import type { ServerCatalog } from "./catalog.js";

/**
 * JSON-RPC error code of a request refused for lack of scopes on a transport that has
 * no HTTP status to say it with (legacy SSE, custom transports carrying AuthInfo).
 * Its data is `{ error: "insufficient_scope", scope: "<needed>" }`; on Streamable HTTP
 * the same refusal is an HTTP 403 with a `WWW-Authenticate` challenge.
 */
export const INSUFFICIENT_SCOPE = -32003;

/** Methods that name one item, whose scopes the caller must hold. */
const ITEM_METHODS = new Set(["tools/call", "resources/read", "resources/subscribe", "prompts/get", "completion/complete"]);

/**
 * The scopes the item a request names needs (tools/call, resources/read and
 * subscribe, prompts/get, completion/complete); undefined when it names none, an
 * unknown one, or one without scopes.
 */
export function itemScopes(server: ServerCatalog, method: string, params: unknown): string[] | undefined {
  if (!ITEM_METHODS.has(method) || typeof params !== "object" || params === null) return undefined;
  const p = params as Record<string, unknown>;
  switch (method) {
    case "tools/call":
      return typeof p.name === "string" ? server.tools.get(p.name)?.def.scopes : undefined;
    case "prompts/get":
      return typeof p.name === "string" ? server.prompts.get(p.name)?.scopes : undefined;
    case "resources/read":
    case "resources/subscribe":
      return typeof p.uri === "string" ? resourceScopes(server, p.uri) : undefined;
    case "completion/complete": {
      const ref = p.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
      if (ref?.type === "ref/prompt" && typeof ref.name === "string") return server.prompts.get(ref.name)?.scopes;
      if (ref?.type === "ref/resource" && typeof ref.uri === "string") {
        return server.templates.get(ref.uri)?.def.scopes ?? server.resources.get(ref.uri)?.scopes;
      }
      return undefined;
    }
  }
  return undefined;
}

function resourceScopes(server: ServerCatalog, uri: string): string[] | undefined {
  const fixed = server.resources.get(uri);
  if (fixed) return fixed.scopes;
  for (const t of server.templates.enabledDefs()) if (t.template.match(uri)) return t.def.scopes;
  return undefined;
}

/** Whether every scope in `needed` is granted. */
export const holds = (auth: AuthInfo, needed: readonly string[] | undefined): boolean =>
  needed === undefined || needed.every((s) => auth.scopes.includes(s));

/** The in-band refusal (transports without an HTTP status for it). */
export function insufficientScope(needed: string[], what: string): McpError {
  return new McpError(INSUFFICIENT_SCOPE, `Forbidden: ${what} needs the scope${needed.length > 1 ? "s" : ""} ${needed.join(" ")}`, {
    error: "insufficient_scope",
    scope: needed.join(" "),
  });
}

/** Refuses a request naming an item whose scopes the (authenticated) caller lacks. */
export function checkItemScopes(server: ServerCatalog, method: string, params: Record<string, unknown>, auth: AuthInfo): void {
  const needed = itemScopes(server, method, params);
  if (!holds(auth, needed)) throw insufficientScope(needed!, `${method} ${String(params.name ?? params.uri ?? "")}`.trim());
}

/** Whether lists hide, from this caller, the items it may not use. */
export const hidesFrom = (server: ServerCatalog, auth: AuthInfo | undefined): auth is AuthInfo =>
  auth !== undefined && (server.options.auth === undefined || server.options.auth === false || server.options.auth.hideUnauthorized !== false);

/** Every scope the server mentions: its own, then its items' (for `scopes_supported`). */
export function allScopes(server: ServerCatalog, serverScopes: readonly string[] = []): string[] {
  const out = new Set(serverScopes);
  const add = (s: string[] | undefined) => s?.forEach((x) => out.add(x));
  for (const t of server.tools.allDefs()) add(t.def.scopes);
  for (const r of server.resources.allDefs()) add(r.scopes);
  for (const t of server.templates.allDefs()) add(t.def.scopes);
  for (const p of server.prompts.allDefs()) add(p.scopes);
  return [...out];
}
