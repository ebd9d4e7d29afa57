/**
 * Two generated servers on one port: notes at /notes/mcp (plus the legacy HTTP+SSE
 * transport at /notes/sse) and weather at /weather/mcp. Each endpoint's settings come
 * from its own mcp.yaml `http:` block; the command line picks the port and host.
 *
 *   node --import tsx src/main.ts [--port 3000] [--host 127.0.0.1] [--allowed-host h]
 */
import { createHttpHandler, parseHttpArgs, serveHttp } from "@mcpgen/runtime";
import { createServer as createNotes } from "../servers/notes/src/generated/server.js";
import { createServer as createWeather } from "../servers/weather/src/generated/server.js";

const argv = process.argv.slice(2);
const servers = [createNotes(), createWeather()];

// Per server: its manifest's http: settings (path, legacySse), with the flags over them.
const handlers = servers.map((server) => createHttpHandler(server, parseHttpArgs(argv, server.options.http)));

const { host, port } = parseHttpArgs(argv);
const running = await serveHttp(handlers, { host, port });
for (const h of handlers) process.stderr.write(`${h.server.info.name} listening on ${new URL(h.path, running.url).href}\n`);

// Graceful shutdown: new requests get 503, calls in flight finish (10 s at most), streams
// close; then each server closes, which runs its lifespan's stop().
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  process.stderr.write("shutting down\n");
  await running.close();
  await Promise.all(servers.map((server) => server.close()));
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
