import { authorizationServerMetadataUrls } from "../../protocol/oauth-metadata.js";
import { OAuthError, type AuthorizationServerMetadata, type ProtectedResourceMetadata } from "./types.js";

/*
 * Discovery for an MCP client (MCP authorization, 2025-06-18 and later):
 *   1. protected resource metadata (RFC 9728): the URL in the 401's `WWW-Authenticate:
 *      Bearer resource_metadata="…"`, else the well-known URL with the MCP endpoint's
 *      path inserted, else the root well-known URL;
 *   2. the authorization server's metadata for an issuer from that document (RFC 8414
 *      and OpenID Connect Discovery, in the order the MCP specification gives);
 *   3. for servers of the 2025-03-26 revision, which publish no resource metadata: the
 *      server's own origin is the authorization server, with metadata at its root
 *      well-known URL or, failing that, the default endpoints /authorize, /token and
 *      /register.
 */

// ---- WWW-Authenticate ----------------------------------------------------------------

export interface AuthChallengeParams {
  /** Lower-cased scheme (`bearer`). */
  scheme: string;
  /** Parameter names lower-cased; values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;

/**
 * Parses a `WWW-Authenticate` value into its challenges (RFC 9110 §11.6.1): each is a
 * scheme and its `name=value` parameters (token or quoted string). A token68 is kept
 * under the empty name. Anything unparseable ends the parse with what was read so far.
 */
export function parseWwwAuthenticate(header: string | null | undefined): AuthChallengeParams[] {
  const out: AuthChallengeParams[] = [];
  if (!header) return out;
  const s = header;
  let i = 0;
  const skip = (chars: RegExp) => {
    while (i < s.length && chars.test(s[i]!)) i++;
  };
  const token = (): string | undefined => {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(s);
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };
  const quoted = (): string | undefined => {
    if (s[i] !== '"') return undefined;
    let v = "";
    for (i++; i < s.length; i++) {
      const c = s[i]!;
      if (c === "\\" && i + 1 < s.length) v += s[++i];
      else if (c === '"') {
        i++;
        return v;
      } else v += c;
    }
    return v; // unterminated: take the rest
  };
  const bare = (): string => {
    const start = i;
    while (i < s.length && !/[\s,]/.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  let current: AuthChallengeParams | undefined;
  while (i < s.length) {
    skip(/[\s,]/);
    if (i >= s.length) break;
    const start = i;
    const name = token();
    if (!name) break;
    const afterName = i;
    skip(/[ \t]/);
    if (s[i] === "=" && current && s[i + 1] !== "=") {
      // name=value of the current challenge
      i++;
      skip(/[ \t]/);
      // A bare value is a token by the RFC; servers also send `scope=files:read`, so
      // everything up to a comma or space is taken.
      const value = quoted() ?? bare();
      current.params[name.toLowerCase()] = value;
      continue;
    }
    // A new challenge: scheme [token68 | params]
    i = afterName;
    current = { scheme: name.toLowerCase(), params: {} };
    out.push(current);
    skip(/[ \t]/);
    // token68 (no '=' right after a token, or '=' padding only)
    const t68 = /[A-Za-z0-9\-._~+/]+=*/y;
    t68.lastIndex = i;
    const m = t68.exec(s);
    if (m && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+\s*=[^=]/.test(s.slice(i)) && (i + m[0].length >= s.length || /[\s,]/.test(s[i + m[0].length]!))) {
      current.params[""] = m[0];
      i += m[0].length;
    }
    if (i === start) break;
  }
  return out;
}

/** The parameters of the Bearer challenge in a `WWW-Authenticate` value ({} if none). */
export function bearerChallenge(header: string | null | undefined): Record<string, string> {
  return parseWwwAuthenticate(header).find((c) => c.scheme === "bearer")?.params ?? {};
}

/** A space-separated scope string as a list (empty strings dropped). */
export const scopeList = (scope: string | undefined): string[] => (scope ?? "").split(/\s+/).filter(Boolean);

// ---- fetching JSON documents -----------------------------------------------------------

type FetchFn = typeof fetch;

/** Outcome of one well-known lookup: the document, or "absent" (try the next URL). */
async function fetchMetadata(fetchFn: FetchFn, url: URL, protocolVersion?: string): Promise<Record<string, unknown> | "absent"> {
  let response: Response;
  const headers: Record<string, string> = { accept: "application/json" };
  if (protocolVersion) headers["mcp-protocol-version"] = protocolVersion;
  try {
    response = await fetchFn(url, { headers });
  } catch (error) {
    throw new OAuthError("discovery_failed", `GET ${url} failed: ${(error as Error).message}`, { url: url.href });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    // 4xx: nothing there (404, or a server refusing unknown paths); 5xx is a real failure.
    if (response.status >= 400 && response.status < 500) return "absent";
    throw new OAuthError("discovery_failed", `GET ${url} answered HTTP ${response.status}`, { httpStatus: response.status, url: url.href });
  }
  let value: unknown;
  try {
    value = await response.json();
  } catch {
    throw new OAuthError("invalid_metadata", `GET ${url}: the body is not JSON`, { url: url.href });
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new OAuthError("invalid_metadata", `GET ${url}: the body is not a JSON object`, { url: url.href });
  }
  return value as Record<string, unknown>;
}

// ---- protected resource metadata --------------------------------------------------------

/** The well-known URLs of a resource's metadata: path-inserted first, then the root. */
export function protectedResourceMetadataUrls(serverUrl: URL): URL[] {
  const path = serverUrl.pathname.replace(/\/+$/, "");
  const urls = [];
  if (path) urls.push(new URL(`/.well-known/oauth-protected-resource${path}`, serverUrl.origin));
  urls.push(new URL("/.well-known/oauth-protected-resource", serverUrl.origin));
  return urls;
}

export interface ResourceDiscovery {
  metadata: ProtectedResourceMetadata;
  /** Where it was found. */
  url: string;
}

/**
 * Finds the protected resource metadata of the MCP server at `serverUrl`: the
 * `resource_metadata` URL from the challenge first (when given), then the well-known
 * URLs. Undefined when none has it (a 2025-03-26 server).
 */
export async function discoverProtectedResource(
  serverUrl: URL,
  options: { resourceMetadataUrl?: string; fetch?: FetchFn; protocolVersion?: string } = {},
): Promise<ResourceDiscovery | undefined> {
  const fetchFn = options.fetch ?? fetch;
  const candidates: URL[] = [];
  if (options.resourceMetadataUrl) {
    try {
      candidates.push(new URL(options.resourceMetadataUrl, serverUrl));
    } catch {
      // not a URL: fall back to the well-known locations
    }
  }
  for (const u of protectedResourceMetadataUrls(serverUrl)) if (!candidates.some((c) => c.href === u.href)) candidates.push(u);
  for (const url of candidates) {
    const doc = await fetchMetadata(fetchFn, url, options.protocolVersion);
    if (doc === "absent") continue;
    if (typeof doc.resource !== "string" || !doc.resource) {
      throw new OAuthError("invalid_metadata", `protected resource metadata at ${url} has no "resource"`, { url: url.href });
    }
    if (doc.authorization_servers !== undefined && (!Array.isArray(doc.authorization_servers) || doc.authorization_servers.some((s) => typeof s !== "string"))) {
      throw new OAuthError("invalid_metadata", `protected resource metadata at ${url}: "authorization_servers" is not a list of URLs`, { url: url.href });
    }
    return { metadata: doc as ProtectedResourceMetadata, url: url.href };
  }
  return undefined;
}

/**
 * Whether the `resource` of protected resource metadata may stand for the MCP server at
 * `serverUrl` (RFC 9728 §3.3, RFC 8707): same scheme, host and port, and its path is
 * the server's path or a parent of it on a segment boundary.
 */
export function resourceMatches(resource: string, serverUrl: URL): boolean {
  let r: URL;
  try {
    r = new URL(resource);
  } catch {
    return false;
  }
  if (r.hash) return false;
  if (r.origin !== serverUrl.origin) return false;
  const rp = r.pathname.replace(/\/+$/, "");
  const sp = serverUrl.pathname.replace(/\/+$/, "");
  return rp === "" || sp === rp || sp.startsWith(`${rp}/`);
}

/** The canonical URI of an MCP server (RFC 8707 / MCP): no fragment, no query, no trailing slash. */
export function canonicalResource(serverUrl: URL): string {
  const path = serverUrl.pathname.replace(/\/+$/, "");
  return `${serverUrl.origin}${path}`;
}

// ---- authorization server metadata ------------------------------------------------------

export { authorizationServerMetadataUrls } from "../../protocol/oauth-metadata.js";

/**
 * Whether the `issuer` a metadata document states is the one its well-known URL was
 * built from (RFC 8414 §3.3). Exact, except that a trailing "/" on an issuer without a
 * path is not told apart (`https://as.example` and `https://as.example/` are one URL).
 */
export function issuerMatches(stated: unknown, expected: string): boolean {
  if (typeof stated !== "string") return false;
  if (stated === expected) return true;
  const bare = (s: string) => {
    try {
      const u = new URL(s);
      return u.pathname === "/" && !u.search && !u.hash && s.endsWith("/") ? s.slice(0, -1) : s;
    } catch {
      return s;
    }
  };
  return bare(stated) === bare(expected);
}

function sameOriginAs(stated: unknown, expected: string): boolean {
  try {
    return typeof stated === "string" && new URL(stated).origin === new URL(expected).origin;
  } catch {
    return false;
  }
}

export interface AuthorizationServerDiscovery {
  metadata: AuthorizationServerMetadata;
  /** Where it was found; undefined for the 2025-03-26 default endpoints. */
  url?: string;
}

/**
 * Fetches the metadata of the authorization server `issuer`, trying each well-known URL
 * in order. Refuses a document whose `issuer` is not `issuer` (it could send the code
 * or the client's credentials somewhere else). Undefined when no URL has it.
 *
 * `sameOrigin`: for the 2025-03-26 fallback, where `issuer` is only the MCP server's
 * origin (the authorization base URL) and that revision set no rule for the document's
 * `issuer`: any issuer on that same origin is accepted (servers of that era commonly
 * state their AS's path, e.g. `https://mcp.example/oauth`).
 */
export async function discoverAuthorizationServer(
  issuer: string,
  options: { fetch?: FetchFn; protocolVersion?: string; sameOrigin?: boolean } = {},
): Promise<AuthorizationServerDiscovery | undefined> {
  const fetchFn = options.fetch ?? fetch;
  let urls: URL[];
  try {
    urls = authorizationServerMetadataUrls(issuer);
  } catch {
    throw new OAuthError("invalid_metadata", `authorization server ${JSON.stringify(issuer)} is not a URL`);
  }
  for (const url of urls) {
    const doc = await fetchMetadata(fetchFn, url, options.protocolVersion);
    if (doc === "absent") continue;
    if (!issuerMatches(doc.issuer, issuer) && !(options.sameOrigin && sameOriginAs(doc.issuer, issuer))) {
      throw new OAuthError(
        "issuer_mismatch",
        `authorization server metadata at ${url} names the issuer ${JSON.stringify(doc.issuer)}, not ${JSON.stringify(issuer)} (RFC 8414 §3.3); refusing to use it`,
        { url: url.href },
      );
    }
    for (const key of ["authorization_endpoint", "token_endpoint"] as const) {
      if (typeof doc[key] !== "string") throw new OAuthError("invalid_metadata", `authorization server metadata at ${url} has no ${key}`, { url: url.href });
    }
    return { metadata: doc as AuthorizationServerMetadata, url: url.href };
  }
  return undefined;
}

/**
 * The 2025-03-26 fallback for a server without any metadata: the endpoints at the
 * default paths of its authorization base URL (the server URL without its path).
 */
export function defaultEndpoints(baseUrl: string): AuthorizationServerMetadata {
  const base = new URL(baseUrl);
  return {
    issuer: base.origin,
    authorization_endpoint: new URL("/authorize", base.origin).href,
    token_endpoint: new URL("/token", base.origin).href,
    registration_endpoint: new URL("/register", base.origin).href,
    response_types_supported: ["code"],
    code_challenge_methods_supported: ["S256"],
  };
}
