/**
 * The other ways to check a caller, over real HTTP on 127.0.0.1: RFC 7662 introspection
 * against the development authorization server (opaque and JWT tokens, caching, client
 * credentials from the environment), API keys from the environment, and a custom
 * verifier function. Plus the in-band refusal (-32003) on transports without an HTTP
 * status, and hiding on them.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AuthError, INSUFFICIENT_SCOPE, type AuthInfo, type Transport, type TransportSink, type JsonRpcMessage } from "../../runtime/src/index.js";
import { bearerHeader, initialize, openSession, post, scopedServer, sdkClient, serveWithAuth, startDevAuthServer, type DevAuthServer, type Served } from "./auth-helpers.js";

describe("auth: introspection (RFC 7662)", () => {
  let as: DevAuthServer;
  let served: Served;
  let url: string;
  const SECRET_ENV = "MCPGEN_TEST_INTROSPECTION_SECRET";

  before(async () => {
    as = await startDevAuthServer({ clients: [{ id: "dev-client", secret: "dev-secret" }, { id: "notes-rs", secret: "rs-secret" }] });
    process.env[SECRET_ENV] = "rs-secret";
    served = await serveWithAuth({
      verifier: "introspection",
      authorizationServers: [as.issuer],
      introspection: { endpoint: as.introspectionEndpoint, clientId: "notes-rs", clientSecretEnv: SECRET_ENV },
    });
    url = served.url;
  });
  after(async () => {
    await served?.close();
    await as?.close();
    delete process.env[SECRET_ENV];
  });

  test("an opaque token: the SDK client works, ctx.auth comes from the introspection answer, answers are cached", async () => {
    const token = await as.clientCredentials({ scope: "notes:read", resource: url, format: "opaque" });
    assert.doesNotMatch(token, /\./, "opaque, not a JWT");
    const before = as.hits.introspect;
    const client = await sdkClient(url, token);
    try {
      const auth = JSON.parse(((await client.callTool({ name: "whoami", arguments: {} })).content as { text: string }[])[0]!.text);
      assert.equal(auth.subject, "dev-client");
      assert.equal(auth.clientId, "dev-client");
      assert.deepEqual(auth.scopes, ["notes:read"]);
      assert.equal(auth.claims.active, true);
      assert.equal(auth.issuer, as.issuer);
      assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ["whoami", "read_notes"]);
      await assert.rejects(client.callTool({ name: "write_note", arguments: {} }), /notes:write/);
    } finally {
      await client.close();
    }
    // initialize, initialized, tools/call, tools/list, tools/call, DELETE: one introspection.
    assert.equal(as.hits.introspect - before, 1);
  });

  test("a JWT is introspected as well", async () => {
    const token = await as.clientCredentials({ scope: "notes:read notes:write", resource: url });
    const headers = await openSession(url, token);
    const r = await post(url, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "write_note", arguments: {} } }, headers);
    assert.equal(r.status, 200);
    assert.equal(r.body.result.content[0].text, "written");
  });

  test("unknown, expired or foreign tokens: 401 invalid_token", async () => {
    const unknown = await post(url, initialize(), bearerHeader("made-up-token"));
    assert.equal(unknown.status, 401);
    assert.equal(unknown.challenge!.error, "invalid_token");
    assert.match(unknown.challenge!.error_description!, /not active/);
    const expired = await post(url, initialize(), bearerHeader(await as.issue({ audience: url, expiresIn: -3600 })));
    assert.equal(expired.status, 401);
    const foreign = await post(url, initialize(), bearerHeader(await as.clientCredentials({ resource: "https://other.example/mcp", format: "opaque" })));
    assert.equal(foreign.status, 401);
    assert.match(foreign.challenge!.error_description!, /aud/);
    const noAudience = await post(url, initialize(), bearerHeader(await as.clientCredentials({ format: "opaque" })));
    assert.equal(noAudience.status, 401);
  });

  test("wrong introspection credentials: 503 and an error report, never a 401 that would send clients to log in again", async (t) => {
    const s = await serveWithAuth({
      verifier: "introspection",
      authorizationServers: [as.issuer],
      introspection: { endpoint: as.introspectionEndpoint, clientId: "notes-rs", clientSecret: "wrong" },
    });
    t.after(() => s.close());
    const r = await post(s.url, initialize(), bearerHeader(await as.clientCredentials({ resource: s.url, format: "opaque" })));
    assert.equal(r.status, 503);
    assert.ok(s.errors.some((e) => /introspection endpoint answered 401/.test(e.message)));
  });

  test("a missing secret environment variable is reported when the handler is built", async (t) => {
    const s = await serveWithAuth({
      verifier: "introspection",
      authorizationServers: [as.issuer],
      introspection: { endpoint: as.introspectionEndpoint, clientId: "notes-rs", clientSecretEnv: "MCPGEN_TEST_NOT_SET" },
    });
    t.after(() => s.close());
    // The report is asynchronous (prepare runs after construction): wait for the first request's answer.
    await post(s.url, initialize());
    assert.ok(s.errors.some((e) => /MCPGEN_TEST_NOT_SET/.test(e.message)), s.errors.join("\n"));
  });
});

describe("auth: API keys", () => {
  const ENV = "MCPGEN_TEST_API_KEYS";
  let served: Served;
  before(async () => {
    process.env[ENV] = " key-one , key-two,";
    served = await serveWithAuth({ verifier: "apiKey", apiKey: { env: ENV } });
  });
  after(async () => {
    await served?.close();
    delete process.env[ENV];
  });

  test("a key from the environment, in x-api-key or as a bearer token; it grants every scope", async () => {
    // sdkClient sends `Authorization: Bearer <its token>`; x-api-key, when present, wins.
    for (const [token, headers] of [["wrong", { "x-api-key": "key-one" }], ["wrong", { "x-api-key": "key-two" }], ["key-two", {}]] as const) {
      const client = await sdkClient(served.url, token, headers);
      try {
        assert.deepEqual((await client.listTools()).tools.map((t) => t.name).sort(), ["read_notes", "whoami", "wipe", "write_note"]);
        const auth = JSON.parse(((await client.callTool({ name: "whoami", arguments: {} })).content as { text: string }[])[0]!.text);
        assert.equal(auth.clientId, "api-key");
        assert.match(auth.subject, /^api-key:[12]$/);
        assert.equal(auth.token, undefined, "the key is not handed to handlers");
      } finally {
        await client.close();
      }
    }
  });

  test("a wrong or missing key: 401; no metadata without authorization servers", async () => {
    const wrong = await post(served.url, initialize(), { "x-api-key": "key-three" });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.challenge!.error, "invalid_token");
    assert.match(wrong.challenge!.error_description!, /API key is not valid/);
    assert.equal(wrong.challenge!.resource_metadata, undefined);
    const prefix = await post(served.url, initialize(), { "x-api-key": "key-on" });
    assert.equal(prefix.status, 401);
    const missing = await post(served.url, initialize());
    assert.equal(missing.status, 401);
    assert.match(missing.body.error.message, /x-api-key/);
    assert.equal((await fetch(`${served.origin}/.well-known/oauth-protected-resource/mcp`)).status, 404);
  });

  test("another header, and scopes a key grants", async (t) => {
    const s = await serveWithAuth({ verifier: "apiKey", apiKey: { header: "X-Notes-Key", keys: ["k1"], scopes: ["notes:read"] } });
    t.after(() => s.close());
    const headers = await openSessionWith(s.url, { "x-notes-key": "k1" });
    const list = await post(s.url, { jsonrpc: "2.0", id: 2, method: "tools/list" }, headers);
    assert.deepEqual(list.body.result.tools.map((x: { name: string }) => x.name), ["whoami", "read_notes"]);
    const denied = await post(s.url, { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "wipe", arguments: {} } }, headers);
    assert.equal(denied.status, 403);
    assert.equal(denied.challenge!.scope, "notes:admin");
    assert.equal((await post(s.url, initialize(), { "x-api-key": "k1" })).status, 401);
  });

  test("no key configured: reported at startup, every request refused", async (t) => {
    const s = await serveWithAuth({ verifier: "apiKey", apiKey: { env: "MCPGEN_TEST_UNSET_KEYS" } });
    t.after(() => s.close());
    assert.equal((await post(s.url, initialize(), { "x-api-key": "" })).status, 401);
    assert.equal((await post(s.url, initialize(), { "x-api-key": "anything" })).status, 401);
    assert.ok(s.errors.some((e) => /MCPGEN_TEST_UNSET_KEYS/.test(e.message)));
  });
});

describe("auth: a custom verifier", () => {
  let served: Served;
  const seen: { token: string; resource: string; audience: string[]; path: string }[] = [];
  before(async () => {
    served = await serveWithAuth({
      verifier: "custom",
      authorizationServers: ["https://login.example.com"],
      verifyToken: async (token, request, context) => {
        seen.push({ token, resource: context.resource, audience: context.audience, path: request.path });
        if (token === "alice") return { subject: "alice", scopes: ["notes:read"], tenant: "acme" };
        if (token === "blocked") throw new AuthError("insufficient_scope", "alice's account is suspended", ["notes:read"]);
        if (token === "crash") throw new Error("database down");
        return undefined;
      },
    });
  });
  after(() => served?.close());

  test("what it returns is ctx.auth; undefined is a 401; an AuthError picks the refusal; a crash is a 500", async () => {
    const client = await sdkClient(served.url, "alice");
    try {
      const auth = JSON.parse(((await client.callTool({ name: "whoami", arguments: {} })).content as { text: string }[])[0]!.text);
      assert.deepEqual(auth, { subject: "alice", scopes: ["notes:read"], tenant: "acme" });
    } finally {
      await client.close();
    }
    assert.equal(seen[0]!.token, "alice");
    assert.equal(seen[0]!.resource, served.url);
    assert.deepEqual(seen[0]!.audience, [served.url]);
    assert.equal(seen[0]!.path, "/mcp");

    const bad = await post(served.url, initialize(), bearerHeader("mallory"));
    assert.equal(bad.status, 401);
    assert.equal(bad.challenge!.error, "invalid_token");
    assert.equal(bad.challenge!.resource_metadata, `${served.origin}/.well-known/oauth-protected-resource/mcp`);
    const blocked = await post(served.url, initialize(), bearerHeader("blocked"));
    assert.equal(blocked.status, 403);
    assert.deepEqual([blocked.challenge!.error, blocked.challenge!.scope], ["insufficient_scope", "notes:read"]);
    const crash = await post(served.url, initialize(), bearerHeader("crash"));
    assert.equal(crash.status, 500);
    assert.doesNotMatch(JSON.stringify(crash.body), /database/);
    assert.ok(served.errors.some((e) => e.message === "database down"));
  });
});

describe("auth: transports without HTTP statuses", () => {
  /** A transport that delivers each message with the given identity (as an HTTP layer would), and collects replies by id. */
  class AuthedTransport implements Transport {
    private sink?: TransportSink;
    private readonly replies = new Map<unknown, any>();
    private readonly waiters = new Map<unknown, (m: any) => void>();
    constructor(private readonly auth: AuthInfo | undefined) {}
    start(sink: TransportSink): void {
      this.sink = sink;
    }
    send(m: JsonRpcMessage | JsonRpcMessage[]): void {
      for (const x of Array.isArray(m) ? m : [m]) {
        const id = (x as { id?: unknown }).id;
        this.replies.set(id, x);
        this.waiters.get(id)?.(x);
      }
    }
    async close(): Promise<void> {
      this.sink?.closed();
    }
    deliver(message: unknown): void {
      this.sink!.message(message, this.auth ? { authInfo: this.auth } : undefined);
    }
    reply(id: unknown): Promise<any> {
      return new Promise((resolve) => (this.replies.has(id) ? resolve(this.replies.get(id)) : this.waiters.set(id, resolve)));
    }
  }

  async function exchange(auth: AuthInfo | undefined, messages: unknown[]): Promise<any[]> {
    const server = scopedServer();
    const t = new AuthedTransport(auth);
    await server.connect(t);
    const out = [];
    t.deliver(initialize(0));
    await t.reply(0);
    t.deliver({ jsonrpc: "2.0", method: "notifications/initialized" });
    for (const [i, m] of messages.entries()) {
      t.deliver({ jsonrpc: "2.0", id: i + 1, ...(m as object) });
      out.push(await t.reply(i + 1));
    }
    await server.close();
    return out;
  }

  test("a caller with AuthInfo lacking an item's scopes gets -32003 insufficient_scope, and lists hide the item", async () => {
    const [list, call, read, prompt, ok] = await exchange({ scopes: ["notes:read"] }, [
      { method: "tools/list" },
      { method: "tools/call", params: { name: "write_note", arguments: {} } },
      { method: "resources/read", params: { uri: "notes://7" } },
      { method: "prompts/get", params: { name: "summarize" } },
      { method: "tools/call", params: { name: "read_notes", arguments: {} } },
    ]);
    assert.deepEqual(list.result.tools.map((x: { name: string }) => x.name), ["whoami", "read_notes"]);
    assert.equal(call.error.code, INSUFFICIENT_SCOPE);
    assert.equal(call.error.code, -32003);
    assert.deepEqual(call.error.data, { error: "insufficient_scope", scope: "notes:write" });
    assert.match(call.error.message, /write_note needs the scope notes:write/);
    assert.equal(read.result.contents[0].text, "note 7");
    assert.equal(prompt.result.messages[0].content.text, "summarize the notes");
    assert.equal(ok.result.content[0].text, "all the notes");
    const [denied] = await exchange({ scopes: [] }, [{ method: "resources/read", params: { uri: "notes://7" } }]);
    assert.equal(denied.error.code, -32003);
  });

  test("without AuthInfo (stdio: auth does not apply) nothing is hidden or refused", async () => {
    const [list, call] = await exchange(undefined, [{ method: "tools/list" }, { method: "tools/call", params: { name: "wipe", arguments: {} } }]);
    assert.equal(list.result.tools.length, 4);
    assert.equal(call.result.content[0].text, "wiped");
  });
});

/** initialize + initialized with extra headers; returns the headers for later requests. */
async function openSessionWith(url: string, headers: Record<string, string>): Promise<Record<string, string>> {
  const r = await post(url, initialize(), headers);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const h = { ...headers, "mcp-session-id": r.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-11-25" };
  await post(url, { jsonrpc: "2.0", method: "notifications/initialized" }, h);
  return h;
}
