// The HTTP core alone, in one process, no sockets: what one Streamable HTTP POST costs
// the runtime between a parsed node request and the reply it hands to node:http. Used to
// profile the HTTP path without the noise of the kernel and the load generator:
//   node --expose-gc bench/http-core.mjs [json|sse] [calls]
//   node --expose-gc --cpu-prof bench/http-core.mjs sse 200000
// Run `npm run build` and generate bench/servers/mcpgen first (npm run bench does both).
import { createHttpHandler } from "@mcpgen/runtime";
import { createServer } from "./servers/mcpgen/dist/generated/server.js";

const mode = process.argv[2] ?? "json";
const calls = Number(process.argv[3] ?? 100_000);
const handler = createHttpHandler(createServer(), mode === "json" ? { sessions: false, json: true } : {});
const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25", host: "127.0.0.1:3000" };

/** A parsed request as the node adapter makes it (see fromNodeRequest). */
const request = (body, sessionId) => ({
  method: "POST",
  path: "/mcp",
  header: (name) => (name === "mcp-session-id" ? sessionId : HEADERS[name]),
  headers: () => (sessionId ? { ...HEADERS, "mcp-session-id": sessionId } : HEADERS),
  text: async () => body,
});

/** The reply's body: JSON text, or every event an SSE body carries until it ends. */
const bodyOf = (reply) =>
  new Promise((resolve) => {
    if (!reply.sse) return resolve(reply.body);
    let text = "";
    reply.sse.attach({ write: (t) => void (text += t), end: () => resolve(text), buffered: () => 0, onDrain: (l) => l(), destroy: () => {} });
  });

let sessionId;
if (mode === "sse") {
  const init = { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } } };
  const reply = await handler.serve(request(JSON.stringify(init)));
  await bodyOf(reply);
  sessionId = reply.headers["mcp-session-id"];
}
let id = 1;
const call = () => handler.serve(request(JSON.stringify({ jsonrpc: "2.0", id: id++, method: "tools/call", params: { name: "add", arguments: { a: 1, b: 2 } } }), sessionId)).then(bodyOf);
const run = async (n) => {
  for (let i = 0; i < n; i += 16) await Promise.all(Array.from({ length: 16 }, call));
};

await run(5_000);
globalThis.gc?.();
const heap0 = process.memoryUsage().heapUsed;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await run(calls);
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - t0;
globalThis.gc?.();
console.log(
  JSON.stringify({ mode, calls, wallUsPerCall: +((wall * 1000) / calls).toFixed(2), cpuUsPerCall: +((cpu.user + cpu.system) / calls).toFixed(2), heapGrowthKb: Math.round((process.memoryUsage().heapUsed - heap0) / 1024) }),
);
await handler.close();
