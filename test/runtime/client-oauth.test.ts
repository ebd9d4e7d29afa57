/**
 * OAuth in the runtime client (OAuthClientProvider + the Streamable HTTP transport's
 * `authProvider` hook), against two scripted node:http servers on 127.0.0.1: an MCP
 * resource server that answers 401/403 with `WWW-Authenticate` challenges and publishes
 * protected resource metadata, and an authorization server with metadata, /authorize
 * (approving at once with a redirect), /token (which checks the PKCE verifier against the
 * challenge, the `resource`, and the client's authentication) and /register. Every wait
 * is for a request or a result; nothing sleeps.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type net from "node:net";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  FileTokenStorage,
  followAuthorizationRedirect,
  McpClient,
  MemoryTokenStorage,
  OAuthClientProvider,
  OAuthError,
  StreamableHttpClientTransport,
  authorizationServerMetadataUrls,
  bearerChallenge,
  parseWwwAuthenticate,
  protectedResourceMetadataUrls,
  resourceMatches,
  type OAuthClientOptions,
} from "../../runtime/src/index.js";

// ---------------------------------------------------------------- scripted servers

interface Seen {
  server: "as" | "rs";
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  form?: URLSearchParams;
  json?: any;
}

async function listen(handler: (req: http.IncomingMessage, raw: string, res: http.ServerResponse) => void) {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    handler(req, Buffer.concat(chunks).toString(), res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const send = (res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
  if (body === undefined) return void res.writeHead(status, headers).end();
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
};
const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

interface AsConfig {
  /** Path of the issuer (`/tenant`); default none. */
  issuerPath?: string;
  /** Where the metadata is served (default: RFC 8414 path-inserted). */
  metadataAt?: "rfc8414" | "oidc" | "oidc-appended" | "none";
  /** The issuer the metadata states (default: the real one). */
  statedIssuer?: string;
  codeChallengeMethods?: string[] | null;
  registration?: boolean;
  cimd?: boolean;
  scopesSupported?: string[];
  authMethods?: string[];
  /** What DCR answers with. */
  registeredSecret?: string;
  registeredAuthMethod?: string;
  iss?: "correct" | "wrong" | "trailing-slash" | "omit";
  issSupported?: boolean;
  refreshTokens?: boolean;
  expiresIn?: number;
  /** The scope actually granted for a requested one (default: as requested). */
  grant?: (requested: string | undefined) => string | undefined;
  /** Serve the endpoints on the resource server's own listener (2025-03-26 style). */
  onResourceServer?: boolean;
}

interface RsConfig {
  /** How the PRM is advertised: in the challenge (default), path-inserted well-known only, root only, or not at all. */
  prm?: "header" | "path" | "root" | "none";
  prmResource?: (rsBase: string) => string;
  scopesSupported?: string[];
  /** The scope put in the 401 challenge. */
  challengeScope?: string;
  /** Scopes a method needs; a token without them gets 403 insufficient_scope naming them. */
  needs?: (method: string) => string[];
  /** Let initialize through without a token (the step-up scenarios). */
  openInitialize?: boolean;
  /** Which authorization server the PRM names (default: the first). */
  authorizationServer?: () => string;
  /** Accept only tokens issued by this AS (default: any of the world's). */
  trustedIssuer?: () => string;
}

interface Grant {
  scope?: string;
  resource?: string;
  clientId: string;
  issuer: string;
  revoked?: boolean;
}

/**
 * An MCP resource server and one or more authorization servers sharing a token table
 * (so the resource server can check what each AS issued). `seen` records every request.
 */
