import type { IncomingHttp } from "./incoming.js";
import type { HeaderMap } from "./responses.js";

export interface GuardOptions {
  /**
   * Host header values accepted besides localhost, 127.0.0.1 and [::1] (with any port),
   * such as `mcp.example.com`; `["*"]` accepts any host. Guards against DNS rebinding.
   */
  allowedHosts?: string[];
  /** Origins accepted besides localhost ones, such as `https://app.example.com`; `["*"]` any. */
  allowedOrigins?: string[];
  /** Read the host from `X-Forwarded-Host` / `Forwarded` (only behind a proxy you run). */
  trustProxy?: boolean;
  /** CORS for browser clients: opt-in; `true` allows any origin. */
  cors?: boolean | { origins?: string[]; maxAgeSeconds?: number };
}

const LOCAL_HOSTNAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Headers a browser client must be allowed to send and to read. */
const REQUEST_HEADERS = "content-type, accept, authorization, mcp-session-id, mcp-protocol-version, last-event-id, mcp-method, mcp-name";
const EXPOSED_HEADERS = "mcp-session-id, mcp-protocol-version, www-authenticate";

/** `host[:port]` → host, keeping IPv6 brackets. */
function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  const colon = h.indexOf(":");
  return colon < 0 ? h : h.slice(0, colon);
}

export function isLocalHostname(hostname: string): boolean {
  return LOCAL_HOSTNAMES.has(hostname.toLowerCase());
}

/** The host the client asked for, from the proxy's headers when trusted. */
export function requestHost(req: IncomingHttp, trustProxy: boolean | undefined): string | undefined {
  if (trustProxy) {
    const forwarded = req.header("x-forwarded-host") ?? forwardedParam(req.header("forwarded"), "host");
    if (forwarded) return forwarded.split(",")[0]!.trim();
  }
  return req.header("host");
}

/** The scheme the client used (`X-Forwarded-Proto` when trusted). */
export function requestProto(req: IncomingHttp, trustProxy: boolean | undefined, fallback: string): string {
  if (!trustProxy) return fallback;
  const p = req.header("x-forwarded-proto") ?? forwardedParam(req.header("forwarded"), "proto");
  return p ? p.split(",")[0]!.trim().toLowerCase() : fallback;
}

function forwardedParam(header: string | undefined, key: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")[0]!.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === key) return part.slice(eq + 1).trim().replace(/^"|"$/g, "");
  }
  return undefined;
}

/**
 * DNS-rebinding protection: the Host must be local or allowed, and a browser's Origin
 * must be local, allowed, or a CORS origin. Returns the reason for a 403, or undefined.
 */
export function checkHostAndOrigin(req: IncomingHttp, options: GuardOptions): string | undefined {
  const hosts = options.allowedHosts;
  if (!hosts?.includes("*")) {
    const host = requestHost(req, options.trustProxy);
    if (!host) return "Forbidden: missing Host header";
    const name = hostnameOf(host);
    if (!isLocalHostname(name) && !hosts?.some((h) => h.toLowerCase() === host.toLowerCase() || hostnameOf(h) === name)) {
      return `Forbidden: Host '${host}' is not allowed (add it to http.allowedHosts)`;
    }
  }
  const origin = req.header("origin");
  if (origin !== undefined && !originAllowed(origin, options)) {
    return `Forbidden: Origin '${origin}' is not allowed (add it to http.allowedOrigins)`;
  }
  return undefined;
}

function originAllowed(origin: string, options: GuardOptions): boolean {
  const lists = [options.allowedOrigins, corsOrigins(options)];
  for (const list of lists) if (list?.includes("*") || list?.includes(origin)) return true;
  try {
    return isLocalHostname(new URL(origin).hostname);
  } catch {
    return false; // `null` and other opaque origins
  }
}

function corsOrigins(options: GuardOptions): string[] | undefined {
  const cors = options.cors;
  if (cors === true) return ["*"];
  return cors ? (cors.origins ?? ["*"]) : undefined;
}

/** CORS response headers for this request, or undefined when CORS is off or the origin is not allowed. */
export function corsHeaders(req: IncomingHttp, options: GuardOptions): HeaderMap | undefined {
  const origins = corsOrigins(options);
  const origin = req.header("origin");
  if (!origins || origin === undefined) return undefined;
  if (!origins.includes("*") && !origins.includes(origin)) return undefined;
  return { "access-control-allow-origin": origin, "access-control-expose-headers": EXPOSED_HEADERS, vary: "Origin" };
}

/** The answer to a CORS preflight (`OPTIONS`). */
export function preflightHeaders(req: IncomingHttp, options: GuardOptions): HeaderMap | undefined {
  const base = corsHeaders(req, options);
  if (!base) return undefined;
  const cors = options.cors;
  const maxAge = typeof cors === "object" && cors.maxAgeSeconds !== undefined ? cors.maxAgeSeconds : 600;
  return {
    ...base,
    "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
    "access-control-allow-headers": req.header("access-control-request-headers") ?? REQUEST_HEADERS,
    "access-control-max-age": String(maxAge),
  };
}

/** Whether an Accept header admits a media type (`*\/*` and `type/*` count). */
export function accepts(accept: string | undefined, type: string): boolean {
  if (!accept) return false;
  const major = type.slice(0, type.indexOf("/"));
  for (const part of accept.split(",")) {
    const t = part.split(";")[0]!.trim().toLowerCase();
    if (t === type || t === "*/*" || t === `${major}/*`) return true;
  }
  return false;
}

export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === "application/json") return true; // what nearly every client sends
  return contentType !== undefined && contentType.split(";")[0]!.trim().toLowerCase() === "application/json";
}

/**
 * Whether a Streamable HTTP POST's Accept lists both JSON and SSE, as the transport
 * requires. Clients send the same few Accept values on every request, so the answer is
 * remembered per value (a bounded table: a client sending endless variants only
 * recomputes).
 */
export function acceptsJsonAndSse(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  let known = acceptMemo.get(accept);
  if (known === undefined) {
    known = accepts(accept, "application/json") && accepts(accept, "text/event-stream");
    if (acceptMemo.size >= ACCEPT_MEMO_SIZE) acceptMemo.clear();
    acceptMemo.set(accept, known);
  }
  return known;
}

const ACCEPT_MEMO_SIZE = 64;
const acceptMemo = new Map<string, boolean>();
