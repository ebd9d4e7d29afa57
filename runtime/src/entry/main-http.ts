import { serveHttp, type ServeHttpOptions } from "./node-http.js";
import type { McpServer } from "../server/server.js";

/** `--http`: serves until SIGINT/SIGTERM, then shuts down gracefully. */
export async function runHttp(server: McpServer<any>, options: ServeHttpOptions): Promise<void> {
  const running = await serveHttp(server, { ...options, signals: true });
  const mode = [options.sessions === false ? "stateless" : "sessions", options.json ? "JSON" : "SSE", options.legacySse ? "+ legacy SSE" : ""].filter(Boolean).join(", ");
  process.stderr.write(`${server.info.name} listening on ${running.url} (${mode})\n`);
}