async function world(asConfig: AsConfig = {}, rsConfig: RsConfig = {}) {
  const seen: Seen[] = [];
  const tokens = new Map<string, Grant>();
  const refreshTokens = new Map<string, Grant>();
  let counter = 0;

  /** The request handling of one authorization server, at `base()` + its issuer path. */
  function authorizationServer(a: AsConfig, base: () => string) {
    const codes = new Map<string, Grant & { challenge: string; redirectUri: string }>();
    const clients = new Map<string, { secret?: string; method: string }>();
    const prefix = a.issuerPath ?? "";
    const issuer = () => `${base()}${prefix}`;
    const metadata = () => ({
      issuer: a.statedIssuer ?? issuer(),
      authorization_endpoint: `${issuer()}/authorize`,
      token_endpoint: `${issuer()}/token`,
      ...(a.registration !== false && { registration_endpoint: `${issuer()}/register` }),
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      ...(a.codeChallengeMethods !== null && { code_challenge_methods_supported: a.codeChallengeMethods ?? ["S256"] }),
      ...(a.issSupported !== undefined && { authorization_response_iss_parameter_supported: a.issSupported }),
      ...(a.scopesSupported && { scopes_supported: a.scopesSupported }),
      ...(a.cimd && { client_id_metadata_document_supported: true }),
      token_endpoint_auth_methods_supported: a.authMethods ?? ["none", "client_secret_basic", "client_secret_post"],
    });
    const metadataPath = {
      rfc8414: `/.well-known/oauth-authorization-server${prefix}`,
      oidc: `/.well-known/openid-configuration${prefix}`,
      "oidc-appended": `${prefix}/.well-known/openid-configuration`,
      none: undefined,
    }[a.metadataAt ?? "rfc8414"];

    const handle = (req: http.IncomingMessage, raw: string, res: http.ServerResponse): boolean => {
      const url = new URL(req.url!, base());
      const p = url.pathname;
      const record = (extra: Partial<Seen> = {}) => seen.push({ server: "as", method: req.method!, path: p, query: url.searchParams, headers: req.headers, ...extra });
      if (req.method === "GET" && p === metadataPath) {
        record();
        send(res, 200, metadata());
        return true;
      }
      if (req.method === "GET" && p === `${prefix}/authorize`) {
        record();
        const q = url.searchParams;
        const code = `code-${++counter}`;
        codes.set(code, {
          challenge: q.get("code_challenge") ?? "",
          redirectUri: q.get("redirect_uri") ?? "",
          scope: a.grant ? a.grant(q.get("scope") ?? undefined) : (q.get("scope") ?? undefined),
          resource: q.get("resource") ?? undefined,
          clientId: q.get("client_id") ?? "",
          issuer: issuer(),
        });
        const back = new URL(q.get("redirect_uri")!);
        back.searchParams.set("code", code);
        if (q.get("state")) back.searchParams.set("state", q.get("state")!);
        const iss = a.iss ?? "correct";
        if (iss === "correct") back.searchParams.set("iss", a.statedIssuer ?? issuer());
        else if (iss === "wrong") back.searchParams.set("iss", "https://evil.example");
        else if (iss === "trailing-slash") back.searchParams.set("iss", `${issuer()}/`);
        send(res, 302, undefined, { location: back.href });
        return true;
      }
      if (req.method === "POST" && p === `${prefix}/register`) {
        const body = JSON.parse(raw);
        record({ json: body });
        const id = `dcr-client-${++counter}`;
        const method = a.registeredAuthMethod ?? (a.registeredSecret ? "client_secret_basic" : "none");
        clients.set(id, { secret: a.registeredSecret, method });
        send(res, 201, { ...body, client_id: id, ...(a.registeredSecret && { client_secret: a.registeredSecret }), token_endpoint_auth_method: method });
        return true;
      }
      if (req.method === "POST" && p === `${prefix}/token`) {
        const form = new URLSearchParams(raw);
        record({ form });
        let clientId = form.get("client_id") ?? undefined;
        const basic = req.headers.authorization?.startsWith("Basic ") ? Buffer.from(req.headers.authorization.slice(6), "base64").toString() : undefined;
        if (basic) clientId = decodeURIComponent(basic.split(":")[0]!);
        const registered = clientId ? clients.get(clientId) : undefined;
        if (registered?.secret) {
          const given = basic ? decodeURIComponent(basic.split(":").slice(1).join(":")) : form.get("client_secret");
          if (given !== registered.secret) return send(res, 401, { error: "invalid_client" }), true;
        }
        const issue = (grant: Grant) => {
          const access = `at-${++counter}`;
          tokens.set(access, grant);
          const body: Record<string, unknown> = { access_token: access, token_type: "Bearer", expires_in: a.expiresIn ?? 3600 };
          if (grant.scope) body.scope = grant.scope;
          if (a.refreshTokens) {
            const rt = `rt-${++counter}`;
            refreshTokens.set(rt, grant);
            body.refresh_token = rt;
          }
          send(res, 200, body);
        };
        if (form.get("grant_type") === "authorization_code") {
          const c = codes.get(form.get("code") ?? "");
          if (!c) return send(res, 400, { error: "invalid_grant", error_description: "unknown code" }), true;
          codes.delete(form.get("code")!);
          if (s256(form.get("code_verifier") ?? "") !== c.challenge) return send(res, 400, { error: "invalid_grant", error_description: "PKCE verifier does not match" }), true;
          if (form.get("resource") !== c.resource) return send(res, 400, { error: "invalid_target" }), true;
          if (form.get("redirect_uri") !== c.redirectUri) return send(res, 400, { error: "invalid_grant", error_description: "redirect_uri" }), true;
          issue(c);
          return true;
        }
        if (form.get("grant_type") === "refresh_token") {
          const g = refreshTokens.get(form.get("refresh_token") ?? "");
          if (!g || g.issuer !== issuer()) return send(res, 400, { error: "invalid_grant" }), true;
          refreshTokens.delete(form.get("refresh_token")!);
          issue({ ...g, revoked: false, resource: form.get("resource") ?? g.resource });
          return true;
        }
        send(res, 400, { error: "unsupported_grant_type" });
        return true;
      }
      return false;
    };
    return { handle, issuer, clients };
  }

  async function startAs(a: AsConfig) {
    let server: Awaited<ReturnType<typeof listen>> | undefined;
    const as = authorizationServer(a, () => server!.base);
    server = await listen((req, raw, res) => {
      if (as.handle(req, raw, res)) return;
      seen.push({ server: "as", method: req.method!, path: new URL(req.url!, server!.base).pathname, query: new URLSearchParams(), headers: req.headers });
      send(res, 404, { error: "not_found" });
    });
    return { ...as, base: server.base, close: server.close };
  }

  // ---- resource server ----
  const r = rsConfig;
  const prmMode = r.prm ?? "header";
  const prmPath = prmMode === "root" ? "/.well-known/oauth-protected-resource" : "/.well-known/oauth-protected-resource/mcp";
  let rsBase = "";
  const onRs = asConfig.onResourceServer ? authorizationServer(asConfig, () => rsBase) : undefined;
  const servers: Array<{ issuer: () => string; clients: Map<string, { secret?: string; method: string }>; close?: () => Promise<void>; base?: string }> = [];
  const resource = () => r.prmResource?.(rsBase) ?? `${rsBase}/mcp`;
  const rs = await listen((req, raw, res) => {
    if (onRs?.handle(req, raw, res)) return;
    const url = new URL(req.url!, rsBase);
    const p = url.pathname;
    const body = raw ? JSON.parse(raw) : undefined;
    seen.push({ server: "rs", method: req.method!, path: p, query: url.searchParams, headers: req.headers, json: body });
    if (req.method === "GET" && prmMode !== "none" && p === prmPath) {
      return send(res, 200, {
        resource: resource(),
        authorization_servers: [r.authorizationServer?.() ?? servers[0]!.issuer()],
        ...(r.scopesSupported && { scopes_supported: r.scopesSupported }),
      });
    }
    if (p !== "/mcp") return send(res, 404, { error: "not_found" });
    if (req.method !== "POST") return send(res, 405);
    const method: string = body?.method ?? "";
    if (!(r.openInitialize && (method === "initialize" || method.startsWith("notifications/")))) {
      const auth = req.headers.authorization;
      const grant = auth?.startsWith("Bearer ") ? tokens.get(auth.slice(7)) : undefined;
      const challenge = [prmMode === "header" && `resource_metadata="${rsBase}${prmPath}"`, r.challengeScope && `scope="${r.challengeScope}"`, auth && 'error="invalid_token"'].filter(Boolean).join(", ");
      if (!grant || grant.revoked || grant.resource !== resource() || (r.trustedIssuer && grant.issuer !== r.trustedIssuer())) {
        return send(res, 401, { error: "invalid_token" }, { "www-authenticate": `Bearer ${challenge}`.trim() });
      }
      const needed = r.needs?.(method) ?? [];
      const held = (grant.scope ?? "").split(" ");
      if (!needed.every((s) => held.includes(s))) {
        return send(res, 403, { error: "insufficient_scope" }, { "www-authenticate": `Bearer error="insufficient_scope", scope="${needed.join(" ")}", resource_metadata="${rsBase}${prmPath}"` });
      }
    }
    if (method === "initialize") {
      return send(res, 200, { jsonrpc: "2.0", id: body.id, result: { protocolVersion: "2025-11-25", capabilities: { tools: {} }, serverInfo: { name: "rs", version: "1" } } });
    }
    if (method.startsWith("notifications/")) return send(res, 202);
    if (method === "tools/list") return send(res, 200, { jsonrpc: "2.0", id: body.id, result: { tools: [{ name: "echo", inputSchema: { type: "object" } }] } });
    if (method === "tools/call") return send(res, 200, { jsonrpc: "2.0", id: body.id, result: { content: [{ type: "text", text: "ok" }] } });
    send(res, 200, { jsonrpc: "2.0", id: body.id, error: { code: -32601, message: "Method not found" } });
  });
  rsBase = rs.base;
  servers.push(onRs ?? (await startAs(asConfig)));

  return {
    rs,
    mcpUrl: `${rs.base}/mcp`,
    /** The first authorization server's issuer and base URL. */
    issuer: () => servers[0]!.issuer(),
    asBase: () => servers[0]!.base ?? rs.base,
    clients: servers[0]!.clients,
    seen,
    tokens,
    /** Starts another authorization server sharing the token table. */
    addAuthorizationServer: async (a: AsConfig = {}) => {
      const s = await startAs(a);
      servers.push(s);
      return s;
    },
    /** Requests to an AS at `path` (suffix match), in order; `base` picks one AS. */
    at: (path: string, base?: string) => seen.filter((s) => s.server === "as" && s.path.endsWith(path) && (!base || String(s.headers.host) === new URL(base).host)),
    close: async () => {
      for (const s of servers) await s.close?.();
      await rs.close();
    },
  };
}

