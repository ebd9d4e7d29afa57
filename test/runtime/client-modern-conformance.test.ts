/**
 * Client fixes found by running the official conformance suite's 2026-07-28 client
 * scenarios (scripts/conformance/client.mjs, `--requirements 2026-07-28`) against the
 * runtime client with `protocolEra: "auto"`:
 *   - request-metadata: a -32022 answer to the server/discover probe that names the
 *     version just sent is retried once with it (not taken for "no 2026-07-28 here");
 *   - http-custom-headers: connectWithFallback's transport passes the listed tools'
 *     x-mcp-header declarations on, so Mcp-Param-* headers go out;
 *   - auth/* run in parallel (a loaded machine): the probe's timeout no longer counts the
 *     time the transport spends authorizing, so a slow sign-in does not turn a 2026-07-28
 *     server into a session-era one;
 *   - auth/scope-retry-limit: a probe refused with 401/403 that authorization could not get
 *     past fails the connect (with the status and the server's body) instead of falling
 *     back to an initialize the same credentials cannot pass either;
 *   - after "auto" fell back to initialize over HTTP, a cancelled request is still
 *     cancelled the session-era way (notifications/cancelled), not swallowed.
 * Against our own McpServer (serveHttp) and scripted node:http servers. Waits are for
 * events (a request arriving, a promise settling); the one deliberate delay is the
 * simulated sign-in, which has to outlast the probe's timeout.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type net from "node:net";
import { McpClient, McpError, McpServer, StreamableHttpClientTransport, connectWithFallback, type AuthProvider } from "../../runtime/src/index.js";
import { serveHttp } from "../../runtime/src/entry/node-http.js";
import { Inbox } from "./helpers.js";

const clientInfo = { name: "modern-conformance-test", version: "1.0.0" };
const MODERN = "2026-07-28";
const PV = "io.modelcontextprotocol/protocolVersion";

/** One POST (or other request) a scripted server received. */
interface Seen {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

type Answer = { status?: number; headers?: Record<string, string>; json?: unknown; text?: string };
type Reply = Answer | "hang";

/**
 * A node:http server whose every request is answered by `answer` (given what came in and
 * how many requests came before); "hang" keeps the response open until the client goes.
 * Requests land in `seen` as they arrive.
 */
async function scripted(answer: (req: Seen, index: number) => Reply) {
  const seen = new Inbox<Seen>();
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const entry: Seen = { method: req.method ?? "", headers: req.headers, body };
      const index = seen.items.length;
      seen.push(entry);
      const reply = answer(entry, index);
      if (reply === "hang") return;
      const headers = { ...(reply.json !== undefined ? { "content-type": "application/json" } : {}), ...reply.headers };
      res.writeHead(reply.status ?? 200, headers);
      res.end(reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? ""));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    posts: (method: string) => seen.filter((s) => s.method === "POST" && s.body?.method === method),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const ok = (id: unknown, result: Record<string, unknown>): Answer => ({ json: { jsonrpc: "2.0", id, result } });
const discoverResult = { supportedVersions: [MODERN], capabilities: { tools: {} }, resultType: "complete", ttlMs: 0, cacheScope: "private" };
const initializeResult = { protocolVersion: "2025-11-25", capabilities: { tools: {} }, serverInfo: { name: "legacy", version: "1" } };

/** A 2026-07-28 server's answer to the usual methods (tools/list: none). */
function modernAnswer(req: Seen): Reply {
  const b = req.body;
  if (req.method !== "POST") return { status: 405, headers: { allow: "POST" } };
  if (b.method === "server/discover") return ok(b.id, discoverResult);
  if (b.method === "tools/list") return ok(b.id, { tools: [], resultType: "complete", ttlMs: 0, cacheScope: "private" });
  if (b.id === undefined) return { status: 202 };
  return ok(b.id, { resultType: "complete" });
}

// ---------------------------------------------------------------- request-metadata

describe("the probe and -32022 (SEP-2575 version negotiation)", { timeout: 30_000 }, () => {
  const unsupported = (id: unknown, requested: unknown): Reply => ({
    status: 400,
    json: { jsonrpc: "2.0", id, error: { code: -32022, message: "Unsupported protocol version", data: { supported: [MODERN], requested } } },
  });

  test("a first refusal naming the version just sent is retried once with it, under a new id", async () => {
    const s = await scripted((req, i) => (i === 0 ? unsupported(req.body.id, req.headers["mcp-protocol-version"]) : modernAnswer(req)));
    const client = new McpClient(clientInfo, { protocolEra: "auto" });
    try {
      await client.connect(new StreamableHttpClientTransport(s.url));
      assert.equal(client.era, "modern");
      assert.equal(client.protocolVersion, MODERN);
      const probes = s.posts("server/discover");
      assert.equal(probes.length, 2, "one retry");
      for (const p of probes) {
        assert.equal(p.headers["mcp-protocol-version"], MODERN);
        assert.equal(p.body.params._meta[PV], MODERN);
      }
      assert.notEqual(probes[0]!.body.id, probes[1]!.body.id);
      await client.listTools();
      assert.equal(s.posts("initialize").length, 0);
    } finally {
      await client.close();
      await s.close();
    }
  });

  test("a server that keeps refusing: no loop; auto falls back to initialize, modern fails", async () => {
    const s = await scripted((req) => {
      if (req.method !== "POST") return { status: 405 };
      if (req.body.method === "initialize") return { ...ok(req.body.id, initializeResult), headers: { "mcp-session-id": "s1" } };
      if (req.body.id === undefined) return { status: 202 };
      return unsupported(req.body.id, MODERN);
    });
    try {
      const auto = new McpClient(clientInfo, { protocolEra: "auto" });
      await auto.connect(new StreamableHttpClientTransport(s.url));
      assert.equal(auto.era, "legacy");
      assert.equal(s.posts("server/discover").length, 2);
      assert.equal(s.posts("initialize").length, 1);
      await auto.close();

      const modern = new McpClient(clientInfo, { protocolEra: "modern" });
      await assert.rejects(modern.connect(new StreamableHttpClientTransport(s.url)), /does not speak protocol revision 2026-07-28/);
      assert.equal(s.posts("server/discover").length, 4);
      await modern.close();
    } finally {
      await s.close();
    }
  });
});

// ---------------------------------------------------------------- http-custom-headers

describe("connectWithFallback in the 2026-07-28 era", { timeout: 30_000 }, () => {
  test("x-mcp-header arguments go out as Mcp-Param-* headers (our server refuses the call without them)", async () => {
    const server = new McpServer({ name: "headers", version: "1.0.0" });
    const got: unknown[] = [];
    server.tool({
      name: "region",
      inputSchema: {
        type: "object",
        properties: { region: { type: "string", "x-mcp-header": "Region" }, note: { type: "string" } },
        required: ["region"],
      },
      handler: async (args: { region: string }) => {
        got.push(args.region);
        return `region=${args.region}`;
      },
    });
    const running = await serveHttp(server, { port: 0 });
    const client = new McpClient(clientInfo, { protocolEra: "auto" });
    try {
      const { kind } = await connectWithFallback(client, running.url);
      assert.equal(kind, "streamable-http");
      assert.equal(client.era, "modern");
      // Unlisted before: callTool lists the tools itself to learn the declarations.
      const result = await client.callTool("region", { region: "Zürich ", note: "n" });
      assert.equal(result.isError, undefined, JSON.stringify(result));
      assert.deepEqual(got, ["Zürich "], "the base64 form decoded to the argument");
    } finally {
      await client.close();
      await running.close();
      await server.close();
    }
  });
});

// ---------------------------------------------------------------- authorization and the probe

/** A provider that signs in with `signIn` on a challenge and then sends `Bearer ok`. */
function provider(signIn: (challenge: { status: number }) => Promise<boolean>): AuthProvider & { token?: string; challenges: number } {
  const p = {
    token: undefined as string | undefined,
    challenges: 0,
    authorizationHeader: () => (p.token ? `Bearer ${p.token}` : undefined),
    handleChallenge: async (challenge: { status: number }) => {
      p.challenges++;
      return signIn(challenge);
    },
  };
  return p;
}

/** A 2026-07-28 server that wants `Bearer ok` on every POST. */
const guarded = (req: Seen): Reply =>
  req.method === "POST" && req.headers.authorization !== "Bearer ok"
    ? { status: 401, headers: { "www-authenticate": 'Bearer resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource"' }, text: "" }
    : modernAnswer(req);

describe("the probe and authorization", { timeout: 30_000 }, () => {
  test("time spent signing in does not count toward probeTimeoutMs", async () => {
    const s = await scripted(guarded);
    const probeTimeoutMs = 500;
    const auth = provider(async () => {
      // A person signing in, for three times the probe's timeout.
      await new Promise((resolve) => setTimeout(resolve, 3 * probeTimeoutMs));
      auth.token = "ok";
      return true;
    });
    const transport = new StreamableHttpClientTransport(s.url, { authProvider: auth });
    const client = new McpClient(clientInfo, { protocolEra: "auto", probeTimeoutMs });
    try {
      await client.connect(transport);
      assert.equal(client.era, "modern", "the sign-in did not make the probe give up");
      assert.equal(auth.challenges, 1);
      // Well past the probe's own timeout (timers may fire a millisecond early, so not ">= 3×").
      assert.ok(transport.authorizationMs() > 2 * probeTimeoutMs, `authorizationMs ${transport.authorizationMs()}`);
      assert.equal(s.posts("initialize").length, 0);
    } finally {
      await client.close();
      await s.close();
    }
  });

  test("a server that does not answer the probe still times out, and auto falls back", async () => {
    const s = await scripted((req) => {
      if (req.method !== "POST") return { status: 405 };
      if (req.body.method === "server/discover") return "hang";
      if (req.body.method === "initialize") return { ...ok(req.body.id, initializeResult), headers: { "mcp-session-id": "s1" } };
      return req.body.id === undefined ? { status: 202 } : ok(req.body.id, { tools: [] });
    });
    const client = new McpClient(clientInfo, { protocolEra: "auto", probeTimeoutMs: 200 });
    try {
      await client.connect(new StreamableHttpClientTransport(s.url, { openStandaloneStream: false }));
      assert.equal(client.era, "legacy");
      assert.equal(s.posts("initialize").length, 1);
    } finally {
      await client.close();
      await s.close();
    }
  });

  test("a probe refused with 403 that authorization cannot get past fails the connect: no initialize", async () => {
    const body = JSON.stringify({ error: "insufficient_scope", error_description: "Scope upgrade will never succeed" });
    const s = await scripted((req) =>
      req.method === "POST"
        ? { status: 403, headers: { "www-authenticate": 'Bearer error="insufficient_scope", scope="admin"', "content-type": "application/json" }, text: body }
        : { status: 405 },
    );
    const auth = provider(async () => false); // already asked for that scope: declines
    const client = new McpClient(clientInfo, { protocolEra: "auto" });
    try {
      const error = await client.connect(new StreamableHttpClientTransport(s.url, { authProvider: auth })).then(
        () => assert.fail("connected"),
        (e: unknown) => e as McpError,
      );
      assert.ok(error instanceof McpError);
      assert.equal((error.data as { httpStatus?: number }).httpStatus, 403);
      assert.match(error.message, /HTTP 403.*Scope upgrade will never succeed/);
      assert.equal(auth.challenges, 1);
      assert.equal(s.posts("initialize").length, 0, "no initialize with the same credentials");
    } finally {
      await client.close();
      await s.close();
    }
  });

  test("an authorization flow that fails on the probe: the reason, with the 401, and no initialize", async () => {
    const s = await scripted(guarded);
    const auth = provider(async () => {
      throw new Error("the authorization server is down");
    });
    const client = new McpClient(clientInfo, { protocolEra: "auto" });
    try {
      const error = await client.connect(new StreamableHttpClientTransport(s.url, { authProvider: auth })).then(
        () => assert.fail("connected"),
        (e: unknown) => e as McpError,
      );
      assert.match(error.message, /authorization for .* failed \(after HTTP 401\): the authorization server is down/);
      assert.equal((error.data as { httpStatus?: number }).httpStatus, 401);
      assert.equal(s.posts("initialize").length, 0);
    } finally {
      await client.close();
      await s.close();
    }
  });
});

// ---------------------------------------------------------------- cancellation after falling back

describe("auto over HTTP against a session-era server", { timeout: 30_000 }, () => {
  test("a cancelled call is still cancelled with notifications/cancelled after the probe", async () => {
    const s = await scripted((req) => {
      if (req.method === "DELETE") return { status: 200 };
      if (req.method !== "POST") return { status: 405 };
      const b = req.body;
      // A session-era server: no server/discover before initialize.
      if (b.method === "server/discover") return { status: 400, json: { jsonrpc: "2.0", id: null, error: { code: -32000, message: "Bad Request: Server not initialized" } } };
      if (b.method === "initialize") return { ...ok(b.id, initializeResult), headers: { "mcp-session-id": "s1" } };
      if (b.method === "tools/call") return "hang";
      if (b.id === undefined) return { status: 202 };
      return ok(b.id, {});
    });
    const client = new McpClient(clientInfo, { protocolEra: "auto" });
    try {
      await client.connect(new StreamableHttpClientTransport(s.url, { openStandaloneStream: false }));
      assert.equal(client.era, "legacy");
      const controller = new AbortController();
      const call = client.callTool("slow", {}, { signal: controller.signal });
      const posted = await s.seen.waitFor((r) => r.body?.method === "tools/call", "the tools/call");
      controller.abort(new Error("the user gave up"));
      await assert.rejects(call, /the user gave up/);
      const cancelled = await s.seen.waitFor((r) => r.body?.method === "notifications/cancelled", "notifications/cancelled");
      assert.equal(cancelled.body.params.requestId, posted.body.id);
      assert.equal(cancelled.headers["mcp-session-id"], "s1");
    } finally {
      await client.close();
      await s.close();
    }
  });
});
