import { serveHttp, type ServeHttpOptions } from "./node-http.js";
import { sharedStoresFromEnv } from "./redis-option.js";
import type { McpServer } from "../server/server.js";

/** `--http`: serves until SIGINT/SIGTERM, then shuts down gracefully. */
export async function runHttp(server: McpServer<any>, options: ServeHttpOptions & { redisUrl?: string }): Promise<void> {
  const shared = await sharedStoresFromEnv(server, options);
  const { redisUrl: _, ...httpOptions } = options;
  const running = await serveHttp(server, { ...(shared?.options ?? httpOptions), signals: !shared });
  if (shared) {
    // Drain, close the server, then leave the cluster (other nodes fail what is left at once).
    const stop = () =>
      void running
        .close()
        .then(() => server.close())
        .then(() => shared.close())
        .finally(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }
  const mode = [options.sessions === false ? "stateless" : "sessions", options.json ? "JSON" : "SSE", options.legacySse ? "+ legacy SSE" : "", shared ? `Redis${shared.options.cluster ? ` node ${shared.options.cluster.nodeId}` : ""}` : ""].filter(Boolean).join(", ");
  process.stderr.write(`${server.info.name} listening on ${running.url} (${mode})\n`);
}