type World = Awaited<ReturnType<typeof world>>;
const worlds: World[] = [];
after(async () => {
  for (const w of worlds) await w.close();
});
async function setUp(asConfig?: AsConfig, rsConfig?: RsConfig): Promise<World> {
  const w = await world(asConfig, rsConfig);
  worlds.push(w);
  return w;
}

const REDIRECT = "http://127.0.0.1:9/callback";

function provider(options: OAuthClientOptions = {}, events?: string[]): OAuthClientProvider {
  return new OAuthClientProvider({ redirectUri: REDIRECT, clientMetadata: { client_name: "oauth-test" }, onEvent: (m) => events?.push(m), ...options });
}

async function connect(w: World, p: OAuthClientProvider): Promise<McpClient> {
  const client = new McpClient({ name: "oauth-test-client", version: "1.0.0" }, { timeoutMs: 10_000 });
  await client.connect(new StreamableHttpClientTransport(w.mcpUrl, { authProvider: p, openStandaloneStream: false, terminateOnClose: false }));
  return client;
}

/** Connect, list, call: the whole app; resolves with the error if any step fails. */
async function use(w: World, p: OAuthClientProvider): Promise<Error | undefined> {
  let client: McpClient | undefined;
  try {
    client = await connect(w, p);
    await client.listTools();
    await client.callTool("echo");
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    await client?.close();
  }
}

// ---------------------------------------------------------------- helpers on their own

