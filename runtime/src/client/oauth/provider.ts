import {
  bearerChallenge,
  canonicalResource,
  defaultEndpoints,
  discoverAuthorizationServer,
  discoverProtectedResource,
  resourceMatches,
  scopeList,
} from "./discovery.js";
import { createPkce, randomToken } from "./pkce.js";
import { MemoryTokenStorage, type TokenStorage } from "./storage.js";
import {
  OAuthError,
  type AuthorizationServerMetadata,
  type OAuthClientInformation,
  type OAuthClientMetadata,
  type OAuthTokenResponse,
  type ProtectedResourceMetadata,
  type StoredTokens,
} from "./types.js";

// ---- the transport's side ---------------------------------------------------------------

/** A refusal by the MCP server, as the HTTP transport reports it to its AuthProvider. */
export interface AuthChallenge {
  /** The MCP endpoint that refused. */
  url: URL;
  /** 401 (no token, or it is invalid or expired) or 403 (e.g. `insufficient_scope`). */
  status: number;
  /** The response's `WWW-Authenticate` header. */
  wwwAuthenticate: string | null;
  /** The `Authorization` value that was refused (undefined: the request had none). */
  sentAuthorization?: string;
  /** Aborted when the transport closes. */
  signal?: AbortSignal;
}

/**
 * What the Streamable HTTP client transport asks of its `authProvider`: an Authorization
 * header for each request, and, when the server refuses one with 401 or 403, whatever it
 * takes to get a better credential. OAuthClientProvider is the full MCP implementation;
 * a static token is `{ authorizationHeader: () => "Bearer …", handleChallenge: async () => false }`.
 */
export interface AuthProvider {
  /** The `Authorization` header value for a request to `url`, or undefined for none. */
  authorizationHeader(url: URL): string | undefined | Promise<string | undefined>;
  /**
   * Resolves true once a new credential is in place and the request should be sent
   * again, false when it should fail as it is. Throws to fail it with the reason.
   */
  handleChallenge(challenge: AuthChallenge): Promise<boolean>;
}

// ---- options ----------------------------------------------------------------------------

/** What the app is asked to do with the authorization URL. */
export interface AuthorizationRequest {
  /** Open this in a browser (or follow it). */
  url: URL;
  /** Where the authorization server will send the user back with `code` and `state`. */
  redirectUri: string;
  /** The authorization server. */
  issuer: string;
  /** Aborted when the request that needed authorization is abandoned. */
  signal?: AbortSignal;
}

export interface OAuthClientOptions {
  /**
   * The redirect URI registered for this client (default `http://localhost/callback`,
   * which suits the headless default of `redirectToAuthorization`).
   */
  redirectUri?: string;
  /**
   * Sends the user to `request.url` and resolves with the URL the authorization server
   * redirected back to (the callback URL with `code`, `state` and maybe `iss`), as a
   * string or URL. Default: `followAuthorizationRedirect`, which fetches the URL and takes
   * the redirect it answers with: right for servers that approve without a person (tests,
   * machine clients); anything else needs a real handler (open a browser, run a loopback
   * listener, return what it received).
   */
  redirectToAuthorization?: (request: AuthorizationRequest) => string | URL | Promise<string | URL>;
  /** Client metadata for dynamic registration and the metadata document (client_name, logo_uri…). */
  clientMetadata?: Partial<OAuthClientMetadata>;
  /**
   * The https URL where this client's metadata document is published. Used as the
   * client_id with authorization servers that advertise
   * `client_id_metadata_document_supported` (serve `clientMetadataDocument()` there).
   */
  clientMetadataUrl?: string;
  /**
   * A pre-registered client: used before anything else. Bind it to its authorization
   * server with `issuer`, or give a function of the issuer, so it is never shown to another.
   */
  clientInformation?: OAuthClientInformation | ((issuer: string) => OAuthClientInformation | undefined | Promise<OAuthClientInformation | undefined>);
  /** Tokens and registrations (default: in memory; `FileTokenStorage` keeps them on disk). */
  storage?: TokenStorage;
  /** fetch for discovery, registration and token requests (default: the global one). */
  fetch?: typeof fetch;
  /**
   * A fixed scope to ask for. Default: the scope of the server's challenge, else every
   * scope in its resource metadata's `scopes_supported`, else no scope parameter.
   */
  scope?: string;
  /**
   * Ask for `offline_access` when the authorization server lists it in
   * `scopes_supported`, so it issues a refresh token (default true).
   */
  offlineAccess?: boolean;
  /** Token endpoint authentication to register with (default: from the server's metadata). */
  tokenEndpointAuthMethod?: "client_secret_basic" | "client_secret_post" | "none";
  /** Picks among the resource's `authorization_servers` (default: the first). */
  selectAuthorizationServer?: (servers: string[], metadata: ProtectedResourceMetadata) => string;
  /** Refresh this long before the access token expires (ms, default 30 000). */
  refreshSkewMs?: number;
  /** Progress messages (discovery, registration, token requests), for logs. */
  onEvent?: (message: string) => void;
}

