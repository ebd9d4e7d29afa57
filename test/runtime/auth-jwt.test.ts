/**
 * The HTTP endpoint as an OAuth 2.1 protected resource with JWT access tokens, end to
 * end over real HTTP on 127.0.0.1: real tokens signed by the development authorization
 * server of examples/auth (keys discovered through its RFC 8414 metadata), the official
 * SDK client, and raw fetch for every refusal's status and WWW-Authenticate challenge.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SignJWT } from "jose";
import { createHttpHandler } from "../../runtime/src/index.js";
import {
  bearerHeader,
  initialize,
  openSession,
  post,
  scopedServer,
  sdkClient,
  serveWithAuth,
  startDevAuthServer,
  type DevAuthServer,
  type Served,
} from "./auth-helpers.js";

const PRM = "/.well-known/oauth-protected-resource";
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("auth: protected resource metadata (RFC 9728)", () => {
  let as: DevAuthServer;
  let served: Served;
  before(async () => {
    as = await startDevAuthServer();
    served = await serveWithAuth({ authorizationServers: [as.issuer], scopes: ["mcp"] });
  });
  after(async () => {
    await served?.close();
    await as?.close();
  });

  test("is served at the path-inserted and at the root well-known URL, readable cross-origin from allowed origins", async () => {
    const expected = {
      resource: served.url,
      authorization_servers: [as.issuer],
      scopes_supported: ["mcp", "notes:read", "notes:write", "notes:admin"],
      bearer_methods_supported: ["header"],
      resource_name: "Scoped Notes",
    };
    for (const path of [`${PRM}/mcp`, PRM]) {
      // A browser client on a local origin (the Inspector's, say); the endpoint's Origin guard applies here too.
      const response = await fetch(served.origin + path, { headers: { origin: "http://localhost:6274" } });
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      assert.match(response.headers.get("content-type")!, /^application\/json/);
      assert.deepEqual(await response.json(), expected);
    }
    assert.equal((await fetch(served.origin + PRM, { headers: { origin: "https://inspector.example" } })).status, 403, "an origin the endpoint refuses");
    const preflight = await fetch(served.origin + PRM, { method: "OPTIONS", headers: { origin: "http://localhost:6274", "access-control-request-method": "GET" } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
    const wrongMethod = await fetch(served.origin + PRM, { method: "POST" });
    assert.equal(wrongMethod.status, 405);
    // Other well-known paths are not ours.
    assert.equal((await fetch(`${served.origin}${PRM}/other`)).status, 404);
  });

  test("the handler claims the well-known paths, so middleware routes them to it", () => {
    const handler = createHttpHandler(scopedServer(), { auth: { authorizationServers: [as.issuer] }, path: "/notes/mcp" });
    assert.ok(handler.serves("/notes/mcp"));
    assert.ok(handler.serves(`${PRM}/notes/mcp`));
    assert.ok(handler.serves(PRM));
    assert.ok(!handler.serves(`${PRM}/mcp`));
    assert.ok(!createHttpHandler(scopedServer(), { path: "/notes/mcp" }).serves(PRM));
  });

  test("a configured resource names the metadata URL and is served at its own path too", async (t) => {
    const s = await serveWithAuth({ authorizationServers: [as.issuer], resource: "https://notes.example.com/api/mcp" }, { allowedHosts: ["*"] });
    t.after(() => s.close());
    const r = await post(s.url, initialize());
    assert.equal(r.status, 401);
    assert.equal(r.challenge!.resource_metadata, `https://notes.example.com${PRM}/api/mcp`);
    for (const path of [`${PRM}/api/mcp`, `${PRM}/mcp`, PRM]) {
      const doc = (await (await fetch(s.origin + path)).json()) as { resource: string };
      assert.equal(doc.resource, "https://notes.example.com/api/mcp", path);
    }
  });

  test("behind a trusted proxy, the resource and resource_metadata use the forwarded host and scheme", async (t) => {
    const s = await serveWithAuth({ authorizationServers: [as.issuer] }, { trustProxy: true, allowedHosts: ["mcp.example.com"] });
    t.after(() => s.close());
    const forwarded = { "x-forwarded-host": "mcp.example.com", "x-forwarded-proto": "https" };
    const r = await post(s.url, initialize(), forwarded);
    assert.equal(r.status, 401);
    assert.equal(r.challenge!.resource_metadata, `https://mcp.example.com${PRM}/mcp`);
    const doc = (await (await fetch(`${s.origin}${PRM}/mcp`, { headers: forwarded })).json()) as { resource: string };
    assert.equal(doc.resource, "https://mcp.example.com/mcp");
    // The RFC 7239 header works too.
    const r2 = await post(s.url, initialize(), { forwarded: "for=10.0.0.1;host=mcp.example.com;proto=https" });
    assert.equal(r2.challenge!.resource_metadata, `https://mcp.example.com${PRM}/mcp`);
    // A token for the public URL is accepted; one for the internal address is not.
    const good = await as.clientCredentials({ scope: "notes:read", resource: "https://mcp.example.com/mcp" });
    assert.equal((await post(s.url, initialize(), { ...forwarded, ...bearerHeader(good) })).status, 200);
    const internal = await as.clientCredentials({ scope: "notes:read", resource: s.url });
    assert.equal((await post(s.url, initialize(), { ...forwarded, ...bearerHeader(internal) })).status, 401);
  });

  test("without trustProxy, forwarded headers are ignored", async () => {
    const r = await post(served.url, initialize(), { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" });
    assert.equal(r.status, 401);
    assert.equal(r.challenge!.resource_metadata, `${served.origin}${PRM}/mcp`);
  });
});

describe("auth: JWT access tokens", () => {
  let as: DevAuthServer;
  let served: Served;
  let url: string;
  let metadataUrl: string;
  const token = (o: Parameters<DevAuthServer["issue"]>[0] = {}) => as.issue({ scope: "mcp notes:read", audience: url, ...o });

  before(async () => {
    as = await startDevAuthServer();
    served = await serveWithAuth({ authorizationServers: [as.issuer], scopes: ["mcp"] });
    url = served.url;
    metadataUrl = `${served.origin}${PRM}/mcp`;
  });
  after(async () => {
    await served?.close();
    await as?.close();
  });

  /** Asserts a 401 invalid_token whose description matches. */
  async function refused(jwt: string, description: RegExp, status = 401): Promise<void> {
    const r = await post(url, initialize(), bearerHeader(jwt));
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal(r.challenge?.error, "invalid_token");
    assert.match(r.challenge!.error_description!, description);
    assert.equal(r.challenge!.resource_metadata, metadataUrl);
    assert.equal(r.challenge!.scope, "mcp");
    assert.equal(r.body.error.code, -32000);
    assert.match(r.body.error.message, /^Unauthorized: /);
  }

  test("no token: 401 with resource_metadata and the scopes every request needs, no error code", async () => {
    const r = await post(url, initialize());
    assert.equal(r.status, 401);
    assert.deepEqual(r.challenge, { scope: "mcp", resource_metadata: metadataUrl });
    assert.equal(r.headers.get("www-authenticate"), `Bearer scope="mcp", resource_metadata="${metadataUrl}"`);
    assert.equal(r.body.jsonrpc, "2.0");
    // Another scheme counts as no token.
    assert.deepEqual((await post(url, initialize(), { authorization: "Basic ZGV2OnNlY3JldA==" })).challenge, { scope: "mcp", resource_metadata: metadataUrl });
    // GET and DELETE are protected as well.
    for (const method of ["GET", "DELETE"]) {
      const response = await fetch(url, { method, headers: { accept: "text/event-stream", "mcp-session-id": "x" } });
      assert.equal(response.status, 401, method);
      assert.match(response.headers.get("www-authenticate")!, /^Bearer /);
    }
  });

  test("a valid token: the SDK client connects, and ctx.auth holds what the token says", async () => {
    const jwt = await as.clientCredentials({ scope: "mcp notes:read", resource: url });
    const client = await sdkClient(url, jwt);
    try {
      const r = await client.callTool({ name: "whoami", arguments: {} });
      const auth = JSON.parse((r.content as { text: string }[])[0]!.text);
      assert.equal(auth.token, jwt);
      assert.equal(auth.subject, "dev-client");
      assert.equal(auth.clientId, "dev-client");
      assert.deepEqual(auth.scopes, ["mcp", "notes:read"]);
      assert.equal(auth.issuer, as.issuer);
      assert.deepEqual(auth.audience, [url]);
      assert.equal(typeof auth.expiresAt, "number");
      assert.ok(auth.expiresAt > Date.now() / 1000);
      assert.equal(auth.claims.scope, "mcp notes:read");
      assert.equal(auth.claims.iss, as.issuer);
    } finally {
      await client.close();
    }
  });

  test("garbage and malformed tokens: 401 invalid_token", async () => {
    await refused("not-a-jwt", /well-formed JWT/);
    const r = await post(url, initialize(), { authorization: "Bearer two words" });
    assert.equal(r.status, 401);
    assert.equal(r.challenge!.error, "invalid_token");
    assert.match(r.challenge!.error_description!, /not a well-formed Bearer token/);
  });

  test("wrong audience: 401 (a token for another server is never accepted)", async () => {
    await refused(await token({ audience: "http://127.0.0.1:1/mcp" }), /not issued for this server \(aud\)/);
    await refused(await token({ audience: undefined }), /aud/);
    // Through the token endpoint, with another resource indicator.
    await refused(await as.clientCredentials({ scope: "mcp", resource: "https://other.example/mcp" }), /aud/);
    // An audience list naming this server among others is fine.
    assert.equal((await post(url, initialize(), bearerHeader(await token({ audience: ["https://other.example", url] })))).status, 200);
  });

  test("wrong issuer: 401, and no key is fetched for it", async () => {
    const jwks = as.hits.jwks;
    await refused(await token({ issuer: "https://evil.example" }), /issuer 'https:\/\/evil.example' is not accepted/);
    assert.equal(as.hits.jwks, jwks);
  });

  test("expired: 401; within the 60 s clock skew: accepted", async () => {
    await refused(await token({ expiresIn: -3600 }), /expired/);
    assert.equal((await post(url, initialize(), bearerHeader(await token({ expiresIn: -30 })))).status, 200);
  });

  test("not yet valid (nbf): 401; within the skew: accepted", async () => {
    await refused(await token({ notBefore: 3600 }), /not valid yet/);
    assert.equal((await post(url, initialize(), bearerHeader(await token({ notBefore: 30 })))).status, 200);
  });

  test("bad signature: 401", async () => {
    const [h, , s] = (await token()).split(".");
    const forged = `${h}.${b64url({ iss: as.issuer, aud: url, sub: "admin", scope: "mcp notes:read notes:write notes:admin", exp: Math.floor(Date.now() / 1000) + 600 })}.${s}`;
    await refused(forged, /signature is not valid/);
    // Signed by a key the issuer does not publish, under the issuer's own kid.
    const jwks = (await (await fetch(as.jwksUri)).json()) as { keys: { kid: string }[] };
    await refused(await token({ foreignKey: true, kid: jwks.keys[0]!.kid }), /signature is not valid/);
  });

  test("alg none and HS256: 401, never accepted", async () => {
    const claims = { iss: as.issuer, aud: url, sub: "dev-client", scope: "mcp", exp: Math.floor(Date.now() / 1000) + 600 };
    await refused(`${b64url({ alg: "none", typ: "JWT" })}.${b64url(claims)}.`, /algorithm 'none' is not accepted/);
    // HS256 "signed" with the issuer's public key material as the secret (algorithm confusion).
    const jwks = (await (await fetch(as.jwksUri)).json()) as { keys: { n: string; kid: string }[] };
    const confused = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: jwks.keys[0]!.kid }).sign(new TextEncoder().encode(jwks.keys[0]!.n));
    await refused(confused, /algorithm 'HS256' is not accepted/);
  });

  test("unknown kid: 401", async () => {
    await refused(await token({ foreignKey: true, kid: "not-published" }), /key the issuer does not publish/);
  });

  test("token in the query string: 400 invalid_request, even beside a valid header", async () => {
    const valid = await token();
    for (const headers of [{}, bearerHeader(valid)]) {
      const r = await post(`${url}?access_token=${valid}`, initialize(), headers);
      assert.equal(r.status, 400);
      assert.equal(r.challenge!.error, "invalid_request");
      assert.match(r.challenge!.error_description!, /query string/);
    }
  });

  test("a token without the server's scopes: 403 insufficient_scope naming them", async () => {
    const r = await post(url, initialize(), bearerHeader(await token({ scope: "notes:read" })));
    assert.equal(r.status, 403);
    assert.deepEqual(r.challenge, {
      error: "insufficient_scope",
      error_description: "this server needs more scopes than the token has",
      scope: "mcp",
      resource_metadata: metadataUrl,
    });
    assert.equal(r.body.error.code, -32003);
  });

  test("scope as an array claim (scp, as Entra ID and Okta send) counts too", async () => {
    const jwt = await token({ scope: undefined, claims: { scp: ["mcp", "notes:read"] } });
    const client = await sdkClient(url, jwt);
    try {
      const auth = JSON.parse(((await client.callTool({ name: "whoami", arguments: {} })).content as { text: string }[])[0]!.text);
      assert.deepEqual(auth.scopes, ["mcp", "notes:read"]);
    } finally {
      await client.close();
    }
  });

  test("a session belongs to whoever opened it: another valid caller gets 404", async () => {
    const alice = await token({ subject: "alice" });
    const bob = await token({ subject: "bob" });
    const headers = await openSession(url, alice);
    const list = { jsonrpc: "2.0", id: 2, method: "tools/list" };
    assert.equal((await post(url, list, headers)).status, 200);
    const stolen = await post(url, list, { ...headers, ...bearerHeader(bob) });
    assert.equal(stolen.status, 404);
    // Alice with a fresh token (same subject) keeps her session.
    assert.equal((await post(url, list, { ...headers, ...bearerHeader(await token({ subject: "alice" })) })).status, 200);
  });

  test("an expired token mid-session: 401, then the session goes on with a new token", async () => {
    const headers = await openSession(url, await token({ subject: "carol" }));
    const expired = await token({ subject: "carol", expiresIn: -3600 });
    const r = await post(url, { jsonrpc: "2.0", id: 3, method: "tools/list" }, { ...headers, ...bearerHeader(expired) });
    assert.equal(r.status, 401);
    assert.equal(r.challenge!.error, "invalid_token");
    assert.equal((await post(url, { jsonrpc: "2.0", id: 4, method: "tools/list" }, { ...headers, ...bearerHeader(await token({ subject: "carol" })) })).status, 200);
  });
});

