/**
 * Client fixes found by running the official conformance suite's client scenarios
 * (scripts/conformance/client.mjs) against the runtime client:
 *   - elicitation-sep1034-client-defaults: an accepted form gets the schema's defaults
 *     for every field it left out (SEP-1034), against our own McpServer over HTTP;
 *   - a GET stream the server refuses with a 4xx is not retried (the initialize and
 *     tools_call mocks answer GET with 400 / 404), against scripted node:http servers,
 *     while a 503 still is.
 * Every wait is for an event (a request, an error, a reply); no fixed sleeps.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type net from "node:net";
import { McpClient, McpServer, StreamableHttpClientTransport, type Context, type ElicitationRequest, type ElicitResult } from "../../runtime/src/index.js";
import { withElicitationDefaults } from "../../runtime/src/client/client.js";
import { serveHttp } from "../../runtime/src/entry/node-http.js";
import { Inbox } from "./helpers.js";

const clientInfo = { name: "conformance-fixes-test", version: "1.0.0" };

// ---------------------------------------------------------------- SEP-1034 defaults

/** The form of the conformance scenario: every field optional, every field with a default. */
const profileSchema = {
  type: "object",
  properties: {
    name: { type: "string", description: "User name", default: "John Doe" },
    age: { type: "integer", description: "User age", default: 30 },
    score: { type: "number", description: "User score", default: 95.5 },
    status: { type: "string", description: "User status", enum: ["active", "inactive", "pending"], default: "active" },
    verified: { type: "boolean", description: "Verification status", default: true },
    nickname: { type: "string", description: "No default: stays out unless given" },
  },
  required: [],
} as const;

/** A server whose `profile` tool elicits the form above and returns the answer it got, as JSON. */
async function profileServer() {
  const server = new McpServer({ name: "sep1034", version: "1.0.0" });
  server.tool({
    name: "profile",
    description: "Asks for a profile and echoes the answer",
    handler: async (_args, ctx: Context) => JSON.stringify(await ctx.elicitForm("Your profile, please", profileSchema as never)),
  });
  const running = await serveHttp(server, { port: 0 });
  return {
    url: running.url,
    async close() {
      await running.close();
      await server.close();
    },
  };
}

async function elicitOverHttp(answer: ElicitResult, options: { elicitationDefaults?: boolean } = {}) {
  const s = await profileServer();
  const seen: ElicitationRequest[] = [];
  const client = new McpClient(clientInfo, {
    onElicitation: (request) => {
      seen.push(request);
      return answer;
    },
    ...options,
  });
  try {
    await client.connect(new StreamableHttpClientTransport(s.url));
    const result = await client.callTool("profile");
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0]!.requestedSchema, profileSchema, "the handler sees the schema as the server sent it");
    return JSON.parse((result.content[0] as { text: string }).text) as ElicitResult;
  } finally {
    await client.close();
    await s.close();
  }
}

describe("elicitation: an accepted form gets the schema's defaults (SEP-1034)", { timeout: 30_000 }, () => {
  test("accepting with no content sends every default, over HTTP to our own server", async () => {
    const got = await elicitOverHttp({ action: "accept", content: {} });
    assert.deepEqual(got, { action: "accept", content: { name: "John Doe", age: 30, score: 95.5, status: "active", verified: true } });
  });

  test("what the person entered wins; only the fields left out are filled in", async () => {
    const got = await elicitOverHttp({ action: "accept", content: { name: "Ada", verified: false, age: 0, nickname: "ada" } });
    assert.deepEqual(got.content, { name: "Ada", verified: false, age: 0, nickname: "ada", score: 95.5, status: "active" });
  });

  test("accept without any content is filled in too", async () => {
    const got = await elicitOverHttp({ action: "accept" });
    assert.deepEqual(got.content, { name: "John Doe", age: 30, score: 95.5, status: "active", verified: true });
  });

  test("decline and cancel are sent as they are", async () => {
    assert.deepEqual(await elicitOverHttp({ action: "decline" }), { action: "decline" });
    assert.deepEqual(await elicitOverHttp({ action: "cancel" }), { action: "cancel" });
  });

  test("elicitationDefaults: false sends exactly what the handler returned", async () => {
    const got = await elicitOverHttp({ action: "accept", content: { nickname: "x" } }, { elicitationDefaults: false });
    assert.deepEqual(got, { action: "accept", content: { nickname: "x" } });
  });

  test("withElicitationDefaults: URL mode, odd schemas and content are left alone; the handler's object is not modified", () => {
    const content = { name: "Ada" };
    const accepted: ElicitResult = { action: "accept", content };
    const form: ElicitationRequest = { message: "m", requestedSchema: profileSchema as never };
    const filled = withElicitationDefaults(form, accepted);
    assert.deepEqual(filled.content, { name: "Ada", age: 30, score: 95.5, status: "active", verified: true });
    assert.deepEqual(content, { name: "Ada" }, "the handler's content is untouched");
    // An explicit "form" mode behaves like the default one.
    assert.deepEqual(withElicitationDefaults({ ...form, mode: "form" }, accepted), filled);
    // A field set to undefined counts as left out.
    assert.equal(withElicitationDefaults(form, { action: "accept", content: { age: undefined } }).content!.age, 30);
    // Nothing to fill in: the very same result.
    const url: ElicitationRequest = { mode: "url", message: "m", url: "https://example.com", elicitationId: "e1" };
    assert.equal(withElicitationDefaults(url, accepted), accepted);
    assert.equal(withElicitationDefaults({ message: "m" }, accepted), accepted);
    assert.equal(withElicitationDefaults({ message: "m", requestedSchema: { type: "object", properties: { a: { type: "string" } } } }, accepted), accepted);
    const odd = { action: "accept", content: ["not", "an", "object"] } as unknown as ElicitResult;
    assert.equal(withElicitationDefaults(form, odd), odd);
    // A falsy default is a default too.
    const zero: ElicitationRequest = { message: "m", requestedSchema: { type: "object", properties: { n: { type: "number", default: 0 }, b: { type: "boolean", default: false } } } };
    assert.deepEqual(withElicitationDefaults(zero, { action: "accept", content: {} }).content, { n: 0, b: false });
  });
});

