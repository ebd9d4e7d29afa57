import { serveHttp, type ServeHttpOptions } from "../transports/http/node.js";
import type { McpServer } from "./server.js";

export const HTTP_USAGE = `HTTP options (defaults from mcp.yaml's http:, then these):
  --http [port]          serve Streamable HTTP (port default 3000, or $PORT)
  --port <port>          same as --http <port>
  --host <addr>          interface to bind (default 127.0.0.1, or $HOST)
  --path <path>          endpoint path (default /mcp)
  --stateless            no sessions: every request stands alone
  --json                 answer with application/json instead of SSE streams
  --sse                  answer with SSE streams (overrides http.json)
  --legacy-sse           also serve the deprecated HTTP+SSE transport (/sse, /messages)
  --allowed-host <h>     accept this Host besides localhost (repeatable)
  --allowed-origin <o>   accept this Origin besides localhost (repeatable)
  --cors                 send CORS headers for any origin
  --trust-proxy          trust X-Forwarded-* headers from a reverse proxy
  --max-body-bytes <n>   largest request body (default 4 MiB)
  --max-sessions <n>     most live sessions (default 10000)
  --max-buffered-bytes <n>  unread bytes per stream before senders wait (default 1 MiB)
  --max-event-bytes <n>  bytes the event store keeps in all (default 64 MiB)
  (sizes take a suffix: 512k, 16m, 1g)
`;

/** Reads the HTTP flags over the manifest's defaults; throws on a malformed flag. */
export function parseHttpArgs(argv: string[], defaults: ServeHttpOptions = {}, env: Record<string, string | undefined> = process.env): ServeHttpOptions {
  const o: ServeHttpOptions = { ...defaults };
  if (env.PORT !== undefined) o.port = toPort(env.PORT, "PORT");
  if (env.HOST) o.host = env.HOST;
  // Flags add to the manifest's lists.
  const list = (key: "allowedHosts" | "allowedOrigins", value: string) => (o[key] = [...(o[key] ?? []), value]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--http": {
        const next = inline ?? argv[i + 1];
        if (next !== undefined && /^\d+$/.test(next)) {
          o.port = toPort(next, "--http");
          if (inline === undefined) i++;
        }
        break;
      }
      case "--port":
        o.port = toPort(value(), flag);
        break;
      case "--host":
        o.host = value();
        break;
      case "--path":
        o.path = value();
        if (!o.path.startsWith("/")) throw new Error("--path must start with /");
        break;
      case "--stateless":
        o.sessions = false;
        break;
      case "--json":
        o.json = true;
        break;
      case "--sse":
        o.json = false;
        break;
      case "--legacy-sse":
        o.legacySse = true;
        break;
      case "--allowed-host":
        list("allowedHosts", value());
        break;
      case "--allowed-origin":
        list("allowedOrigins", value());
        break;
      case "--cors":
        o.cors = true;
        break;
      case "--trust-proxy":
        o.trustProxy = true;
        break;
      case "--max-body-bytes":
        o.maxBodyBytes = toBytes(value(), flag);
        break;
      case "--max-sessions":
        o.maxSessions = toBytes(value(), flag);
        break;
      case "--max-buffered-bytes":
        o.maxBufferedBytes = toBytes(value(), flag);
        break;
      case "--max-event-bytes":
        o.eventStoreLimits = { ...o.eventStoreLimits, maxBytes: toBytes(value(), flag) };
        break;
      case "--stdio":
        break;
      default:
        if (flag.startsWith("--")) throw new Error(`Unknown option ${flag}`);
    }
  }
  return o;
}

/** A size such as `4194304`, `512k`, `16m` or `1g` (binary units). */
export function toBytes(v: string, what: string): number {
  const m = /^(\d+)([kmg]?)(i?b)?$/i.exec(v.trim());
  if (!m) throw new Error(`${what}: '${v}' is not a size (such as 1048576, 512k, 16m)`);
  const n = Number(m[1]) * 1024 ** " kmg".indexOf((m[2] || " ").toLowerCase());
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${what}: '${v}' is out of range`);
  return n;
}

function toPort(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${what}: '${v}' is not a port number`);
  return n;
}

/** `--http`: serves until SIGINT/SIGTERM, then shuts down gracefully. */
export async function runHttp(server: McpServer<any>, argv: string[]): Promise<void> {
  let options: ServeHttpOptions;
  try {
    options = parseHttpArgs(argv, server.options.http);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HTTP_USAGE}`);
    process.exitCode = 2;
    return;
  }
  const running = await serveHttp(server, { ...options, signals: true });
  const mode = [options.sessions === false ? "stateless" : "sessions", options.json ? "JSON" : "SSE", options.legacySse ? "+ legacy SSE" : ""].filter(Boolean).join(", ");
  process.stderr.write(`${server.info.name} listening on ${running.url} (${mode})\n`);
}