describe("auth: per-item scopes", () => {
  let as: DevAuthServer;
  let served: Served;
  let url: string;
  before(async () => {
    as = await startDevAuthServer();
    served = await serveWithAuth({ authorizationServers: [as.issuer], scopes: ["mcp"] });
    url = served.url;
  });
  after(async () => {
    await served?.close();
    await as?.close();
  });

  test("lists hide what the caller may not use", async () => {
    const basic = await sdkClient(url, await as.issue({ scope: "mcp", audience: url }));
    const reader = await sdkClient(url, await as.issue({ scope: "mcp notes:read", audience: url }));
    const all = await sdkClient(url, await as.issue({ scope: "mcp notes:read notes:write notes:admin", audience: url }));
    try {
      const names = async (c: typeof basic) => ({
        tools: (await c.listTools()).tools.map((t) => t.name),
        resources: (await c.listResources()).resources.map((r) => r.uri),
        templates: (await c.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate),
        prompts: (await c.listPrompts()).prompts.map((p) => p.name),
      });
      assert.deepEqual(await names(basic), { tools: ["whoami"], resources: ["info://public"], templates: [], prompts: ["hello"] });
      assert.deepEqual(await names(reader), {
        tools: ["whoami", "read_notes"],
        resources: ["info://public", "notes://all"],
        templates: ["notes://{id}"],
        prompts: ["hello", "summarize"],
      });
      assert.deepEqual((await names(all)).tools, ["whoami", "read_notes", "write_note", "wipe"]);
    } finally {
      await Promise.all([basic.close(), reader.close(), all.close()]);
    }
  });

  test("using an item without its scopes: 403 step-up naming everything the call needs", async () => {
    const headers = await openSession(url, await as.issue({ scope: "mcp notes:read", audience: url }));
    const cases: [unknown, string][] = [
      [{ method: "tools/call", params: { name: "write_note", arguments: {} } }, "mcp notes:write"],
      [{ method: "tools/call", params: { name: "wipe", arguments: {} } }, "mcp notes:admin"],
    ];
    for (const [m, scope] of cases) {
      const r = await post(url, { jsonrpc: "2.0", id: 5, ...(m as object) }, headers);
      assert.equal(r.status, 403);
      assert.equal(r.challenge!.error, "insufficient_scope");
      assert.equal(r.challenge!.scope, scope);
      assert.equal(r.challenge!.resource_metadata, `${served.origin}${PRM}/mcp`);
      assert.equal(r.body.error.code, -32003);
      assert.deepEqual(r.body.error.data, { error: "insufficient_scope", scope });
    }
    const basic = await openSession(url, await as.issue({ scope: "mcp", audience: url }));
    for (const m of [
      { method: "resources/read", params: { uri: "notes://all" } },
      { method: "resources/read", params: { uri: "notes://42" } },
      { method: "prompts/get", params: { name: "summarize" } },
      { method: "tools/call", params: { name: "read_notes", arguments: {} } },
    ]) {
      const r = await post(url, { jsonrpc: "2.0", id: 6, ...m }, basic);
      assert.equal(r.status, 403, JSON.stringify(m));
      assert.equal(r.challenge!.scope, "mcp notes:read");
    }
    // Items without scopes, and unknown ones (answered by the server as usual), pass.
    const ok = await post(url, { jsonrpc: "2.0", id: 7, method: "resources/read", params: { uri: "info://public" } }, basic);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.result.contents[0].text, "public info");
    const unknown = await post(url, { jsonrpc: "2.0", id: 8, method: "tools/call", params: { name: "nope", arguments: {} } }, basic);
    assert.equal(unknown.status, 200);
    assert.equal(unknown.body.error.code, -32602);
  });

  test("after stepping up (a new token with the scope), the call succeeds in the same session", async () => {
    const headers = await openSession(url, await as.issue({ subject: "dave", scope: "mcp", audience: url }));
    const call = { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "write_note", arguments: {} } };
    const denied = await post(url, call, headers);
    assert.equal(denied.status, 403);
    const stepped = await as.issue({ subject: "dave", scope: denied.challenge!.scope, audience: url });
    const r = await post(url, call, { ...headers, ...bearerHeader(stepped) });
    assert.equal(r.status, 200);
    assert.equal(r.body.result.content[0].text, "written");
  });

  test("the SDK client sees the 403 as an error", async () => {
    const client = await sdkClient(url, await as.issue({ scope: "mcp", audience: url }));
    try {
      await assert.rejects(client.callTool({ name: "wipe", arguments: {} }), /insufficient_scope|403|notes:admin/);
      await assert.rejects(client.readResource({ uri: "notes://all" }), /insufficient_scope|403|notes:read/);
      await assert.rejects(client.getPrompt({ name: "summarize" }), /insufficient_scope|403|notes:read/);
    } finally {
      await client.close();
    }
  });

  test("hideUnauthorized: false lists everything; calls are still refused", async (t) => {
    const server = scopedServer({ auth: { authorizationServers: [as.issuer], hideUnauthorized: false } });
    // No auth option on the handler: the server's own auth applies.
    const s = await serveWithAuth(undefined, {}, server);
    t.after(() => s.close());
    const jwt = await as.issue({ scope: "", audience: s.url });
    const client = await sdkClient(s.url, jwt);
    try {
      assert.deepEqual((await client.listTools()).tools.map((x) => x.name), ["whoami", "read_notes", "write_note", "wipe"]);
      await assert.rejects(client.callTool({ name: "wipe", arguments: {} }), /notes:admin/);
    } finally {
      await client.close();
    }
    assert.equal((await post(s.url, initialize())).status, 401);
  });

  test("stateless mode checks every request", async (t) => {
    const s = await serveWithAuth({ authorizationServers: [as.issuer] }, { sessions: false, json: true });
    t.after(() => s.close());
    const headers = { ...bearerHeader(await as.issue({ scope: "notes:read", audience: s.url })), "mcp-protocol-version": "2025-11-25" };
    const list = await post(s.url, { jsonrpc: "2.0", id: 1, method: "tools/list" }, headers);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.result.tools.map((x: { name: string }) => x.name), ["whoami", "read_notes"]);
    const r = await post(s.url, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "write_note", arguments: {} } }, headers);
    assert.equal(r.status, 403);
    assert.equal(r.challenge!.scope, "notes:write");
    assert.equal((await post(s.url, { jsonrpc: "2.0", id: 3, method: "tools/list" }, { "mcp-protocol-version": "2025-11-25" })).status, 401);
  });
});

