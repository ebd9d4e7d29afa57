import type { McpServer } from "../server/server.js";
import { INSUFFICIENT_SCOPE, allScopes, holds, itemScopes } from "../server/scopes.js";
import { requestHost, requestProto } from "../transports/http/guards.js";
import type { IncomingHttp } from "../transports/http/incoming.js";
import { emptyReply, httpError, jsonReply, type HttpReply, type HeaderMap } from "../transports/http/responses.js";
import type { AuthInfo } from "../protocol/transport.js";
import { ApiKeyVerifier } from "./api-key.js";
import { IntrospectionVerifier } from "./introspection.js";
import { JwtVerifier } from "./jwt.js";
import { AuthError, type AuthOptions, type TokenVerifier, type VerifyContext } from "./types.js";

export const PRM_PATH = "/.well-known/oauth-protected-resource";

/** RFC 9728 protected resource metadata. */
export interface ProtectedResourceDocument {
  resource: string;
  authorization_servers?: string[];
  scopes_supported?: string[];
  bearer_methods_supported: string[];
  resource_name?: string;
  resource_documentation?: string;
  [key: string]: unknown;
}

/** Builds the verifier an `AuthOptions` asks for. */
export function createVerifier(options: AuthOptions): TokenVerifier {
  const v = options.verifier ?? "jwt";
  if (typeof v === "object") return v;
  switch (v) {
    case "jwt":
      return new JwtVerifier({ ...options, issuers: options.authorizationServers ?? [] });
    case "introspection":
      if (!options.introspection) throw new Error("auth: verifier introspection needs introspection.endpoint");
      return new IntrospectionVerifier({ ...options.introspection, issuers: options.authorizationServers, clockToleranceSeconds: options.clockToleranceSeconds, fetch: options.fetch });
    case "apiKey":
      return new ApiKeyVerifier(options.apiKey ?? {});
    case "custom": {
      const fn = options.verifyToken;
      if (!fn) throw new Error("auth: verifier custom needs verifyToken (export it from src/handlers/auth.ts)");
      return { verify: (token, context) => fn(token, context.request, context) };
    }
    default:
      throw new Error(`auth: unknown verifier ${JSON.stringify(v)}`);
  }
}

/**
 * One HTTP endpoint as an OAuth 2.1 protected resource: serves its RFC 9728 metadata,
 * checks each request's bearer token (or API key) and scopes, and answers refusals
 * with the status and `WWW-Authenticate` challenge MCP clients act on.
 */
export class ProtectedResource {
  readonly verifier: TokenVerifier;
  private readonly apiKeyHeader?: string;
  private readonly metadataPaths = new Set<string>();
  private readonly serverScopes: string[];

  constructor(
    readonly server: McpServer<any>,
    readonly options: AuthOptions,
    /** The endpoint's own path, and whether proxy headers are trusted (for URLs built from the request). */
    private readonly endpoint: { path: string; trustProxy?: boolean },
    private readonly onerror: (error: Error) => void,
  ) {
    this.verifier = createVerifier(options);
    if (this.verifier instanceof ApiKeyVerifier) this.apiKeyHeader = this.verifier.header;
    this.serverScopes = options.scopes ?? [];
    if (this.advertises) {
      this.metadataPaths.add(PRM_PATH);
      this.metadataPaths.add(PRM_PATH + trimSlash(endpoint.path));
      if (options.resource) this.metadataPaths.add(PRM_PATH + trimSlash(new URL(options.resource).pathname));
    }
    if (options.resource !== undefined) {
      const u = new URL(options.resource);
      if (u.hash) throw new Error(`auth: resource ${options.resource} must not have a fragment`);
    }
    // Load libraries and check settings now, so a missing `jose` or key shows at startup.
    void Promise.resolve()
      .then(() => this.verifier.prepare?.())
      .catch((error: Error) => this.onerror(error));
  }

  /** Metadata (and `resource_metadata` in challenges) only with authorization servers to point to. */
  private get advertises(): boolean {
    return (this.options.authorizationServers?.length ?? 0) > 0;
  }

  /** Whether a path is one of the metadata's well-known URLs. */
  serves(path: string): boolean {
    return this.metadataPaths.has(path);
  }