describe("discovery helpers", () => {
  test("WWW-Authenticate: several challenges, quoted values with escapes and commas, token68", () => {
    const parsed = parseWwwAuthenticate('Basic realm="x", Bearer error="insufficient_scope", scope="a b:c", resource_metadata="https://h/.well-known/oauth-protected-resource/mcp?x=1,2", error_description="say \\"hi\\""');
    assert.deepEqual(parsed, [
      { scheme: "basic", params: { realm: "x" } },
      {
        scheme: "bearer",
        params: { error: "insufficient_scope", scope: "a b:c", resource_metadata: "https://h/.well-known/oauth-protected-resource/mcp?x=1,2", error_description: 'say "hi"' },
      },
    ]);
    assert.deepEqual(parseWwwAuthenticate("Negotiate abc123==, Bearer"), [
      { scheme: "negotiate", params: { "": "abc123==" } },
      { scheme: "bearer", params: {} },
    ]);
    assert.deepEqual(bearerChallenge("DPoP algs=ES256, bearer Scope=files:read"), { scope: "files:read" });
    assert.deepEqual(bearerChallenge(null), {});
  });

  test("protected resource metadata URLs: path-inserted, then root", () => {
    assert.deepEqual(protectedResourceMetadataUrls(new URL("https://h:8443/a/mcp/")).map(String), [
      "https://h:8443/.well-known/oauth-protected-resource/a/mcp",
      "https://h:8443/.well-known/oauth-protected-resource",
    ]);
    assert.deepEqual(protectedResourceMetadataUrls(new URL("https://h/")).map(String), ["https://h/.well-known/oauth-protected-resource"]);
  });

  test("authorization server metadata URLs: RFC 8414 path-inserted, OIDC path-inserted, OIDC path-appended; root variants without a path", () => {
    assert.deepEqual(authorizationServerMetadataUrls("https://as.example/tenant1").map(String), [
      "https://as.example/.well-known/oauth-authorization-server/tenant1",
      "https://as.example/.well-known/openid-configuration/tenant1",
      "https://as.example/tenant1/.well-known/openid-configuration",
    ]);
    assert.deepEqual(authorizationServerMetadataUrls("https://as.example").map(String), [
      "https://as.example/.well-known/oauth-authorization-server",
      "https://as.example/.well-known/openid-configuration",
    ]);
  });

  test("resource matching: same origin, and the resource's path is the server's or a parent of it", () => {
    const server = new URL("https://mcp.example/api/mcp");
    assert.ok(resourceMatches("https://mcp.example/api/mcp", server));
    assert.ok(resourceMatches("https://mcp.example/api", server));
    assert.ok(resourceMatches("https://mcp.example", server));
    assert.ok(resourceMatches("https://MCP.example/api/mcp/", server));
    assert.ok(!resourceMatches("https://mcp.example/ap", server), "not on a segment boundary");
    assert.ok(!resourceMatches("https://evil.example/api/mcp", server));
    assert.ok(!resourceMatches("http://mcp.example/api/mcp", server));
    assert.ok(!resourceMatches("https://mcp.example/other", server));
  });
});

// ---------------------------------------------------------------- the flow

