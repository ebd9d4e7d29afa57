/**
 * Middleware, raw handlers and the lifespan, in memory with our own client.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ErrorCode,
  McpClient,
  McpError,
  McpServer,
  Peer,
  createMemoryTransportPair,
  type Middleware,
} from "../../runtime/src/index.js";

async function connect<App>(server: McpServer<App>, client = new McpClient({ name: "test", version: "1" })) {
  const [a, b] = createMemoryTransportPair();
  const session = await server.connect(a);
  await client.connect(b);
  return { client, session };
}

const echoTool = (server: McpServer<any>) =>
  server.tool<{ text: string }>({
    name: "echo",
    inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
    handler: ({ text }) => text,
  });

describe("middleware", () => {
  test("runs around every request in the order added, with the request's context", async () => {
    const server = new McpServer({ name: "mw", version: "1" });
    echoTool(server);
    const trace: string[] = [];
    const named =
      (name: string): Middleware =>
      async (req, next) => {
        trace.push(`${name}> ${req.method} #${String(req.ctx.requestId)}`);
        const result = await next();
        trace.push(`<${name} ${req.method}`);
        return result;
      };
    server.use(named("a")).use(named("b"));
    const { client } = await connect(server);
    trace.length = 0; // initialize went through too
    await client.callTool("echo", { text: "hi" });
    assert.deepEqual(trace, ["a> tools/call #2", "b> tools/call #2", "<b tools/call", "<a tools/call"]);
  });

  test("initialize and ping pass through middleware as well", async () => {
    const server = new McpServer({ name: "mw", version: "1" });
    const methods: string[] = [];
    server.use(async (req, next) => (methods.push(req.method), next()));
    const { client } = await connect(server);
    await client.ping();
    assert.deepEqual(methods, ["initialize", "ping"]);
  });

  test("can answer without calling next, transform results, and rewrite params", async () => {
    const server = new McpServer({ name: "mw", version: "1" });
    echoTool(server);
    server.use(async (req, next) => {
      if (req.method === "tools/call" && (req.params.arguments as { text?: string })?.text === "cached") {
        return { content: [{ type: "text", text: "from cache" }] };
      }
      if (req.method === "tools/call") {
        const args = req.params.arguments as { text: string };
        req.params = { ...req.params, arguments: { text: args.text.toUpperCase() } };
      }
      const result = (await next()) as Record<string, unknown>;
      return req.method === "tools/call" ? { ...result, _meta: { decorated: true } } : result;
    });
    const { client } = await connect(server);
    assert.deepEqual(await client.callTool("echo", { text: "cached" }), { content: [{ type: "text", text: "from cache" }] });
    assert.deepEqual(await client.callTool("echo", { text: "loud" }), { content: [{ type: "text", text: "LOUD" }], _meta: { decorated: true } });
  });

  test("an McpError thrown by middleware reaches the client; other errors are -32603", async () => {
    const errors: Error[] = [];
    const server = new McpServer({ name: "mw", version: "1" }, { onerror: (e) => errors.push(e) });
    echoTool(server);
    server.use(async (req, next) => {
      const text = (req.params.arguments as { text?: string } | undefined)?.text;
      if (text === "deny") throw new McpError(ErrorCode.InvalidRequest, "denied by policy", { rule: 7 });
      if (text === "bug") throw new Error("middleware bug");
      return next();
    });
    const { client } = await connect(server);
    await assert.rejects(client.callTool("echo", { text: "deny" }), (e: any) => e.code === -32600 && e.message === "denied by policy" && e.data.rule === 7);
    await assert.rejects(client.callTool("echo", { text: "bug" }), (e: any) => e.code === -32603 && e.message === "Internal error");
    assert.deepEqual(errors.map((e) => e.message), ["middleware bug"]);
  });

  test("the context in middleware can log to the client", async () => {
    const server = new McpServer({ name: "mw", version: "1" });
    echoTool(server);
    server.use(async (req, next) => {
      await req.ctx.log.info(`before ${req.method}`, "audit");
      return next();
    });
    const logs: unknown[] = [];
    const { client } = await connect(server, new McpClient({ name: "t", version: "1" }, { onLog: (m) => logs.push(m) }));
    await client.callTool("echo", { text: "x" });
    assert.deepEqual(logs.at(-1), { level: "info", logger: "audit", data: "before tools/call" });
  });
});

describe("raw handlers", () => {
  test("add custom methods and replace built-in ones", async () => {
    const server = new McpServer({ name: "raw", version: "1" });
    echoTool(server);
    server.setRequestHandler("custom/sum", (params, ctx) => ({ sum: (params.a as number) + (params.b as number), method: ctx.method }));
    server.setRequestHandler("tools/list", () => ({ tools: [{ name: "virtual", inputSchema: { type: "object" } }] }));
    server.setRequestHandler("completion/complete", () => ({ completion: { values: ["raw"] } }));
    const { client } = await connect(server);
    assert.deepEqual(await client.request("custom/sum", { a: 2, b: 3 }), { sum: 5, method: "custom/sum" });
    assert.deepEqual((await client.listTools()).map((t) => t.name), ["virtual"]);
    assert.deepEqual(client.serverCapabilities?.completions, {}, "a raw completion handler declares the capability");
    assert.deepEqual((await client.complete({ type: "ref/prompt", name: "x" }, { name: "a", value: "" })).values, ["raw"]);
  });

  test("raw handlers still require initialize first", async () => {
    const server = new McpServer({ name: "raw", version: "1" });
    server.setRequestHandler("custom/x", () => ({}));
    const [a, b] = createMemoryTransportPair();
    await server.connect(a);
    const peer = new Peer();
    await peer.connect(b);
    await assert.rejects(peer.request("custom/x"), (e: any) => e.code === -32600 && /before initialize/.test(e.message));
  });

  test("notification handlers: added after connecting, and notifications/initialized", async () => {
    const server = new McpServer({ name: "raw", version: "1" });
    const seen: string[] = [];
    server.setNotificationHandler("notifications/initialized", (_p, session) => seen.push(`initialized ready=${session.ready}`));
    const { client, session } = await connect(server);
    server.setNotificationHandler("notifications/custom", (params) => seen.push(`custom ${JSON.stringify(params)}`));
    await client.notify("notifications/custom", { n: 1 });
    await client.ping(); // the notification was handled before this reply
    assert.deepEqual(seen, ["initialized ready=true", 'custom {"n":1}']);
    assert.equal(session.ready, true, "the author's handler does not replace the session's own");
  });
});

describe("lifespan", () => {
  test("start runs once before serving; its value is ctx.app; stop runs on close", async () => {
    const calls: string[] = [];
    const server = new McpServer<{ db: string }>(
      { name: "life", version: "1" },
      {
        lifespan: {
          start: async () => (calls.push("start"), { db: "connected" }),
          stop: async (app) => void calls.push(`stop ${app.db}`),
        },
      },
    );
    server.tool({ name: "db", handler: (_a, ctx) => (ctx.app as { db: string }).db });
    const first = await connect(server);
    const second = await connect(server);
    assert.deepEqual(calls, ["start"]);
    assert.equal(server.app.db, "connected");
    assert.deepEqual((await first.client.callTool("db")).content, [{ type: "text", text: "connected" }]);
    assert.deepEqual((await second.client.callTool("db")).content, [{ type: "text", text: "connected" }]);
    await server.close();
    assert.deepEqual(calls, ["start", "stop connected"]);
    await assert.rejects(first.client.ping(), (e: any) => e.code === ErrorCode.ConnectionClosed);
  });
});