  /** This server's canonical URI: configured, or the URL the client used (proxy headers when trusted). */
  resourceFor(req: IncomingHttp): string {
    if (this.options.resource) return this.options.resource;
    const host = requestHost(req, this.endpoint.trustProxy) ?? "localhost";
    return `${requestProto(req, this.endpoint.trustProxy, "http")}://${host}${this.endpoint.path}`;
  }

  /** The path-inserted well-known URL of the metadata, for `resource_metadata`. */
  metadataUrlFor(req: IncomingHttp): string {
    const u = new URL(this.resourceFor(req));
    return `${u.origin}${PRM_PATH}${trimSlash(u.pathname)}`;
  }

  /** Every scope advertised: the server's, then its items' (`offline_access` never, as MCP asks). */
  supportedScopes(): string[] {
    return allScopes(this.server, this.serverScopes).filter((s) => s !== "offline_access");
  }

  /** The RFC 9728 document, for GET on a well-known path. */
  metadata(req: IncomingHttp): ProtectedResourceDocument {
    const doc: ProtectedResourceDocument = { resource: this.resourceFor(req), bearer_methods_supported: ["header"] };
    if (this.options.authorizationServers) doc.authorization_servers = this.options.authorizationServers;
    const scopes = this.supportedScopes();
    if (scopes.length > 0) doc.scopes_supported = scopes;
    doc.resource_name = this.options.resourceName ?? this.server.info.title ?? this.server.info.name;
    if (this.options.resourceDocumentation) doc.resource_documentation = this.options.resourceDocumentation;
    return doc;
  }

  /** Answers a request for a well-known path: the metadata, public and readable cross-origin. */
  metadataResponse(req: IncomingHttp): HttpReply {
    const cors = { "access-control-allow-origin": "*" };
    if (req.method === "OPTIONS") {
      return emptyReply(204, { ...cors, "access-control-allow-methods": "GET, OPTIONS", "access-control-allow-headers": req.header("access-control-request-headers") ?? "mcp-protocol-version", "access-control-max-age": "600" });
    }
    if (req.method !== "GET" && req.method !== "HEAD") return httpError(405, -32000, "Method Not Allowed", { ...cors, allow: "GET, OPTIONS" });
    // A configured resource is the same for every request: cacheable. A derived one
    // follows the Host (or forwarded) header, so no cache may serve it to another host.
    const caching: HeaderMap = this.options.resource ? { "cache-control": "max-age=300" } : { "cache-control": "no-store", vary: "host, x-forwarded-host, x-forwarded-proto, forwarded" };
    return jsonReply(200, this.metadata(req), { ...cors, ...caching });
  }

  /**
   * Checks the credentials of a request to the endpoint: the caller's identity, or the
   * refusal to send (400 token in the query, 401 missing or invalid, 403 lacking the
   * server's scopes, 503 when the token cannot be checked now).
   */
  async authenticate(req: IncomingHttp): Promise<AuthInfo | HttpReply> {
    if (hasQueryToken(req.path)) {
      return this.refuse(req, new AuthError("invalid_request", "access tokens are not accepted in the query string; send an Authorization: Bearer header"));
    }
    const credential = this.credential(req);
    if (credential === undefined) return this.refuse(req, undefined);
    if (credential === "") return this.refuse(req, new AuthError("invalid_token", "the Authorization header is not a well-formed Bearer token"));
    const context: VerifyContext = { request: req, resource: this.resourceFor(req), audience: [], supportedScopes: this.supportedScopes() };
    const audience = this.options.audience;
    context.audience = audience === undefined ? [context.resource] : Array.isArray(audience) ? audience : [audience];
    let info: AuthInfo | undefined;
    try {
      info = await this.verifier.verify(credential, context);
    } catch (error) {
      if (error instanceof AuthError) {
        if (error.code === "temporarily_unavailable") this.onerror(new Error(`auth: ${error.message}`));
        return this.refuse(req, error);
      }
      this.onerror(error as Error);
      return httpError(500, -32603, "Internal error: the access token could not be checked");
    }
    if (!info) return this.refuse(req, new AuthError("invalid_token", this.apiKeyHeader ? "the API key is not valid" : "the access token is not valid"));
    if (!Array.isArray(info.scopes)) info.scopes = [];
    if (!holds(info, this.serverScopes)) {
      return this.refuse(req, new AuthError("insufficient_scope", "this server needs more scopes than the token has", this.serverScopes));
    }
    return info;
  }

