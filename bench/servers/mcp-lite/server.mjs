// The benchmark's tool surface with mcp-lite 0.10, as its README shows: McpServer with a zod
// schemaAdapter (z.toJSONSchema), mcp.tool with input and output schemas, and
// StreamableHttpTransport bound to the server behind a Hono app, served on Node by
// @hono/node-server. Stateless runs use the transport with no adapters (the README's
// "stateless" configuration); stateful runs use its single-server production setup
// (InMemorySessionAdapter + InMemoryClientRequestAdapter). allowedHosts as the README asks
// for local servers. https://github.com/fiberplane/mcp-lite#readme
//
// mcp-lite has no stdio transport: it serves HTTP only.
//
//   node server.mjs --http PORT --stateless --json   no sessions (--json is accepted for symmetry:
//                                                    mcp-lite answers in SSE whenever the client
//                                                    accepts text/event-stream, JSON otherwise)
//   node server.mjs --http PORT                      sessions, SSE replies
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { InMemoryClientRequestAdapter, InMemorySessionAdapter, McpServer, StreamableHttpTransport } from "mcp-lite";
import * as z from "zod";

const mcp = new McpServer({ name: "bench", version: "1.0.0", schemaAdapter: (schema) => z.toJSONSchema(schema) });

const result = (structuredContent) => ({ content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent });

mcp.tool("echo", {
  description: "Echo a message back.",
  inputSchema: z.object({ message: z.string() }),
  outputSchema: z.object({ message: z.string() }),
  handler: ({ message }) => result({ message }),
});
mcp.tool("add", {
  description: "Add two numbers.",
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  outputSchema: z.object({ sum: z.number() }),
  handler: ({ a, b }) => result({ sum: a + b }),
});
mcp.tool("create_order", {
  description: "Place an order (a nested object input).",
  inputSchema: z.object({
    customer: z.object({ name: z.string().min(1), email: z.string() }),
    items: z.array(z.object({ sku: z.string(), quantity: z.number().int().min(1) })).min(1),
    note: z.string().optional(),
  }),
  outputSchema: z.object({ orderId: z.string(), itemCount: z.number().int() }),
  handler: ({ customer, items }) => result({ orderId: `order-${customer.name}`, itemCount: items.reduce((n, item) => n + item.quantity, 0) }),
});

const argv = process.argv.slice(2);
const httpAt = argv.indexOf("--http");
if (httpAt < 0) {
  process.stderr.write("mcp-lite has no stdio transport; run with --http PORT\n");
  process.exit(2);
}
const port = Number(argv[httpAt + 1] ?? 3000);
const stateless = argv.includes("--stateless");
/** The transport, once the bound port is known: the Host header carries it. */
function transportFor(boundPort) {
  const allowedHosts = ["127.0.0.1", "localhost", `127.0.0.1:${boundPort}`, `localhost:${boundPort}`];
  return stateless
    ? new StreamableHttpTransport({ allowedHosts })
    : new StreamableHttpTransport({
        allowedHosts,
        sessionAdapter: new InMemorySessionAdapter({ maxEventBufferSize: 1024 }),
        clientRequestAdapter: new InMemoryClientRequestAdapter({ defaultTimeoutMs: 30000 }),
      });
}

let httpHandler;
const app = new Hono();
app.all("/mcp", (c) => httpHandler(c.req.raw));

const listener = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) => {
  httpHandler = transportFor(info.port).bind(mcp);
  process.stderr.write(`mcp-lite listening on http://127.0.0.1:${info.port}/mcp\n`);
});
listener.on("error", (error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
