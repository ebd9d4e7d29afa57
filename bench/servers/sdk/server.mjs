// The benchmark's tool surface written with the official SDK, as its documentation and
// examples show: McpServer.registerTool with zod shapes, StdioServerTransport on stdio,
// StreamableHTTPServerTransport on the SDK's Express app for HTTP.
//
//   node server.mjs                              stdio
//   node server.mjs --http PORT --stateless --json   a new server and transport per request, JSON replies
//   node server.mjs --http PORT                  sessions (with the SDK's in-memory event store), SSE replies
import { randomUUID } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import * as z from "zod/v4";

function getServer() {
  const server = new McpServer({ name: "bench", version: "1.0.0" });

  server.registerTool(
    "echo",
    {
      description: "Echo a message back.",
      inputSchema: { message: z.string() },
      outputSchema: { message: z.string() },
    },
    async ({ message }) => {
      const structuredContent = { message };
      return { content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent };
    },
  );

  server.registerTool(
    "add",
    {
      description: "Add two numbers.",
      inputSchema: { a: z.number(), b: z.number() },
      outputSchema: { sum: z.number() },
    },
    async ({ a, b }) => {
      const structuredContent = { sum: a + b };
      return { content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent };
    },
  );

  server.registerTool(
    "create_order",
    {
      description: "Place an order (a nested object input).",
      inputSchema: {
        customer: z.object({ name: z.string().min(1), email: z.string() }),
        items: z.array(z.object({ sku: z.string(), quantity: z.number().int().min(1) })).min(1),
        note: z.string().optional(),
      },
      outputSchema: { orderId: z.string(), itemCount: z.number().int() },
    },
    async ({ customer, items }) => {
      const structuredContent = { orderId: `order-${customer.name}`, itemCount: items.reduce((n, item) => n + item.quantity, 0) };
      return { content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent };
    },
  );

  return server;
}

const argv = process.argv.slice(2);
const httpAt = argv.indexOf("--http");

if (httpAt < 0) {
  const server = getServer();
  await server.connect(new StdioServerTransport());
} else {
  const port = Number(argv[httpAt + 1] ?? 3000);
  const stateless = argv.includes("--stateless");
  const json = argv.includes("--json");
  const { StreamableHTTPServerTransport } = await import("@modelcontextprotocol/sdk/server/streamableHttp.js");
  const { createMcpExpressApp } = await import("@modelcontextprotocol/sdk/server/express.js");
  const { isInitializeRequest } = await import("@modelcontextprotocol/sdk/types.js");
  const { InMemoryEventStore } = await import("@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js");
  const app = createMcpExpressApp();

  if (stateless) {
    // simpleStatelessStreamableHttp.js: a new server and transport for every request.
    app.post("/mcp", async (req, res) => {
      const server = getServer();
      try {
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: json });
        await server.connect(transport);
        await transport.handleRequest(req, res, req.body);
        res.on("close", () => {
          transport.close();
          server.close();
        });
      } catch (error) {
        if (!res.headersSent) res.status(500).json({ jsonrpc: "2.0", error: { code: -32603, message: "Internal server error" }, id: null });
      }
    });
  } else {
    // simpleStreamableHttp.js: one transport per session, kept in a map by session id.
    const transports = new Map();
    app.all("/mcp", async (req, res) => {
      const sessionId = req.headers["mcp-session-id"];
      try {
        let transport = sessionId ? transports.get(sessionId) : undefined;
        if (!transport) {
          if (sessionId || req.method !== "POST" || !isInitializeRequest(req.body)) {
            res.status(sessionId ? 404 : 400).json({ jsonrpc: "2.0", error: { code: -32000, message: "Bad Request: No valid session ID provided" }, id: null });
            return;
          }
          transport = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            enableJsonResponse: json,
            eventStore: new InMemoryEventStore(),
            onsessioninitialized: (id) => transports.set(id, transport),
          });
          transport.onclose = () => {
            if (transport.sessionId) transports.delete(transport.sessionId);
          };
          await getServer().connect(transport);
        }
        await transport.handleRequest(req, res, req.body);
      } catch (error) {
        if (!res.headersSent) res.status(500).json({ jsonrpc: "2.0", error: { code: -32603, message: "Internal server error" }, id: null });
      }
    });
  }

  const listener = app.listen(port, "127.0.0.1", (error) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    process.stderr.write(`sdk listening on http://127.0.0.1:${listener.address().port}/mcp\n`);
  });
}
