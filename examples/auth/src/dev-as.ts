/**
 * A small OAuth 2.1 authorization server for development and tests, on loopback only.
 * NOT for production: any registered client gets any scope it asks for.
 *
 * - metadata: RFC 8414 at /.well-known/oauth-authorization-server[/path] (or OpenID
 *   Connect discovery, `discovery: "oidc"`)
 * - JWKS: <issuer>/jwks (a key pair generated at start; `rotate()` adds a new one)
 * - token: <issuer>/token, client_credentials (client_secret_basic or _post), `scope`,
 *   `resource` (RFC 8707, becomes `aud`); signed JWTs, or opaque tokens with the
 *   non-standard `token_format=opaque` (for introspection)
 * - introspection: <issuer>/introspect (RFC 7662), for authenticated clients
 *
 * Run it: `npm run dev-as` (port 9000, or $PORT) and it prints how to get a token.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, createLocalJWKSet, type JWK, type CryptoKey } from "jose";

export interface DevClient {
  id: string;
  secret: string;
}

export interface DevAuthServerOptions {
  port?: number;
  /** Path of the issuer, such as `/tenant-a` (default none). */
  issuerPath?: string;
  /** Where the metadata is published: RFC 8414 (default) or OpenID Connect discovery. */
  discovery?: "oauth" | "oidc";
  /** Default: one client, `dev-client` / `dev-secret`. */
  clients?: DevClient[];
  /** Signature algorithm of its keys (default RS256). */
  alg?: "RS256" | "ES256" | "EdDSA";
  /** Lifetime of issued tokens in seconds (default 3600). */
  tokenLifetimeSeconds?: number;
}

export interface IssueOptions {
  scope?: string;
  audience?: string | string[];
  subject?: string;
  clientId?: string;
  /** Seconds from now (negative: already expired). Default: the server's token lifetime. */
  expiresIn?: number;
  /** `nbf`, in seconds from now. */
  notBefore?: number;
  /** Overrides `iss`. */
  issuer?: string;
  /** Sign with a key the JWKS does not publish (same kid scheme). */
  foreignKey?: boolean;
  /** Overrides the header's `kid`. */
  kid?: string;
  /** More claims. */
  claims?: Record<string, unknown>;
}

interface Key {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export interface DevAuthServer {
  /** The issuer URL (`iss` of its tokens). */
  readonly issuer: string;
  readonly origin: string;
  readonly tokenEndpoint: string;
  readonly introspectionEndpoint: string;
  readonly jwksUri: string;
  /** How many times each endpoint was called (tests check caching). */
  readonly hits: { metadata: number; jwks: number; token: number; introspect: number };
  /** A token from the token endpoint over HTTP (client credentials). */
  clientCredentials(options?: { scope?: string; resource?: string; client?: DevClient; format?: "jwt" | "opaque" }): Promise<string>;
  /** A signed JWT made directly (tests craft bad ones with the options). */
  issue(options?: IssueOptions): Promise<string>;
  /** Publishes a new signing key (the old one stays published) and signs with it from now on. */
  rotate(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_CLIENT: DevClient = { id: "dev-client", secret: "dev-secret" };

export async function startDevAuthServer(options: DevAuthServerOptions = {}): Promise<DevAuthServer> {
  const alg = options.alg ?? "RS256";
  const clients = options.clients ?? [DEFAULT_CLIENT];
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const issuerPath = (options.issuerPath ?? "").replace(/\/+$/, "");
  const newKey = async (): Promise<Key> => {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const kid = randomBytes(8).toString("hex");
    return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
  };
  const keys: Key[] = [await newKey()];
  const foreign = await newKey();
  const opaque = new Map<string, Record<string, unknown>>();
  const hits = { metadata: 0, jwks: 0, token: 0, introspect: 0 };

  let origin = "";
  const issuer = () => `${origin}${issuerPath}`;

  const sign = async (o: IssueOptions = {}): Promise<string> => {
    const key = o.foreignKey ? foreign : keys[keys.length - 1]!;
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = { client_id: o.clientId ?? DEFAULT_CLIENT.id, ...o.claims };
    if (o.scope !== undefined) payload.scope = o.scope;
    if (o.notBefore !== undefined) payload.nbf = now + o.notBefore;
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg, kid: o.kid ?? key.kid, typ: "at+jwt" })
      .setIssuer(o.issuer ?? issuer())
      .setSubject(o.subject ?? o.clientId ?? DEFAULT_CLIENT.id)
      .setIssuedAt(now)
      .setExpirationTime(now + (o.expiresIn ?? lifetime))
      .setJti(randomBytes(8).toString("hex"));
    if (o.audience !== undefined) jwt.setAudience(o.audience);
    return jwt.sign(key.privateKey);
  };