describe("OAuthClientProvider: the authorization code flow", { timeout: 30_000 }, () => {
  test("401 → resource metadata from the challenge → AS metadata → DCR → authorize (PKCE S256, resource) → token (verifier checked) → the call goes through", async () => {
    const w = await setUp();
    const events: string[] = [];
    const p = provider({}, events);
    assert.equal(await use(w, p), undefined);

    const order = w.seen.map((s) => `${s.server} ${s.method} ${s.path}${s.json?.method ? ` ${s.json.method}` : ""}`);
    assert.deepEqual(order.slice(0, 7), [
      "rs POST /mcp initialize",
      "rs GET /.well-known/oauth-protected-resource/mcp",
      "as GET /.well-known/oauth-authorization-server",
      "as POST /register",
      "as GET /authorize",
      "as POST /token",
      "rs POST /mcp initialize",
    ]);
    const [authorize] = w.at("/authorize");
    const q = authorize!.query;
    assert.equal(q.get("response_type"), "code");
    assert.equal(q.get("code_challenge_method"), "S256");
    assert.match(q.get("code_challenge")!, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(q.get("resource"), w.mcpUrl);
    assert.equal(q.get("redirect_uri"), REDIRECT);
    assert.ok(q.get("state"));
    assert.equal(q.has("scope"), false, "no scope anywhere: the parameter is omitted");
    const [token] = w.at("/token");
    assert.equal(token!.form!.get("grant_type"), "authorization_code");
    assert.equal(s256(token!.form!.get("code_verifier")!), q.get("code_challenge"), "the verifier matches the challenge");
    assert.equal(token!.form!.get("resource"), w.mcpUrl);
    assert.equal(token!.form!.get("client_id"), q.get("client_id"), "a public client names itself");

    const [register] = w.at("/register");
    assert.deepEqual(register!.json.redirect_uris, [REDIRECT]);
    assert.deepEqual(register!.json.grant_types, ["authorization_code", "refresh_token"]);
    assert.equal(register!.json.application_type, "native", "a loopback redirect is a native app");
    assert.equal(register!.json.client_name, "oauth-test");
    assert.equal(register!.json.token_endpoint_auth_method, "none");

    // Every later MCP request carries the token; only one authorization happened.
    const mcp = w.seen.filter((s) => s.server === "rs" && s.path === "/mcp").slice(1);
    assert.ok(mcp.length >= 4);
    for (const s of mcp) assert.match(String(s.headers.authorization), /^Bearer at-\d+$/);
    assert.equal(w.at("/authorize").length, 1);
    assert.ok(events.some((e) => e.startsWith("protected resource metadata from")));
    assert.equal(p.context(w.mcpUrl)?.issuer, w.issuer());
  });

  test("a custom redirectToAuthorization gets the URL and returns the callback", async () => {
    const w = await setUp();
    const opened: URL[] = [];
    const p = provider({
      async redirectToAuthorization({ url, redirectUri, issuer }) {
        opened.push(url);
        assert.equal(redirectUri, REDIRECT);
        assert.equal(issuer, w.issuer());
        // What a browser would do: follow the AS's redirect and hand back where it lands.
        const res = await fetch(url, { redirect: "manual" });
        return res.headers.get("location")!;
      },
    });
    assert.equal(await use(w, p), undefined);
    assert.equal(opened.length, 1);
    assert.equal(opened[0]!.origin, w.asBase());
  });

  test("the headless default meets a login page: interaction_required, with advice", async () => {
    const page = await listen((_q, _r, res) => void res.writeHead(200, { "content-type": "text/html" }).end("<form>log in</form>"));
    try {
      await assert.rejects(
        followAuthorizationRedirect({ url: new URL(`${page.base}/authorize?x=1`), redirectUri: REDIRECT, issuer: page.base }),
        (e: unknown) => e instanceof OAuthError && e.code === "interaction_required" && /redirectToAuthorization/.test(e.message),
      );
    } finally {
      await page.close();
    }
  });
});

describe("discovery chains", { timeout: 30_000 }, () => {
  test("no resource_metadata in the challenge: the path-inserted well-known URL", async () => {
    const w = await setUp({}, { prm: "path" });
    assert.equal(await use(w, provider()), undefined);
    assert.deepEqual(
      w.seen.filter((s) => s.server === "rs" && s.method === "GET").map((s) => s.path),
      ["/.well-known/oauth-protected-resource/mcp"],
    );
  });

  test("only the root well-known URL has it: path-inserted (404) first, then root; the resource is sent as published", async () => {
    const w = await setUp({}, { prm: "root", prmResource: (base) => base });
    assert.equal(await use(w, provider()), undefined);
    assert.deepEqual(
      w.seen.filter((s) => s.server === "rs" && s.method === "GET").map((s) => s.path),
      ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"],
    );
    assert.equal(w.at("/authorize")[0]!.query.get("resource"), w.rs.base, "exactly the PRM's resource, no slash added");
    assert.equal(w.at("/token")[0]!.form!.get("resource"), w.rs.base);
  });

  for (const [where, expected] of [
    ["rfc8414", ["/.well-known/oauth-authorization-server/tenant1"]],
    ["oidc", ["/.well-known/oauth-authorization-server/tenant1", "/.well-known/openid-configuration/tenant1"]],
    ["oidc-appended", ["/.well-known/oauth-authorization-server/tenant1", "/.well-known/openid-configuration/tenant1", "/tenant1/.well-known/openid-configuration"]],
  ] as const) {
    test(`an issuer with a path, metadata at the ${where} URL: tried in the specified order, never the root`, async () => {
      const w = await setUp({ issuerPath: "/tenant1", metadataAt: where });
      assert.equal(await use(w, provider()), undefined);
      assert.deepEqual(
        w.seen.filter((s) => s.server === "as" && s.method === "GET" && s.path.includes(".well-known")).map((s) => s.path),
        expected,
      );
    });
  }

  test("an issuer without a path, OIDC configuration only: RFC 8414 (404), then OIDC", async () => {
    const w = await setUp({ metadataAt: "oidc" });
    assert.equal(await use(w, provider()), undefined);
    assert.deepEqual(
      w.seen.filter((s) => s.server === "as" && s.method === "GET" && s.path.includes(".well-known")).map((s) => s.path),
      ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"],
    );
  });

  test("2025-03-26: no resource metadata, no AS metadata: the default /authorize, /token, /register of the server's origin", async () => {
    const w = await setUp({ onResourceServer: true, metadataAt: "none" }, { prm: "none" });
    assert.equal(await use(w, provider()), undefined);
    const rsPaths = w.seen.filter((s) => s.method === "GET" || s.path !== "/mcp").map((s) => `${s.server === "as" ? "(endpoint) " : ""}${s.method} ${s.path}`);
    assert.deepEqual(rsPaths.slice(0, 7), [
      "GET /.well-known/oauth-protected-resource/mcp",
      "GET /.well-known/oauth-protected-resource",
      "GET /.well-known/oauth-authorization-server",
      "GET /.well-known/openid-configuration",
      "(endpoint) POST /register",
      "(endpoint) GET /authorize",
      "(endpoint) POST /token",
    ]);
  });
});

// ---------------------------------------------------------------- scope

describe("scope selection and step-up", { timeout: 30_000 }, () => {
  test("the challenge's scope first", async () => {
    const w = await setUp({}, { challengeScope: "files:read", scopesSupported: ["a", "b"] });
    assert.equal(await use(w, provider()), undefined);
    assert.equal(w.at("/authorize")[0]!.query.get("scope"), "files:read");
  });

  test("no scope in the challenge: every scope of scopes_supported", async () => {
    const w = await setUp({}, { scopesSupported: ["mcp:basic", "mcp:read", "mcp:write"] });
    assert.equal(await use(w, provider()), undefined);
    assert.equal(w.at("/authorize")[0]!.query.get("scope"), "mcp:basic mcp:read mcp:write");
  });

  test("offline_access is added only when the AS lists it", async () => {
    const w1 = await setUp({ scopesSupported: ["mcp:basic", "offline_access"] }, { scopesSupported: ["mcp:basic"] });
    assert.equal(await use(w1, provider()), undefined);
    assert.equal(w1.at("/authorize")[0]!.query.get("scope"), "mcp:basic offline_access");
    const w2 = await setUp({ scopesSupported: ["mcp:basic"] }, { scopesSupported: ["mcp:basic"] });
    assert.equal(await use(w2, provider()), undefined);
    assert.equal(w2.at("/authorize")[0]!.query.get("scope"), "mcp:basic");
    const w3 = await setUp({ scopesSupported: ["mcp:basic", "offline_access"] }, { scopesSupported: ["mcp:basic"] });
    assert.equal(await use(w3, provider({ offlineAccess: false })), undefined);
    assert.equal(w3.at("/authorize")[0]!.query.get("scope"), "mcp:basic");
  });

  test("step-up: 403 insufficient_scope on tools/call → a second authorization for the union of scopes → the call succeeds", async () => {
    const w = await setUp({}, { openInitialize: true, challengeScope: "mcp:basic", needs: (m) => ({ "tools/list": ["mcp:basic"], "tools/call": ["mcp:write"] })[m] ?? [] });
    const events: string[] = [];
    assert.equal(await use(w, provider({}, events)), undefined);
    const scopes = w.at("/authorize").map((s) => s.query.get("scope"));
    assert.deepEqual(scopes, ["mcp:basic", "mcp:basic mcp:write"]);
    assert.ok(events.some((e) => e.startsWith("step-up")));
  });

  test("retry limit: the AS never grants the scope a 403 names → one authorization, then the request fails", async () => {
    // The AS grants nothing; the server wants mcp:admin. After the first authorization the
    // 403 names the scope the token was asked for: authorizing again cannot help.
    const w = await setUp({ grant: () => undefined }, { openInitialize: true, challengeScope: "mcp:admin", needs: () => ["mcp:admin"] });
    const error = await use(w, provider());
    assert.match(String(error?.message), /HTTP 403/);
    assert.equal(w.at("/authorize").length, 1);
  });

  test("retry limit: a server that names a new scope on every 403 → at most two authorizations per request", async () => {
    let n = 0;
    const w = await setUp({}, { openInitialize: true, needs: (m) => (m === "tools/list" ? [`scope-${++n}`] : []) });
    const error = await use(w, provider());
    assert.match(String(error?.message), /HTTP 403/);
    assert.equal(w.at("/authorize").length, 2, "the 401 and one step-up; then the 403 stands");
  });

  test("retry limit across requests: the same step-up is never tried twice", async () => {
    const w = await setUp({ grant: (s) => s?.split(" ").filter((x) => x !== "mcp:write").join(" ") }, { openInitialize: true, challengeScope: "mcp:basic", needs: (m) => (m === "tools/call" ? ["mcp:write"] : ["mcp:basic"]) });
    const p = provider();
    const client = await connect(w, p);
    try {
      await client.listTools();
      await assert.rejects(client.callTool("echo"), /HTTP 403/);
      await assert.rejects(client.callTool("echo"), /HTTP 403/);
    } finally {
      await client.close();
    }
    assert.deepEqual(
      w.at("/authorize").map((s) => s.query.get("scope")),
      ["mcp:basic", "mcp:basic mcp:write"],
      "one step-up for mcp:write, not one per call",
    );
  });
});

// ---------------------------------------------------------------- refresh

describe("refresh tokens", { timeout: 30_000 }, () => {
  test("a revoked access token: 401 → refresh_token grant (with resource) → retried, no new authorization", async () => {
    const w = await setUp({ refreshTokens: true });
    const p = provider();
    const client = await connect(w, p);
    try {
      await client.listTools();
      for (const g of w.tokens.values()) g.revoked = true;
      await client.callTool("echo");
    } finally {
      await client.close();
    }
    const grants = w.at("/token").map((s) => s.form!.get("grant_type"));
    assert.deepEqual(grants, ["authorization_code", "refresh_token"]);
    assert.equal(w.at("/token")[1]!.form!.get("resource"), w.mcpUrl);
    assert.match(w.at("/token")[1]!.form!.get("refresh_token")!, /^rt-/);
    assert.equal(w.at("/authorize").length, 1);
  });

  test("an access token about to expire is refreshed before the request is sent", async () => {
    const w = await setUp({ refreshTokens: true, expiresIn: 60 });
    const p = provider({ refreshSkewMs: 120_000 }); // 60 s left is "about to expire"
    const client = await connect(w, p);
    try {
      const before = w.at("/token").length;
      await client.listTools();
      assert.ok(w.at("/token").length > before, "a refresh happened before tools/list");
      assert.equal(w.at("/token").at(-1)!.form!.get("grant_type"), "refresh_token");
    } finally {
      await client.close();
    }
    // tools/list went out once, with the refreshed token: no 401 round trip was needed.
    const lists = w.seen.filter((s) => s.server === "rs" && s.json?.method === "tools/list");
    assert.equal(lists.length, 1);
    assert.equal(lists[0]!.headers.authorization, `Bearer ${[...w.tokens.keys()].at(-1)}`);
  });

  test("a refresh the AS refuses falls back to a new authorization", async () => {
    const w = await setUp({ refreshTokens: true });
    const p = provider();
    const client = await connect(w, p);
    try {
      await client.listTools();
      for (const g of w.tokens.values()) g.revoked = true;
      const stored = await p.storage.getTokens(w.mcpUrl);
      await p.storage.setTokens(w.mcpUrl, { ...stored!, refresh_token: "rt-unknown" });
      await client.callTool("echo");
    } finally {
      await client.close();
    }
    assert.deepEqual(
      w.at("/token").map((s) => s.form!.get("grant_type")),
      ["authorization_code", "refresh_token", "authorization_code"],
    );
    assert.equal(w.at("/authorize").length, 2);
  });
});

// ---------------------------------------------------------------- registration

describe("client registration: pre-registered, CIMD, DCR", { timeout: 30_000 }, () => {
  test("pre-registered (with a secret): no registration; client_secret_basic at the token endpoint", async () => {
    const w = await setUp({ registration: false, authMethods: ["client_secret_basic"] });
    w.clients.set("pre-id", { secret: "pre secret/+", method: "client_secret_basic" });
    const p = provider({ clientInformation: { client_id: "pre-id", client_secret: "pre secret/+", issuer: w.issuer() } });
    assert.equal(await use(w, p), undefined);
    assert.equal(w.at("/register").length, 0);
    assert.equal(w.at("/authorize")[0]!.query.get("client_id"), "pre-id");
    const token = w.at("/token")[0]!;
    assert.match(String(token.headers.authorization), /^Basic /);
    assert.equal(token.form!.has("client_secret"), false);
  });

  test("CIMD: the AS accepts metadata documents → client_id is the document URL, no registration", async () => {
    const w = await setUp({ cimd: true });
    const url = "https://app.example/oauth/client.json";
    const p = provider({ clientMetadataUrl: url });
    assert.equal(await use(w, p), undefined);
    assert.equal(w.at("/register").length, 0);
    assert.equal(w.at("/authorize")[0]!.query.get("client_id"), url);
    assert.equal(w.at("/token")[0]!.form!.get("client_id"), url);
    const doc = p.clientMetadataDocument();
    assert.equal(doc.client_id, url);
    assert.deepEqual(doc.redirect_uris, [REDIRECT]);
    assert.equal(doc.token_endpoint_auth_method, "none");
    assert.equal(doc.client_name, "oauth-test");
  });

  test("CIMD URL given but the AS does not advertise support → dynamic registration", async () => {
    const w = await setUp({});
    assert.equal(await use(w, provider({ clientMetadataUrl: "https://app.example/client.json" })), undefined);
    assert.equal(w.at("/register").length, 1);
    assert.match(w.at("/authorize")[0]!.query.get("client_id")!, /^dcr-client-/);
  });

  test("a pre-registered client bound to another issuer is not shown to this one", async () => {
    const w = await setUp({});
    const p = provider({ clientInformation: { client_id: "other-as-client", client_secret: "s", issuer: "https://other-as.example" } });
    assert.equal(await use(w, p), undefined);
    assert.equal(w.at("/register").length, 1);
    assert.ok(w.seen.every((s) => s.query.get("client_id") !== "other-as-client" && s.form?.get("client_id") !== "other-as-client"));
  });

  test("no registration endpoint, no CIMD, nothing pre-registered → a clear error", async () => {
    const w = await setUp({ registration: false });
    const error = await use(w, provider());
    assert.match(String(error?.message), /offers no dynamic registration.*pass clientInformation/);
    assert.equal(w.at("/authorize").length, 0);
  });

  for (const [method, secret] of [
    ["client_secret_basic", "s3cret"],
    ["client_secret_post", "s3cret"],
    ["none", undefined],
  ] as const) {
    test(`token endpoint authentication as registered: ${method}`, async () => {
      const w = await setUp({ registeredSecret: secret, registeredAuthMethod: method, authMethods: [method] });
      assert.equal(await use(w, provider()), undefined);
      const token = w.at("/token")[0]!;
      const basic = String(token.headers.authorization ?? "");
      if (method === "client_secret_basic") {
        assert.match(basic, /^Basic /);
        assert.equal(Buffer.from(basic.slice(6), "base64").toString().split(":")[1], secret);
        assert.equal(token.form!.has("client_secret"), false);
      } else if (method === "client_secret_post") {
        assert.equal(basic, "");
        assert.equal(token.form!.get("client_secret"), secret);
        assert.ok(token.form!.get("client_id"));
      } else {
        assert.equal(basic, "");
        assert.equal(token.form!.has("client_secret"), false);
        assert.ok(token.form!.get("client_id"));
      }
    });
  }

  test("the registration is kept per issuer: a second authorization at the same AS does not register again", async () => {
    const w = await setUp({});
    const p = provider();
    assert.equal(await use(w, p), undefined);
    await p.signOut(w.mcpUrl);
    assert.equal(await use(w, p), undefined);
    assert.equal(w.at("/register").length, 1);
    assert.equal(w.at("/authorize").length, 2);
  });
});

// ---------------------------------------------------------------- storage

describe("token storage", { timeout: 30_000 }, () => {
  test("a shared MemoryTokenStorage: a second provider uses the stored token without authorizing", async () => {
    const w = await setUp({});
    const storage = new MemoryTokenStorage();
    assert.equal(await use(w, provider({ storage })), undefined);
    const stored = storage.getTokens(w.mcpUrl);
    assert.ok(stored);
    assert.equal(stored.issuer, w.issuer());
    assert.equal(stored.resource, w.mcpUrl);
    assert.ok(stored.expires_at! > Date.now());
    assert.ok(storage.getClient(w.issuer())?.client_id.startsWith("dcr-client-"));
    assert.equal(await use(w, provider({ storage })), undefined);
    assert.equal(w.at("/authorize").length, 1);
  });

  test("FileTokenStorage: a file only its owner can read, reloaded by a new instance", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpgen-oauth-"));
    try {
      const file = join(dir, "sub", "tokens.json");
      const w = await setUp({});
      assert.equal(await use(w, provider({ storage: new FileTokenStorage(file) })), undefined);
      const contents = JSON.parse(readFileSync(file, "utf8"));
      assert.ok(contents.tokens[w.mcpUrl].access_token);
      assert.ok(contents.clients[w.issuer()].client_id);
      if (process.platform !== "win32") assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(await use(w, provider({ storage: new FileTokenStorage(file) })), undefined);
      assert.equal(w.at("/authorize").length, 1, "the second run used the saved token");
      const again = new FileTokenStorage(file);
      await again.setTokens(w.mcpUrl, undefined);
      assert.equal(await again.getTokens(w.mcpUrl), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the resource moves to another AS: new discovery, new registration there, no credential of the old AS shown to it", async () => {
    let current = "";
    const w = await setUp({ refreshTokens: true }, { authorizationServer: () => current, trustedIssuer: () => current });
    current = w.issuer();
    const as2 = await w.addAuthorizationServer({ refreshTokens: true });
    const p = provider();
    const client = await connect(w, p);
    try {
      await client.listTools();
      const first = await p.storage.getTokens(w.mcpUrl);
      assert.equal(first?.issuer, w.issuer());
      current = as2.issuer(); // the PRM now names AS2, and only its tokens are accepted
      await client.callTool("echo");
      assert.equal((await p.storage.getTokens(w.mcpUrl))?.issuer, as2.issuer());
    } finally {
      await client.close();
    }
    const atAs2 = w.seen.filter((s) => s.server === "as" && s.headers.host === new URL(as2.base).host);
    assert.deepEqual(atAs2.map((s) => `${s.method} ${s.path}`), ["GET /.well-known/oauth-authorization-server", "POST /register", "GET /authorize", "POST /token"]);
    const as1Client = w.at("/authorize", w.asBase())[0]!.query.get("client_id");
    for (const s of atAs2) {
      assert.notEqual(s.query.get("client_id"), as1Client);
      assert.notEqual(s.form?.get("client_id"), as1Client);
      assert.equal(s.form?.get("grant_type") === "refresh_token", false, "AS1's refresh token never goes to AS2");
    }
    assert.ok(p.storage instanceof MemoryTokenStorage);
    assert.equal(p.storage.clients.size, 2, "one registration per issuer");
  });
});

// ---------------------------------------------------------------- refusals

describe("what the client refuses", { timeout: 30_000 }, () => {
  test("resource mismatch: the PRM is for another server → no authorization request", async () => {
    const w = await setUp({}, { prmResource: () => "https://evil.example/mcp" });
    const error = await use(w, provider());
    assert.match(String(error?.message), /protected resource metadata .* is for "https:\/\/evil\.example\/mcp"/);
    assert.equal(w.seen.filter((s) => s.server === "as").length, 0, "not even the AS metadata was fetched");
  });

  test("an AS whose metadata lacks S256 (or the whole list) is refused", async () => {
    for (const methods of [["plain"], null]) {
      const w = await setUp({ codeChallengeMethods: methods });
      const error = await use(w, provider());
      assert.match(String(error?.message), /does not list S256 in code_challenge_methods_supported/);
      assert.equal(w.at("/authorize").length + w.at("/register").length, 0);
    }
  });

  test("AS metadata stating another issuer is not used", async () => {
    const w = await setUp({ statedIssuer: "https://attacker.example" });
    const error = await use(w, provider());
    assert.match(String(error?.message), /names the issuer "https:\/\/attacker\.example"/);
    assert.equal(w.at("/register").length + w.at("/authorize").length + w.at("/token").length, 0);
  });

  for (const [iss, supported, ok] of [
    ["correct", true, true],
    ["omit", undefined, true],
    ["omit", true, false],
    ["wrong", true, false],
    ["wrong", undefined, false],
    ["trailing-slash", true, false],
  ] as const) {
    test(`RFC 9207: iss ${iss}, ${supported ? "advertised" : "not advertised"} → ${ok ? "token request" : "refused before the token request"}`, async () => {
      const w = await setUp({ iss, issSupported: supported });
      const error = await use(w, provider());
      assert.equal(w.at("/authorize").length, 1);
      if (ok) {
        assert.equal(error, undefined);
        assert.equal(w.at("/token").length, 1);
      } else {
        assert.match(String(error?.message), /iss|RFC 9207/);
        assert.equal(w.at("/token").length, 0, "the code was never sent");
      }
    });
  }

  test("state mismatch: the callback is ignored", async () => {
    const w = await setUp({});
    const p = provider({
      redirectToAuthorization: async ({ url }) => {
        const res = await fetch(url, { redirect: "manual" });
        const back = new URL(res.headers.get("location")!);
        back.searchParams.set("state", "forged");
        return back;
      },
    });
    const error = await use(w, p);
    assert.match(String(error?.message), /state/);
    assert.equal(w.at("/token").length, 0);
  });

  test("an error in the callback (access_denied) fails the request with it", async () => {
    const w = await setUp({});
    const p = provider({ redirectToAuthorization: () => `${REDIRECT}?error=access_denied&error_description=nope` });
    const error = await use(w, p);
    assert.match(String(error?.message), /access_denied \(nope\)/);
  });

  test("OAuthError carries the code", async () => {
    const w = await setUp({}, { prmResource: () => "https://evil.example/mcp" });
    const p = provider();
    await assert.rejects(
      p.handleChallenge({ url: new URL(w.mcpUrl), status: 401, wwwAuthenticate: `Bearer resource_metadata="${w.rs.base}/.well-known/oauth-protected-resource/mcp"` }),
      (e: unknown) => e instanceof OAuthError && e.code === "resource_mismatch",
    );
  });
});
