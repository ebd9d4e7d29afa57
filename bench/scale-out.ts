/**
 * Scale-out bench (issue 18): the per-request cost of Redis-backed sessions against
 * in-memory ones on one node, and throughput of three nodes behind nginx against one.
 * Real redis-server and nginx (as test/cluster starts them), the generated conformance
 * example, `CLIENTS` sessions each calling a tool in a loop (SSE answers) for `MS` ms.
 *
 *   node --import tsx bench/scale-out.ts [--clients 32] [--ms 5000]
 *
 * On a two-core machine three nodes share two cores with nginx, Redis and the client: the
 * three-node figure shows what the routing costs, not how a real cluster scales.
 */
import { performance } from "node:perf_hooks";
import { cpus, loadavg } from "node:os";
import { Deployment, Nginx, Node, RedisServer, freePort, missingBinaries } from "../test/cluster/infra.js";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const CLIENTS = arg("--clients", 32);
const MS = arg("--ms", 5000);
const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

async function session(url: string): Promise<Record<string, string>> {
  const init = await fetch(url, {
    method: "POST",
    headers: HEADERS,
    body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } } }),
  });
  await init.text();
  const headers = { ...HEADERS, "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-11-25" };
  await (await fetch(url, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) })).text();
  return headers;
}

async function drive(url: string, ms = MS): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const sessions = await Promise.all(Array.from({ length: CLIENTS }, () => session(url)));
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + ms;
  await Promise.all(
    sessions.map(async (headers) => {
      for (let id = 1; performance.now() < until; id++) {
        const t = performance.now();
        const r = await fetch(url, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "test_simple_text", arguments: {} } }) });
        const body = await r.text();
        if (r.status !== 200 || !body.includes(`"id":${id},"result"`)) errors++;
        else latencies.push(performance.now() - t);
      }
    }),
  );
  await Promise.all(sessions.map((h) => fetch(url, { method: "DELETE", headers: h }).then((r) => r.text())));
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / (ms / 1000), p50: latencies[Math.floor(latencies.length / 2)]!, p99: latencies[Math.floor(latencies.length * 0.99)]!, errors };
}

const skip = missingBinaries();
if (skip) {
  console.log(`scale-out bench ${skip}`);
  process.exit(0);
}
const rows: [string, Awaited<ReturnType<typeof drive>>][] = [];
const measure = async (name: string, url: string) => {
  // A first run warms the JIT, connections and Redis; the figure is the better of the next two.
  await drive(url, Math.min(MS, 1500));
  const a = await drive(url);
  const b = await drive(url);
  rows.push([name, a.rps >= b.rps ? a : b]);
  const [, r] = rows.at(-1)!;
  console.log(`${name.padEnd(34)} ${r.rps.toFixed(0).padStart(6)} calls/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  errors ${r.errors}`);
};

console.log(`scale-out bench: ${CLIENTS} sessions, ${MS} ms each; ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}`);
{
  const port = await freePort();
  const node = await Node.start(port, {});
  try {
    await measure("1 node, in-memory sessions", `http://127.0.0.1:${port}/mcp`);
  } finally {
    await node.stop();
  }
}
{
  const redis = await RedisServer.start();
  const port = await freePort();
  const node = await Node.start(port, { REDIS_URL: redis.url });
  const nginx = await Nginx.start([port]);
  try {
    await measure("1 node, Redis sessions", `http://127.0.0.1:${port}/mcp`);
    await measure("1 node, Redis, through nginx", nginx.url);
  } finally {
    await nginx.stop();
    await node.stop();
    await redis.stop();
  }
}
{
  const d = await Deployment.start(3);
  try {
    await measure("3 nodes, Redis, nginx round robin", d.nginx!.url);
  } finally {
    await d.stop();
  }
}
const [mem, red] = [rows[0]![1], rows[1]![1]];
console.log(`Redis-backed sessions cost ${(red.p50 - mem.p50).toFixed(2)} ms per call at the median (${((mem.rps / red.rps - 1) * 100).toFixed(0)}% fewer calls/s on one node)`);