describe("auth: keys and discovery", () => {
  test("key rotation: a token under a new kid refetches the JWKS once; known keys are cached", async (t) => {
    const as = await startDevAuthServer({ alg: "ES256" });
    const s = await serveWithAuth({ authorizationServers: [as.issuer], algorithms: ["ES256"], jwksCooldownMs: 0 });
    t.after(async () => {
      await s.close();
      await as.close();
    });
    for (let i = 0; i < 3; i++) assert.equal((await post(s.url, initialize(), bearerHeader(await as.issue({ audience: s.url })))).status, 200);
    assert.equal(as.hits.metadata, 1);
    assert.equal(as.hits.jwks, 1);
    await as.rotate();
    assert.equal((await post(s.url, initialize(), bearerHeader(await as.issue({ audience: s.url })))).status, 200);
    assert.equal(as.hits.jwks, 2);
    assert.equal(as.hits.metadata, 1);
  });

  test("only the listed algorithms: an RS256 token against algorithms [ES256] is refused", async (t) => {
    const as = await startDevAuthServer();
    const s = await serveWithAuth({ authorizationServers: [as.issuer], algorithms: ["ES256"] });
    t.after(async () => {
      await s.close();
      await as.close();
    });
    const r = await post(s.url, initialize(), bearerHeader(await as.issue({ audience: s.url })));
    assert.equal(r.status, 401);
    assert.match(r.challenge!.error_description!, /algorithm 'RS256' is not accepted/);
  });

  test("OpenID Connect discovery for an issuer with a path, EdDSA keys", async (t) => {
    const as = await startDevAuthServer({ discovery: "oidc", issuerPath: "/realms/dev", alg: "EdDSA" });
    const s = await serveWithAuth({ authorizationServers: [as.issuer] });
    t.after(async () => {
      await s.close();
      await as.close();
    });
    assert.match(as.issuer, /\/realms\/dev$/);
    const client = await sdkClient(s.url, await as.clientCredentials({ resource: s.url }));
    try {
      assert.deepEqual((await client.listTools()).tools.map((x) => x.name), ["whoami"]);
    } finally {
      await client.close();
    }
  });

  test("an explicit jwksUri skips discovery", async (t) => {
    const as = await startDevAuthServer();
    const s = await serveWithAuth({ authorizationServers: [as.issuer], jwksUri: as.jwksUri });
    t.after(async () => {
      await s.close();
      await as.close();
    });
    assert.equal((await post(s.url, initialize(), bearerHeader(await as.issue({ audience: s.url })))).status, 200);
    assert.equal(as.hits.metadata, 0);
  });

  test("an audience other than the resource (an API identifier)", async (t) => {
    const as = await startDevAuthServer();
    const s = await serveWithAuth({ authorizationServers: [as.issuer], audience: "api://notes" });
    t.after(async () => {
      await s.close();
      await as.close();
    });
    assert.equal((await post(s.url, initialize(), bearerHeader(await as.issue({ audience: "api://notes" })))).status, 200);
    assert.equal((await post(s.url, initialize(), bearerHeader(await as.issue({ audience: s.url })))).status, 401);
  });

  test("a shared secret (HS256) for tokens your own service signs; exp is required", async (t) => {
    const secret = "a-long-shared-secret-for-tests-only-0123456789";
    const s = await serveWithAuth({ verifier: "jwt", secret, authorizationServers: ["https://issuer.internal"] });
    t.after(() => s.close());
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ iss: "https://issuer.internal", aud: s.url, sub: "svc", ...claims }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(secret));
    const exp = Math.floor(Date.now() / 1000) + 600;
    assert.equal((await post(s.url, initialize(), bearerHeader(await sign({ exp })))).status, 200);
    const noExp = await post(s.url, initialize(), bearerHeader(await sign({})));
    assert.equal(noExp.status, 401);
    assert.match(noExp.challenge!.error_description!, /exp/);
  });

  test("HS algorithms without a secret are a configuration error", async () => {
    await assert.rejects(serveWithAuth({ authorizationServers: ["https://a.example"], algorithms: ["HS256"] }), /need a shared secret/);
  });

  test("an unreachable issuer: 503 with Retry-After, reported through onerror (not a 401)", async (t) => {
    const dead = await startDevAuthServer();
    const issuer = dead.issuer;
    await dead.close();
    const s = await serveWithAuth({ authorizationServers: [issuer] });
    t.after(() => s.close());
    const jwt = await (await startDevAuthServerFor(t)).issue({ issuer, audience: s.url });
    const r = await post(s.url, initialize(), bearerHeader(jwt));
    assert.equal(r.status, 503);
    assert.equal(r.headers.get("retry-after"), "5");
    assert.equal(r.headers.get("www-authenticate"), null);
    assert.ok(s.errors.some((e) => /auth: could not fetch/.test(e.message)), s.errors.map((e) => e.message).join("\n"));
  });
});

/** A dev authorization server closed when the test ends. */
async function startDevAuthServerFor(t: { after(fn: () => Promise<void>): void }): Promise<DevAuthServer> {
  const as = await startDevAuthServer();
  t.after(() => as.close());
  return as;
}
