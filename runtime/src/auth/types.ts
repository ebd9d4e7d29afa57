import type { IncomingHttp } from "../transports/http/incoming.js";
import type { AuthInfo } from "../protocol/transport.js";

/** What a verifier knows about the request besides the token. */
export interface VerifyContext {
  /** The request (headers, path), for verifiers that look beyond the token. */
  request: IncomingHttp;
  /** This server's canonical resource URI (configured, or derived from the request). */
  resource: string;
  /** Audiences a token must name one of (RFC 8707): `audience` when configured, else `resource`. */
  audience: string[];
  /** Every scope this server knows (server scopes and item scopes). */
  supportedScopes: string[];
}

/**
 * Checks a presented token. Return the caller's identity, or undefined for a token
 * that is not valid (answered 401 `invalid_token`); throw an {@link AuthError} to
 * choose the refusal (such as `insufficient_scope`). Other errors are answered 500.
 */
export interface TokenVerifier {
  verify(token: string, context: VerifyContext): AuthInfo | undefined | Promise<AuthInfo | undefined>;
  /** Called once when the handler is built (load libraries, check settings); errors are reported, not thrown. */
  prepare?(): void | Promise<void>;
}

/** A custom verifier as a function: `src/handlers/auth.ts`'s `verifyToken`. */
export type VerifyTokenFn = (token: string, request: IncomingHttp, context: VerifyContext) => AuthInfo | undefined | Promise<AuthInfo | undefined>;

export interface JwtSettings {
  /** The JWKS URL; by default discovered from the issuer's metadata (RFC 8414, then OpenID Connect). */
  jwksUri?: string;
  /** Seconds of clock skew allowed for `exp` and `nbf` (default 60). */
  clockToleranceSeconds?: number;
  /** A shared secret for HS256/384/512 tokens your own service signs (then the JWKS is not used). */
  secret?: string | Uint8Array;
  /** Claims every token must have (default `["exp"]`). */
  requiredClaims?: string[];
  /** Shortest time between two JWKS fetches when a token names an unknown key, in ms (default 30,000). */
  jwksCooldownMs?: number;
  /** How long fetched keys are trusted before they are fetched again, in ms (default 10 minutes). */
  jwksCacheMaxAgeMs?: number;
  /** The `jose` module, when `import("jose")` cannot find it (bundled edge code). */
  jose?: unknown;
}

export interface IntrospectionSettings {
  /** RFC 7662 introspection endpoint. */
  endpoint: string;
  /** Client id this server authenticates with at the endpoint. */
  clientId?: string;
  /** The client secret (prefer `clientSecretEnv`). */
  clientSecret?: string;
  /** Name of the environment variable holding the client secret. */
  clientSecretEnv?: string;
  /** Longest a positive answer is reused, in ms (default 60,000; never past the token's `exp`). 0 turns caching off. */
  cacheTtlMs?: number;
  /** Most answers kept (default 10,000). */
  cacheSize?: number;
}

export interface ApiKeySettings {
  /** Request header carrying the key (default `x-api-key`; `Authorization: Bearer <key>` is accepted too). */
  header?: string;
  /** Name of the environment variable holding the accepted keys, comma-separated. */
  env?: string;
  /** The accepted keys (instead of, or besides, `env`). */
  keys?: string[];
  /** Scopes a valid key grants (default: every scope the server knows). */
  scopes?: string[];
}

/**
 * Protects a server's HTTP endpoint as an OAuth 2.1 resource server: the manifest's
 * `auth:`, as `ServerOptions.auth` (applies wherever the server is served over HTTP)
 * or `HttpHandlerOptions.auth` (one handler).
 */
export interface AuthOptions extends JwtSettings {
  /** Issuer URLs of the authorization servers (advertised in protected resource metadata; `iss` must be one). */
  authorizationServers?: string[];
  /** Canonical URI of this server (`https://mcp.example.com/mcp`). Default: derived from each request. */
  resource?: string;
  /** Scopes every request needs. */
  scopes?: string[];
  /** jwt (default), introspection, apiKey, custom (with `verifyToken`), or your own verifier. */
  verifier?: "jwt" | "introspection" | "apiKey" | "custom" | TokenVerifier;
  /** The custom verifier (`verifier: "custom"`). */
  verifyToken?: VerifyTokenFn;
  /** Audience tokens must carry when it is not the resource URI (some providers use an API identifier). */
  audience?: string | string[];
  /** JWT signature algorithms accepted (default RS256, ES256, EdDSA). `none` never is. */
  algorithms?: string[];
  introspection?: IntrospectionSettings;
  apiKey?: ApiKeySettings;
  /** true (default): lists leave out items whose scopes the caller lacks. Read from `ServerOptions.auth`. */
  hideUnauthorized?: boolean;
  /** `resource_name` in the metadata (default: the server's title or name). */
  resourceName?: string;
  /** `resource_documentation` in the metadata. */
  resourceDocumentation?: string;
  /** fetch used for discovery, JWKS and introspection (default: the global one). */
  fetch?: typeof fetch;
}

/** Why a request was refused; the protected resource turns it into a status and a challenge. */
export type AuthErrorCode = "invalid_request" | "invalid_token" | "insufficient_scope" | "temporarily_unavailable";

/** Thrown by verifiers to refuse a request with a specific OAuth error. */
export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    /** Scopes to name in the challenge (insufficient_scope). */
    readonly scopes?: string[],
  ) {
    super(message);
    this.name = "AuthError";
  }

  /** 400, 401, 403 or 503. */
  get status(): number {
    return STATUS[this.code];
  }
}

const STATUS: Record<AuthErrorCode, number> = {
  invalid_request: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  temporarily_unavailable: 503,
};

/** An environment variable, where there is a `process` (Node, Bun, Deno's compat); undefined elsewhere. */
export function envVar(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.[name];
}

/** `scope` (space-separated) and `scp` (a list or a string, as Entra ID and Okta send) as one list. */
export function scopesOfClaims(claims: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const v of [claims.scope, claims.scp]) {
    if (typeof v === "string") for (const s of v.split(/\s+/)) s && out.add(s);
    else if (Array.isArray(v)) for (const s of v) typeof s === "string" && s && out.add(s);
  }
  return [...out];
}

/** `https://a.example/` and `https://a.example` name the same issuer or resource. */
export const sameUri = (a: string, b: string): boolean => a === b || a.replace(/\/$/, "") === b.replace(/\/$/, "");

/** A list with both slash forms of every URI (for exact-match checks such as jose's). */
export const withSlashVariants = (uris: string[]): string[] => {
  const out = new Set<string>();
  for (const u of uris) {
    out.add(u);
    out.add(u.endsWith("/") ? u.slice(0, -1) : `${u}/`);
  }
  return [...out];
};

// `ServerOptions.auth` takes all of these (see ServerAuthSettings in server/server.ts).
declare module "../server/server.js" {
  interface ServerAuthSettings extends AuthOptions {}
}
