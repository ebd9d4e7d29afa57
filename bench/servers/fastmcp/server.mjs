// The benchmark's tool surface with FastMCP (the TypeScript `fastmcp` package, 4.x), as its
// README shows: server.addTool with zod `parameters` and `outputSchema` (FastMCP sends the
// returned object as structuredContent plus a JSON text fallback), started with
// transportType "stdio" or "httpStream" (its stateless mode and enableJsonResponse for the
// stateless JSON runs). https://github.com/punkpeye/fastmcp#readme
//
//   node server.mjs                                  stdio
//   node server.mjs --http PORT --stateless --json   stateless, JSON replies
//   node server.mjs --http PORT                      sessions, SSE replies
import { createServer } from "node:net";
import { FastMCP } from "fastmcp";
import * as z from "zod";

const server = new FastMCP({ name: "bench", version: "1.0.0" });

server.addTool({
  name: "echo",
  description: "Echo a message back.",
  parameters: z.object({ message: z.string() }),
  outputSchema: z.object({ message: z.string() }),
  execute: async ({ message }) => ({ message }),
});
server.addTool({
  name: "add",
  description: "Add two numbers.",
  parameters: z.object({ a: z.number(), b: z.number() }),
  outputSchema: z.object({ sum: z.number() }),
  execute: async ({ a, b }) => ({ sum: a + b }),
});
server.addTool({
  name: "create_order",
  description: "Place an order (a nested object input).",
  parameters: z.object({
    customer: z.object({ name: z.string().min(1), email: z.string() }),
    items: z.array(z.object({ sku: z.string(), quantity: z.number().int().min(1) })).min(1),
    note: z.string().optional(),
  }),
  outputSchema: z.object({ orderId: z.string(), itemCount: z.number().int() }),
  execute: async ({ customer, items }) => ({ orderId: `order-${customer.name}`, itemCount: items.reduce((n, item) => n + item.quantity, 0) }),
});

/** A free loopback port: FastMCP does not report the port it bound when given 0. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const argv = process.argv.slice(2);
const httpAt = argv.indexOf("--http");

if (httpAt < 0) {
  await server.start({ transportType: "stdio" });
} else {
  const port = Number(argv[httpAt + 1] ?? 3000) || (await freePort());
  const stateless = argv.includes("--stateless");
  const json = argv.includes("--json");
  await server.start({ transportType: "httpStream", httpStream: { host: "127.0.0.1", port, stateless, enableJsonResponse: json } });
  process.stderr.write(`fastmcp listening on http://127.0.0.1:${port}/mcp\n`);
}