/** What discovery found for one MCP server. */
export interface AuthorizationContext {
  /** The `resource` parameter sent (the metadata's `resource`, verbatim, or the server's canonical URI). */
  resource: string;
  /** The protected resource metadata (absent for a 2025-03-26 server). */
  resourceMetadata?: ProtectedResourceMetadata;
  /** The authorization server as named by the resource (the key registrations are kept under). */
  issuer: string;
  authorizationServer: AuthorizationServerMetadata;
  /** True for the 2025-03-26 fallback (no resource metadata; the server's origin is the AS). */
  legacy: boolean;
}

const DEFAULT_REDIRECT = "http://localhost/callback";

/**
 * OAuth 2.1 for an MCP client, per the MCP authorization specification (2025-06-18 and
 * later, with the 2025-03-26 fallbacks): discovery from the 401, PKCE S256, RFC 8707
 * `resource` on every authorization and token request, scope selection and step-up on
 * 403 `insufficient_scope`, registration (pre-registered, client ID metadata document,
 * or dynamic), refresh tokens, RFC 9207 `iss` checks, and tokens in a TokenStorage.
 *
 * Give it to the HTTP client transport as `authProvider`:
 *   connectWithFallback(client, url, { authProvider: new OAuthClientProvider({ … }) })
 */