  const metadata = () => ({
    issuer: issuer(),
    token_endpoint: `${issuer()}/token`,
    jwks_uri: `${issuer()}/jwks`,
    introspection_endpoint: `${issuer()}/introspect`,
    grant_types_supported: ["client_credentials"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic"],
    response_types_supported: [],
    code_challenge_methods_supported: ["S256"],
  });

  const metadataPath = options.discovery === "oidc" ? `/.well-known/openid-configuration${issuerPath}` : `/.well-known/oauth-authorization-server${issuerPath}`;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => send(res, 500, { error: "server_error", error_description: error.message }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (req.method === "GET" && path === metadataPath) {
      hits.metadata++;
      return send(res, 200, metadata());
    }
    if (req.method === "GET" && path === `${issuerPath}/jwks`) {
      hits.jwks++;
      return send(res, 200, { keys: keys.map((k) => k.jwk) });
    }
    if (req.method === "POST" && path === `${issuerPath}/token`) {
      hits.token++;
      return token(req, res);
    }
    if (req.method === "POST" && path === `${issuerPath}/introspect`) {
      hits.introspect++;
      return introspect(req, res);
    }
    send(res, 404, { error: "not_found" });
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const client = authenticateClient(req, form);
    if (!client) return send(res, 401, { error: "invalid_client" }, { "www-authenticate": 'Basic realm="dev-as"' });
    if (form.get("grant_type") !== "client_credentials") return send(res, 400, { error: "unsupported_grant_type" });
    const scope = form.get("scope") ?? undefined;
    const resources = form.getAll("resource");
    for (const r of resources) {
      if (!URL.canParse(r) || new URL(r).hash) return send(res, 400, { error: "invalid_target", error_description: `not an absolute URI: ${r}` });
    }
    const audience = resources.length === 0 ? undefined : resources.length === 1 ? resources[0] : resources;
    let accessToken: string;
    if (form.get("token_format") === "opaque") {
      accessToken = randomBytes(24).toString("base64url");
      const now = Math.floor(Date.now() / 1000);
      opaque.set(accessToken, { iss: issuer(), sub: client.id, client_id: client.id, scope, aud: audience, iat: now, exp: now + lifetime, token_type: "Bearer" });
    } else {
      accessToken = await sign({ scope, audience, clientId: client.id });
    }
    const body: Record<string, unknown> = { access_token: accessToken, token_type: "Bearer", expires_in: lifetime };
    if (scope !== undefined) body.scope = scope;
    send(res, 200, body, { "cache-control": "no-store" });
  }

  async function introspect(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    if (!authenticateClient(req, form)) return send(res, 401, { error: "invalid_client" }, { "www-authenticate": 'Basic realm="dev-as"' });
    const t = form.get("token") ?? "";
    const stored = opaque.get(t);
    if (stored) {
      const active = (stored.exp as number) > Date.now() / 1000;
      return send(res, 200, active ? { active: true, ...withoutUndefined(stored) } : { active: false });
    }
    try {
      const { payload } = await jwtVerify(t, createLocalJWKSet({ keys: keys.map((k) => k.jwk) }), { issuer: issuer() });
      return send(res, 200, { active: true, token_type: "Bearer", ...payload });
    } catch {
      return send(res, 200, { active: false });
    }
  }

  function authenticateClient(req: IncomingMessage, form: URLSearchParams): DevClient | undefined {
    let id = form.get("client_id") ?? undefined;
    let secret = form.get("client_secret") ?? undefined;
    const auth = req.headers.authorization;
    if (auth?.startsWith("Basic ")) {
      const decoded = Buffer.from(auth.slice(6), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " "));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " "));
    }
    return clients.find((c) => c.id === id && c.secret === secret);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    get issuer() {
      return issuer();
    },
    origin,
    tokenEndpoint: `${issuer()}/token`,
    introspectionEndpoint: `${issuer()}/introspect`,
    jwksUri: `${issuer()}/jwks`,
    hits,
    async clientCredentials(o = {}) {
      const client = o.client ?? clients[0]!;
      const form = new URLSearchParams({ grant_type: "client_credentials" });
      if (o.scope !== undefined) form.set("scope", o.scope);
      if (o.resource !== undefined) form.set("resource", o.resource);
      if (o.format === "opaque") form.set("token_format", "opaque");
      const response = await fetch(`${issuer()}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}` },
        body: form,
      });
      const body = (await response.json()) as { access_token?: string; error?: string };
      if (!response.ok || !body.access_token) throw new Error(`token endpoint: ${response.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    issue: sign,
    async rotate() {
      keys.push(await newKey());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (s += c));
    req.once("end", () => resolve(s));
    req.once("error", reject);
  });
}

const withoutUndefined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

// `npm run dev-as`: serve on $PORT (default 9000) until stopped.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const as = await startDevAuthServer({ port: Number(process.env.PORT ?? 9000) });
  process.stderr.write(
    `dev authorization server: issuer ${as.issuer} (client dev-client / dev-secret)\n` +
      `  a token:  curl -s -u dev-client:dev-secret -d grant_type=client_credentials -d "scope=notes:read notes:write" -d resource=http://127.0.0.1:3000/mcp ${as.tokenEndpoint}\n`,
  );
}