  /**
   * Per-item scopes, checked before dispatch: a request naming a tool, resource,
   * template or prompt whose scopes the caller lacks is answered 403 with a step-up
   * challenge naming everything the call needs.
   */
  checkItems(body: unknown, auth: AuthInfo, req: IncomingHttp): HttpReply | undefined {
    for (const m of Array.isArray(body) ? body : [body]) {
      const msg = m as { method?: unknown; params?: unknown };
      if (typeof msg?.method !== "string") continue;
      const needed = itemScopes(this.server, msg.method, msg.params);
      if (!needed || holds(auth, needed)) continue;
      const scopes = [...new Set([...this.serverScopes, ...needed])];
      const p = msg.params as { name?: unknown; uri?: unknown };
      const what = `${msg.method} ${String(p.name ?? p.uri ?? "")}`.trim();
      return this.refuse(req, new AuthError("insufficient_scope", `${what} needs the scope${needed.length > 1 ? "s" : ""} ${needed.join(" ")}`, scopes));
    }
    return undefined;
  }

  /** The bearer token, or the API key; "" for a malformed Authorization header; undefined for none. */
  private credential(req: IncomingHttp): string | undefined {
    if (this.apiKeyHeader) {
      const key = req.header(this.apiKeyHeader);
      if (key !== undefined && key.trim() !== "") return key.trim();
    }
    const h = req.header("authorization");
    if (h === undefined) return undefined;
    const m = /^Bearer(?:\s+(.*))?$/i.exec(h.trim());
    if (!m) return undefined; // another scheme: as if no credentials were sent
    const token = (m[1] ?? "").trim();
    return /^[A-Za-z0-9\-._~+/]+=*$/.test(token) ? token : "";
  }

  /** A refusal with its challenge; `undefined` is "no credentials" (401 without an error code). */
  private refuse(req: IncomingHttp, error: AuthError | undefined): HttpReply {
    const params: [string, string][] = [];
    if (error) params.push(["error", error.code], ["error_description", error.message]);
    const scopes = (error?.scopes ?? this.serverScopes).filter((s) => s !== "offline_access");
    if (scopes.length > 0) params.push(["scope", scopes.join(" ")]);
    if (this.advertises) params.push(["resource_metadata", this.metadataUrlFor(req)]);
    // A verifier that cannot reach its issuer is not the caller's fault: no challenge, retry later.
    const headers: HeaderMap = error?.code === "temporarily_unavailable" ? { "retry-after": "5" } : { "www-authenticate": challenge(params) };
    const status = error?.status ?? 401;
    const message = error ? `${STATUS_TEXT[status]}: ${error.message}` : `Unauthorized: ${this.apiKeyHeader ? `send an API key in ${this.apiKeyHeader}` : "send an access token (Authorization: Bearer)"}`;
    const data: Record<string, unknown> = { error: error?.code ?? "unauthorized" };
    if (scopes.length > 0 && error?.code === "insufficient_scope") data.scope = scopes.join(" ");
    return httpError(status, status === 403 ? INSUFFICIENT_SCOPE : -32000, message, headers, data);
  }
}

const STATUS_TEXT: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 503: "Service Unavailable" };

const trimSlash = (p: string) => (p === "/" ? "" : p.replace(/\/+$/, ""));

/** `access_token` in the query string (RFC 6750 §2.3), which MCP forbids. */
function hasQueryToken(path: string): boolean {
  const q = path.indexOf("?");
  return q >= 0 && new URLSearchParams(path.slice(q + 1)).has("access_token");
}

/** A `Bearer` challenge; values quoted, and descriptions kept to the characters RFC 6750 allows. */
function challenge(params: [string, string][]): string {
  if (params.length === 0) return "Bearer";
  const quote = (name: string, v: string) =>
    `"${(name === "error_description" ? v.replace(/"/g, "'").replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, "") : v).replace(/[\\"]/g, "\\$&")}"`;
  return `Bearer ${params.map(([k, v]) => `${k}=${quote(k, v)}`).join(", ")}`;
}