// ---------------------------------------------------------------- refused GET streams

interface Req {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}
type Handler = (req: Req, res: http.ServerResponse) => void;

/** A node:http server on 127.0.0.1 that records every request and answers via `handler`. */
async function scripted(handler: Handler) {
  const requests = new Inbox<Req>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const r: Req = { method: req.method!, headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
    requests.push(r);
    handler(r, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (res: http.ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}) =>
  void res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
const initResult = { protocolVersion: "2025-11-25", capabilities: { tools: {} }, serverInfo: { name: "scripted", version: "0" } };

/**
 * initialize (with or without a session), notifications, and DELETE; GET answers
 * `getStatus`, with a JSON-RPC parse error as its body (what the initialize mock sends).
 */
function server(getStatus: () => number, rest: Handler = () => {}, session?: string): Handler {
  const sid: Record<string, string> = session ? { "mcp-session-id": session } : {};
  return (req, res) => {
    if (req.method === "POST" && req.body?.method === "initialize") return json(res, { jsonrpc: "2.0", id: req.body.id, result: initResult }, 200, sid);
    if (req.method === "POST" && req.body?.method?.startsWith("notifications/")) return void res.writeHead(202).end();
    if (req.method === "DELETE") return void res.writeHead(200).end();
    if (req.method === "GET") return json(res, { jsonrpc: "2.0", error: { code: -32700, message: "Parse error" } }, getStatus(), sid);
    rest(req, res);
  };
}

async function connect(url: string, errors: Inbox<Error>, maxRetries = 3) {
  const transport = new StreamableHttpClientTransport(url, { reconnect: { initialDelayMs: 1, maxRetries }, onerror: (e) => errors.push(e) });
  const client = new McpClient(clientInfo, { timeoutMs: 20_000 });
  await client.connect(transport);
  return client;
}

describe("a GET stream the server refuses is not retried", { timeout: 30_000 }, () => {
  for (const [status, session] of [
    [400, undefined],
    [404, undefined],
    [403, "sess-1"],
  ] as const) {
    test(`the standalone stream: GET answered ${status}${session ? " in a session" : " without a session"} → one GET, one error`, async () => {
      const s = await scripted(server(() => status, (req, res) => json(res, { jsonrpc: "2.0", id: req.body.id, result: {} }), session));
      const errors = new Inbox<Error>();
      try {
        const client = await connect(s.url, errors);
        const error = await errors.waitFor(() => true, "the stream's error");
        assert.equal(error.message, `Standalone SSE stream closed: GET answered HTTP ${status}`);
        // The client still works; the GET was never tried again.
        await client.ping();
        assert.equal(s.requests.filter((r) => r.method === "GET").length, 1);
        await client.close();
        assert.equal(errors.items.length, 1);
      } finally {
        await s.close();
      }
    });
  }

  test("resuming a request's stream: a refused GET fails the request at once", async () => {
    const s = await scripted(
      server(
        () => 403,
        (req, res) => {
          // The reply stream ends after a priming event: the client must resume it.
          res.writeHead(200, { "content-type": "text/event-stream", "mcp-session-id": "sess-1" });
          res.end(`id: p1\nretry: 1\ndata: \n\n`);
        },
        "sess-1",
      ),
    );
    const errors = new Inbox<Error>();
    try {
      const client = await connect(s.url, errors);
      await errors.waitFor(() => true, "the standalone stream's error");
      await assert.rejects(client.callTool("x"), (e: any) => e.code === -32000 && e.message === "lost the SSE stream before the response arrived: GET answered HTTP 403");
      const gets = s.requests.filter((r) => r.method === "GET");
      assert.deepEqual(gets.map((g) => g.headers["last-event-id"]), [undefined, "p1"], "the standalone GET, then one resumption");
      await client.close();
    } finally {
      await s.close();
    }
  });

  test("a 503 (or a 429) is still retried, up to maxRetries", async () => {
    const statuses = [503, 429, 503];
    let gets = 0;
    const s = await scripted(server(() => statuses[gets++] ?? 503));
    const errors = new Inbox<Error>();
    try {
      const client = await connect(s.url, errors, 2);
      const error = await errors.waitFor(() => true, "the stream's error");
      assert.equal(error.message, "Standalone SSE stream closed: GET answered HTTP 503; gave up after 2 reconnection attempt(s)");
      assert.equal(s.requests.filter((r) => r.method === "GET").length, 3, "the first GET and two retries");
      await client.close();
    } finally {
      await s.close();
    }
  });
});