export class OAuthClientProvider implements AuthProvider {
  readonly storage: TokenStorage;
  readonly redirectUri: string;
  private readonly fetchFn: typeof fetch;
  private readonly contexts = new Map<string, AuthorizationContext>();
  /** Scope sets a step-up has already asked for, per resource: never twice. */
  private readonly stepUps = new Map<string, Set<string>>();
  private lock: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: OAuthClientOptions = {}) {
    this.storage = options.storage ?? new MemoryTokenStorage();
    this.redirectUri = options.redirectUri ?? options.clientMetadata?.redirect_uris?.[0] ?? DEFAULT_REDIRECT;
    const f = options.fetch;
    this.fetchFn = f ? (input, init) => f(input, init) : (input, init) => fetch(input, init);
  }

  // ---- AuthProvider ----

  async authorizationHeader(url: URL): Promise<string | undefined> {
    const key = canonicalResource(url);
    let tokens = await this.storage.getTokens(key);
    if (!tokens) return undefined;
    const context = this.contexts.get(key);
    if (this.expired(tokens) && tokens.refresh_token && context && context.issuer === tokens.issuer) {
      const stale = tokens;
      tokens = await this.exclusive(async () => {
        const now = await this.storage.getTokens(key);
        if (now && now.access_token !== stale.access_token) return now; // refreshed meanwhile
        return this.refresh(key, stale, context).catch(async (error) => {
          this.event(`refresh failed (${(error as Error).message}); the next 401 starts a new authorization`);
          await this.storage.setTokens(key, undefined);
          return undefined;
        });
      });
      if (!tokens) return undefined;
    }
    return `Bearer ${tokens.access_token}`;
  }

  handleChallenge(challenge: AuthChallenge): Promise<boolean> {
    return this.exclusive(() => this.challenged(challenge));
  }

  // ---- public helpers ----

  /** The client ID metadata document to publish at `clientMetadataUrl`. */
  clientMetadataDocument(): OAuthClientMetadata & { client_id: string } {
    if (!this.options.clientMetadataUrl) throw new Error("clientMetadataDocument(): no clientMetadataUrl was given");
    return { ...this.registrationMetadata(undefined, "none"), client_id: this.options.clientMetadataUrl };
  }

  /** What discovery found for the MCP server at `serverUrl` (after a first challenge). */
  context(serverUrl: string | URL): AuthorizationContext | undefined {
    return this.contexts.get(canonicalResource(new URL(serverUrl)));
  }

  /** Forgets the tokens for the MCP server at `serverUrl` (the next request starts over). */
  async signOut(serverUrl: string | URL): Promise<void> {
    const key = canonicalResource(new URL(serverUrl));
    await this.storage.setTokens(key, undefined);
    this.stepUps.delete(key);
  }

  // ---- the flow ----

  private async challenged(ch: AuthChallenge): Promise<boolean> {
    const key = canonicalResource(ch.url);
    const tokens = await this.storage.getTokens(key);
    // Another request renewed the credential while this one waited its turn.
    if (tokens && `Bearer ${tokens.access_token}` !== ch.sentAuthorization) return true;
    const bearer = bearerChallenge(ch.wwwAuthenticate);

    if (ch.status === 403) {
      if (bearer.error !== "insufficient_scope") return false;
      const challenged = scopeList(bearer.scope);
      const held = new Set([...scopeList(tokens?.scope), ...scopeList(tokens?.requested_scope)]);
      if (tokens && challenged.length > 0 && challenged.every((s) => held.has(s))) {
        this.event(`403 insufficient_scope for "${bearer.scope}", which the current token already asked for: not authorizing again`);
        return false;
      }
      const context = await this.discover(ch.url, bearer.resource_metadata);
      // SEP-2350: ask for what was held plus what is now needed, so nothing is lost.
      const wanted = union(scopeList(tokens?.requested_scope ?? tokens?.scope), challenged);
      const scope = this.withOfflineAccess(wanted.length ? wanted.join(" ") : undefined, context);
      const tried = this.stepUps.get(key) ?? new Set<string>();
      const id = scopeList(scope).sort().join(" ");
      if (tried.has(id)) {
        this.event(`403 insufficient_scope again after a step-up to "${scope}": giving up`);
        return false;
      }
      tried.add(id);
      this.stepUps.set(key, tried);
      this.event(`step-up: 403 insufficient_scope, authorizing again for "${scope}"`);
      await this.authorize(key, context, scope, ch.signal);
      return true;
    }
    if (ch.status !== 401) return false;

    const context = await this.discover(ch.url, bearer.resource_metadata);
    if (tokens) {
      if (tokens.refresh_token && tokens.issuer === context.issuer) {
        try {
          await this.refresh(key, tokens, context);
          return true;
        } catch (error) {
          this.event(`refresh failed (${(error as Error).message}); authorizing again`);
        }
      }
      await this.storage.setTokens(key, undefined);
    }
    const base = this.options.scope ?? bearer.scope ?? (context.resourceMetadata?.scopes_supported?.length ? context.resourceMetadata.scopes_supported.join(" ") : undefined);
    await this.authorize(key, context, this.withOfflineAccess(base || undefined, context), ch.signal);
    return true;
  }

  /** Discovery for the server at `serverUrl`, from scratch (the resource may have moved to another AS). */
  private async discover(serverUrl: URL, resourceMetadataUrl: string | undefined): Promise<AuthorizationContext> {
    const key = canonicalResource(serverUrl);
    const fetchFn = this.fetchFn;
    const prm = await discoverProtectedResource(serverUrl, { resourceMetadataUrl, fetch: fetchFn });
    let context: AuthorizationContext;
    if (prm) {
      const md = prm.metadata;
      this.event(`protected resource metadata from ${prm.url}: resource ${md.resource}, authorization servers ${JSON.stringify(md.authorization_servers ?? [])}`);
      if (!resourceMatches(md.resource, serverUrl)) {
        throw new OAuthError(
          "resource_mismatch",
          `the protected resource metadata at ${prm.url} is for ${JSON.stringify(md.resource)}, not for ${serverUrl.href}; refusing to authorize for it`,
          { url: prm.url },
        );
      }
      const servers = md.authorization_servers ?? [];
      if (servers.length === 0) throw new OAuthError("invalid_metadata", `the protected resource metadata at ${prm.url} names no authorization server`, { url: prm.url });
      const issuer = this.options.selectAuthorizationServer?.(servers, md) ?? servers[0]!;
      const as = await discoverAuthorizationServer(issuer, { fetch: fetchFn });
      if (!as) throw new OAuthError("discovery_failed", `authorization server ${issuer} publishes no metadata at any well-known URL`);
      this.event(`authorization server metadata from ${as.url}`);
      requireS256(as.metadata, as.url!);
      context = { resource: md.resource, resourceMetadata: md, issuer, authorizationServer: as.metadata, legacy: false };
    } else {
      // 2025-03-26: no resource metadata; the authorization base URL is the server's origin.
      const issuer = serverUrl.origin;
      const as = await discoverAuthorizationServer(issuer, { fetch: fetchFn, sameOrigin: true });
      if (as) {
        this.event(`no protected resource metadata; authorization server metadata (2025-03-26) from ${as.url}`);
        requireS256(as.metadata, as.url!);
      } else this.event(`no protected resource metadata and no authorization server metadata: the 2025-03-26 default endpoints of ${issuer}`);
      context = { resource: canonicalResource(serverUrl), issuer, authorizationServer: as?.metadata ?? defaultEndpoints(issuer), legacy: true };
    }
    this.contexts.set(key, context);
    return context;
  }

  /** The authorization code flow with PKCE, then the code exchanged for tokens. */
  private async authorize(key: string, context: AuthorizationContext, scope: string | undefined, signal?: AbortSignal): Promise<void> {
    const as = context.authorizationServer;
    const client = await this.clientFor(context, true);
    const pkce = await createPkce();
    const state = randomToken(16);
    const url = new URL(as.authorization_endpoint);
    const q = url.searchParams;
    q.set("response_type", "code");
    q.set("client_id", client.client_id);
    q.set("redirect_uri", this.redirectUri);
    q.set("code_challenge", pkce.challenge);
    q.set("code_challenge_method", pkce.method);
    q.set("state", state);
    if (scope) q.set("scope", scope);
    q.set("resource", context.resource);
    this.event(`authorization request to ${as.authorization_endpoint} (client ${client.client_id}${scope ? `, scope "${scope}"` : ", no scope"})`);

    const request: AuthorizationRequest = { url, redirectUri: this.redirectUri, issuer: context.issuer, signal };
    const returned = this.options.redirectToAuthorization
      ? await this.options.redirectToAuthorization(request)
      : await followAuthorizationRedirect(request, this.fetchFn);
    const callback = new URL(String(returned), this.redirectUri);
    const p = callback.searchParams;
    const error = p.get("error");
    if (error) {
      const description = p.get("error_description") ?? undefined;
      throw new OAuthError(error, `the authorization server refused: ${error}${description ? ` (${description})` : ""}`, { description });
    }
    if (p.get("state") !== state) throw new OAuthError("state_mismatch", "the authorization response's state is not the one sent; ignoring it");
    // RFC 9207: compare a present iss with the issuer, character for character, whether
    // or not the server advertised it; require it when the server said it always sends it.
    const iss = p.get("iss");
    if (iss !== null && iss !== as.issuer) {
      throw new OAuthError("issuer_mismatch", `the authorization response came from ${JSON.stringify(iss)}, not from ${JSON.stringify(as.issuer)} (RFC 9207); the code was not used`);
    }
    if (iss === null && as.authorization_response_iss_parameter_supported === true) {
      throw new OAuthError("issuer_missing", `${as.issuer} promises an iss parameter in authorization responses, and this one has none (RFC 9207); the code was not used`);
    }
    const code = p.get("code");
    if (!code) throw new OAuthError("invalid_response", "the authorization response has no code");

    const response = await this.tokenRequest(context, client, {
      grant_type: "authorization_code",
      code,
      redirect_uri: this.redirectUri,
      code_verifier: pkce.verifier,
      resource: context.resource,
    });
    await this.storage.setTokens(key, this.stored(response, context, scope));
  }

  private async refresh(key: string, tokens: StoredTokens, context: AuthorizationContext): Promise<StoredTokens> {
    const client = await this.clientFor(context, false);
    this.event(`refreshing the access token at ${context.authorizationServer.token_endpoint}`);
    const response = await this.tokenRequest(context, client, {
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token!,
      resource: tokens.resource ?? context.resource,
    });
    const next = this.stored(response, context, tokens.requested_scope);
    next.refresh_token ??= tokens.refresh_token; // the old one stays valid unless replaced
    await this.storage.setTokens(key, next);
    return next;
  }

  private stored(response: OAuthTokenResponse, context: AuthorizationContext, requested: string | undefined): StoredTokens {
    const t: StoredTokens = { access_token: response.access_token, token_type: response.token_type ?? "Bearer", issuer: context.issuer, resource: context.resource };
    if (response.refresh_token) t.refresh_token = response.refresh_token;
    if (typeof response.expires_in === "number") t.expires_at = Date.now() + response.expires_in * 1000;
    if (response.scope ?? requested) t.scope = response.scope ?? requested;
    if (requested) t.requested_scope = requested;
    return t;
  }

  private async tokenRequest(context: AuthorizationContext, client: OAuthClientInformation, params: Record<string, string>): Promise<OAuthTokenResponse> {
    const endpoint = context.authorizationServer.token_endpoint;
    const body = new URLSearchParams(params);
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    const method = tokenEndpointAuthMethod(client, context.authorizationServer);
    if (method === "client_secret_basic") {
      // RFC 6749 §2.3.1: both parts form-encoded before base64.
      headers.authorization = `Basic ${btoa(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret ?? "")}`)}`;
    } else if (method === "client_secret_post") {
      body.set("client_id", client.client_id);
      body.set("client_secret", client.client_secret ?? "");
    } else body.set("client_id", client.client_id);
    this.event(`token request (${params.grant_type}) to ${endpoint} with ${method}`);
    let response: Response;
    try {
      response = await this.fetchFn(endpoint, { method: "POST", headers, body });
    } catch (error) {
      throw new OAuthError("token_request_failed", `POST ${endpoint} failed: ${(error as Error).message}`, { url: endpoint });
    }
    const text = await response.text().catch(() => "");
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // handled below
    }
    if (!response.ok) {
      const code = typeof json?.error === "string" ? json.error : "token_request_failed";
      const description = typeof json?.error_description === "string" ? json.error_description : undefined;
      throw new OAuthError(code, `the token endpoint ${endpoint} answered HTTP ${response.status}: ${code}${description ? ` (${description})` : text && !json ? ` ${text.slice(0, 200)}` : ""}`, {
        httpStatus: response.status,
        url: endpoint,
        description,
      });
    }
    if (!json || typeof json.access_token !== "string" || !json.access_token) {
      throw new OAuthError("invalid_response", `the token endpoint ${endpoint} returned no access_token`, { url: endpoint });
    }
    const type = typeof json.token_type === "string" ? json.token_type : "Bearer";
    if (type.toLowerCase() !== "bearer") throw new OAuthError("unsupported_token_type", `the token endpoint issued a ${type} token; only Bearer tokens are supported`);
    return json as unknown as OAuthTokenResponse;
  }

  // ---- registration ----

  /** Pre-registered, else saved for this issuer, else a metadata document URL, else dynamic registration. */
  private async clientFor(context: AuthorizationContext, mayRegister: boolean): Promise<OAuthClientInformation> {
    const as = context.authorizationServer;
    const o = this.options;
    const pre = typeof o.clientInformation === "function" ? await o.clientInformation(context.issuer) : o.clientInformation;
    if (pre && (pre.issuer === undefined || pre.issuer === context.issuer || pre.issuer === as.issuer)) return pre;
    const saved = await this.storage.getClient(context.issuer);
    if (saved && !(saved.client_secret_expires_at && saved.client_secret_expires_at * 1000 <= Date.now())) return saved;
    if (o.clientMetadataUrl && as.client_id_metadata_document_supported === true) {
      return { client_id: o.clientMetadataUrl, token_endpoint_auth_method: "none", issuer: context.issuer };
    }
    if (!mayRegister) throw new OAuthError("invalid_client", `no client registration for ${context.issuer} is known any more`);
    if (!as.registration_endpoint) {
      throw new OAuthError(
        "registration_unavailable",
        `${as.issuer} offers no dynamic registration${o.clientMetadataUrl ? "" : " and no clientMetadataUrl was given"}${as.client_id_metadata_document_supported ? "" : " (nor does it accept client ID metadata documents)"}; pass clientInformation with a pre-registered client`,
      );
    }
    const client = await this.register(context);
    await this.storage.setClient(context.issuer, client);
    return client;
  }

  private registrationMetadata(as: AuthorizationServerMetadata | undefined, method?: string): OAuthClientMetadata {
    const o = this.options;
    const md: OAuthClientMetadata = {
      client_name: "MCP client",
      redirect_uris: [this.redirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: method ?? o.tokenEndpointAuthMethod ?? registrationAuthMethod(as),
      application_type: applicationType(this.redirectUri),
      ...o.clientMetadata,
    };
    if (!md.redirect_uris?.length) md.redirect_uris = [this.redirectUri];
    return md;
  }

  private async register(context: AuthorizationContext): Promise<OAuthClientInformation> {
    const as = context.authorizationServer;
    const endpoint = as.registration_endpoint!;
    const metadata = this.registrationMetadata(as);
    this.event(`dynamic client registration at ${endpoint}`);
    let response: Response;
    try {
      response = await this.fetchFn(endpoint, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(metadata) });
    } catch (error) {
      throw new OAuthError("registration_failed", `POST ${endpoint} failed: ${(error as Error).message}`, { url: endpoint });
    }
    const text = await response.text().catch(() => "");
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // handled below
    }
    if (!response.ok || !json || typeof json.client_id !== "string") {
      const code = typeof json?.error === "string" ? json.error : "registration_failed";
      throw new OAuthError(code, `dynamic client registration at ${endpoint} failed: HTTP ${response.status} ${text.slice(0, 300)}`, { httpStatus: response.status, url: endpoint });
    }
    return { ...(json as OAuthClientInformation), issuer: context.issuer };
  }

  // ---- scope ----

  private withOfflineAccess(scope: string | undefined, context: AuthorizationContext): string | undefined {
    if (!scope || this.options.offlineAccess === false) return scope;
    const list = scopeList(scope);
    if (list.includes("offline_access")) return scope;
    // SEP-2207: only when the authorization server says it supports it.
    if (!context.authorizationServer.scopes_supported?.includes("offline_access")) return scope;
    return [...list, "offline_access"].join(" ");
  }

  // ---- utilities ----

  private expired(tokens: StoredTokens): boolean {
    return tokens.expires_at !== undefined && Date.now() >= tokens.expires_at - (this.options.refreshSkewMs ?? 30_000);
  }

  /** Runs `fn` after every earlier flow: one authorization at a time. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => {});
    return run;
  }

  private event(message: string): void {
    this.options.onEvent?.(message);
  }
}

// ---- helpers ----------------------------------------------------------------------------

/** PKCE is required: refuse an authorization server whose metadata does not list S256. */
function requireS256(as: AuthorizationServerMetadata, where: string): void {
  const methods = as.code_challenge_methods_supported;
  if (!Array.isArray(methods) || !methods.includes("S256")) {
    throw new OAuthError(
      "pkce_unsupported",
      `the authorization server metadata at ${where} does not list S256 in code_challenge_methods_supported${methods ? ` (it lists ${JSON.stringify(methods)})` : " (the field is absent)"}; MCP requires PKCE with S256, so this server cannot be used`,
      { url: where },
    );
  }
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/** How to authenticate at the token endpoint: as registered, else from the secret and the AS's list. */
function tokenEndpointAuthMethod(client: OAuthClientInformation, as: AuthorizationServerMetadata): string {
  if (client.token_endpoint_auth_method) return client.token_endpoint_auth_method;
  if (!client.client_secret) return "none";
  // RFC 8414: an absent list means client_secret_basic.
  const supported = as.token_endpoint_auth_methods_supported ?? ["client_secret_basic"];
  if (supported.includes("client_secret_basic")) return "client_secret_basic";
  if (supported.includes("client_secret_post")) return "client_secret_post";
  return "client_secret_basic";
}

/** What to ask for at registration: a public client where the AS allows it. */
function registrationAuthMethod(as: AuthorizationServerMetadata | undefined): string {
  const supported = as?.token_endpoint_auth_methods_supported;
  if (!supported) return "client_secret_basic";
  for (const m of ["none", "client_secret_basic", "client_secret_post"]) if (supported.includes(m)) return m;
  return supported[0] ?? "client_secret_basic";
}

/** SEP-837: `native` for loopback and custom-scheme redirect URIs, `web` otherwise. */
function applicationType(redirectUri: string): "native" | "web" {
  try {
    const u = new URL(redirectUri);
    if (u.protocol !== "http:" && u.protocol !== "https:") return "native";
    return ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname) ? "native" : "web";
  } catch {
    return "native";
  }
}

const sameEndpoint = (a: URL, b: URL) => a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;

/**
 * The headless `redirectToAuthorization`: GETs the authorization URL without following
 * redirects automatically and follows them itself until one points at the redirect URI,
 * which it returns (with `code`, `state` and `iss`). This is what happens in a browser
 * when the authorization server approves without asking anyone (a test server, an
 * already-consented session); a login page ends it with `interaction_required`.
 */
export async function followAuthorizationRedirect(request: AuthorizationRequest, fetchFn: typeof fetch = fetch): Promise<URL> {
  const target = new URL(request.redirectUri);
  let url = request.url;
  for (let hop = 0; hop < 10; hop++) {
    let response: Response;
    try {
      response = await fetchFn(url, { redirect: "manual", signal: request.signal });
    } catch (error) {
      throw new OAuthError("authorization_failed", `GET ${url.origin}${url.pathname} failed: ${(error as Error).message}`);
    }
    await response.body?.cancel().catch(() => {});
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (sameEndpoint(next, target)) return next;
      url = next;
      continue;
    }
    throw new OAuthError(
      "interaction_required",
      `the authorization endpoint ${url.origin}${url.pathname} answered HTTP ${response.status} instead of redirecting to ${request.redirectUri}: a person has to take part, so give OAuthClientProvider a redirectToAuthorization that opens a browser`,
    );
  }
  throw new OAuthError("authorization_failed", `more than 10 redirects from ${request.url.origin}${request.url.pathname}`);
}
