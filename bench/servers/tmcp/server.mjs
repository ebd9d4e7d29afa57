// The benchmark's tool surface with tmcp 1.x, as its READMEs show: McpServer with the
// valibot adapter (@tmcp/adapter-valibot), server.tool with input and output schemas and
// the tool.structured() result helper; @tmcp/transport-stdio on stdio; @tmcp/transport-http
// on node:http through @remix-run/node-fetch-server for HTTP (the transport-http README's
// Node example). https://github.com/paoloricciuti/tmcp
//
//   node server.mjs                  stdio
//   node server.mjs --http PORT      HTTP (sessions; replies are always SSE)
import { ValibotJsonSchemaAdapter } from "@tmcp/adapter-valibot";
import { McpServer } from "tmcp";
import { tool } from "tmcp/utils";
import * as v from "valibot";

const server = new McpServer(
  { name: "bench", version: "1.0.0", description: "mcpgen benchmark tools" },
  { adapter: new ValibotJsonSchemaAdapter(), capabilities: { tools: { listChanged: true } } },
);

server.tool(
  { name: "echo", description: "Echo a message back.", schema: v.object({ message: v.string() }), outputSchema: v.object({ message: v.string() }) },
  async ({ message }) => tool.structured({ message }),
);
server.tool(
  { name: "add", description: "Add two numbers.", schema: v.object({ a: v.number(), b: v.number() }), outputSchema: v.object({ sum: v.number() }) },
  async ({ a, b }) => tool.structured({ sum: a + b }),
);
server.tool(
  {
    name: "create_order",
    description: "Place an order (a nested object input).",
    schema: v.object({
      customer: v.object({ name: v.pipe(v.string(), v.minLength(1)), email: v.string() }),
      items: v.pipe(v.array(v.object({ sku: v.string(), quantity: v.pipe(v.number(), v.integer(), v.minValue(1)) })), v.minLength(1)),
      note: v.optional(v.string()),
    }),
    outputSchema: v.object({ orderId: v.string(), itemCount: v.pipe(v.number(), v.integer()) }),
  },
  async ({ customer, items }) => tool.structured({ orderId: `order-${customer.name}`, itemCount: items.reduce((n, item) => n + item.quantity, 0) }),
);

const argv = process.argv.slice(2);
const httpAt = argv.indexOf("--http");

if (httpAt < 0) {
  const { StdioTransport } = await import("@tmcp/transport-stdio");
  new StdioTransport(server).listen();
} else {
  const port = Number(argv[httpAt + 1] ?? 3000);
  const { createServer } = await import("node:http");
  const { createRequestListener } = await import("@remix-run/node-fetch-server");
  const { HttpTransport } = await import("@tmcp/transport-http");
  const transport = new HttpTransport(server, { path: "/mcp" });
  const listener = createServer(
    createRequestListener(async (request) => (await transport.respond(request)) ?? new Response(null, { status: 404 })),
  );
  listener.listen(port, "127.0.0.1", () => {
    process.stderr.write(`tmcp listening on http://127.0.0.1:${listener.address().port}/mcp\n`);
  });
}
