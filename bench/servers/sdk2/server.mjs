// The benchmark's tool surface with the official SDK v2 (@modelcontextprotocol/server 2.x),
// as its own docs show: McpServer.registerTool with Standard Schema (zod) objects,
// StdioServerTransport on stdio, and for HTTP the @modelcontextprotocol/node README's
// plain node:http setup (loopback bind, Host/Origin guards, NodeStreamableHTTPServerTransport).
// https://github.com/modelcontextprotocol/typescript-sdk/tree/main/packages/middleware/node
//
//   node server.mjs                                  stdio
//   node server.mjs --http PORT --stateless --json   a new server and transport per request, JSON replies
//   node server.mjs --http PORT                      one transport per session, SSE replies
import { randomUUID } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";

/** The JSON text fallback next to the structured result, as the other servers send. */
const result = (structuredContent) => ({ content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent });

function getServer() {
  const server = new McpServer({ name: "bench", version: "1.0.0" });
  server.registerTool(
    "echo",
    { description: "Echo a message back.", inputSchema: z.object({ message: z.string() }), outputSchema: z.object({ message: z.string() }) },
    async ({ message }) => result({ message }),
  );
  server.registerTool(
    "add",
    { description: "Add two numbers.", inputSchema: z.object({ a: z.number(), b: z.number() }), outputSchema: z.object({ sum: z.number() }) },
    async ({ a, b }) => result({ sum: a + b }),
  );
  server.registerTool(
    "create_order",
    {
      description: "Place an order (a nested object input).",
      inputSchema: z.object({
        customer: z.object({ name: z.string().min(1), email: z.string() }),
        items: z.array(z.object({ sku: z.string(), quantity: z.number().int().min(1) })).min(1),
        note: z.string().optional(),
      }),
      outputSchema: z.object({ orderId: z.string(), itemCount: z.number().int() }),
    },
    async ({ customer, items }) => result({ orderId: `order-${customer.name}`, itemCount: items.reduce((n, item) => n + item.quantity, 0) }),
  );
  return server;
}

const argv = process.argv.slice(2);
const httpAt = argv.indexOf("--http");

if (httpAt < 0) {
  const { StdioServerTransport } = await import("@modelcontextprotocol/server/stdio");
  await getServer().connect(new StdioServerTransport());
} else {
  const port = Number(argv[httpAt + 1] ?? 3000);
  const stateless = argv.includes("--stateless");
  const json = argv.includes("--json");
  const { createServer } = await import("node:http");
  const { isInitializeRequest } = await import("@modelcontextprotocol/server");
  const { localhostHostValidation, localhostOriginValidation, NodeStreamableHTTPServerTransport } = await import("@modelcontextprotocol/node");
  const validateHost = localhostHostValidation();
  const validateOrigin = localhostOriginValidation();

  /** The body as parsed JSON (the transport takes a pre-parsed body, as Express would give). */
  const readJson = (req) =>
    new Promise((resolve, reject) => {
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        try {
          resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined);
        } catch (error) {
          reject(error);
        }
      });
      req.on("error", reject);
    });
  const fail = (res, status, code, message) => {
    if (res.headersSent) return;
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
  };

  const transports = new Map();
  const handler = stateless
    ? // The README's stateless node:http example: a server and a transport per request.
      async (req, res) => {
        const server = getServer();
        const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: json });
        res.on("close", () => {
          transport.close();
          server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(req, res);
      }
    : // Sessions: one transport per session, kept in a map by session id.
      async (req, res) => {
        const sessionId = req.headers["mcp-session-id"];
        const body = req.method === "POST" ? await readJson(req) : undefined;
        let transport = sessionId ? transports.get(sessionId) : undefined;
        if (!transport) {
          if (sessionId || req.method !== "POST" || !isInitializeRequest(body)) {
            fail(res, sessionId ? 404 : 400, -32000, "Bad Request: No valid session ID provided");
            return;
          }
          transport = new NodeStreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            enableJsonResponse: json,
            onsessioninitialized: (id) => transports.set(id, transport),
          });
          transport.onclose = () => {
            if (transport.sessionId) transports.delete(transport.sessionId);
          };
          await getServer().connect(transport);
        }
        await transport.handleRequest(req, res, body);
      };

  const listener = createServer(async (req, res) => {
    if (!validateHost(req, res) || !validateOrigin(req, res)) return;
    try {
      await handler(req, res);
    } catch {
      fail(res, 500, -32603, "Internal server error");
    }
  });
  listener.listen(port, "127.0.0.1", () => {
    process.stderr.write(`sdk2 listening on http://127.0.0.1:${listener.address().port}/mcp\n`);
  });
}
