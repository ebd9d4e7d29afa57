import type { ServeHttpOptions } from "./node-http.js";
import type { StdioServerOptions } from "../transports/stdio.js";

/**
 * The command line of a generated server (`node dist/server.js ...`). Parsed strictly: a
 * typo such as `--htp 3000` or a value such as `--http abc` is an error with a usage line
 * (exit 2), never a silent fall-back to stdio or to the default port. This module has no
 * HTTP code in it, so a stdio server parses its flags without loading the HTTP transport.
 */

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

export const STDIO_USAGE = `stdio options:
  --max-buffered-bytes <n>  unwritten output before the server stops reading (default 4 MiB)
  --max-inflight <n>     requests in flight before the server stops reading (default 1000)
`;

/** The one-line synopsis printed with every usage error. */
export const usageLine = (name: string) => `Usage: ${name} [--stdio | --http [port] [options]]   (${name} --help: every option)`;

/** The full help text. */
export const helpText = (name: string) =>
  `Usage: ${name} [--stdio | --http [port] [options]]

Serves this MCP server on stdio (the default: for clients that start it as a process), or
on Streamable HTTP with --http.

  --stdio                serve on stdin/stdout (the default)
  -h, --help             show this help

${STDIO_USAGE}
${HTTP_USAGE}`;

/** A command-line mistake: printed with the usage line, exit code 2. */
export class ServerArgsError extends Error {}

export type StdioLimits = Pick<StdioServerOptions, "maxBufferedBytes" | "maxInflight">;

export type ServerArgs = { mode: "help" } | { mode: "stdio"; options: StdioLimits } | { mode: "http"; options: ServeHttpOptions };

/** HTTP-only flags that take a value, and HTTP-only switches. */
const VALUE_FLAGS = new Set(["--port", "--host", "--path", "--allowed-host", "--allowed-origin", "--max-body-bytes", "--max-sessions", "--max-event-bytes"]);
const SWITCHES = new Set(["--stateless", "--json", "--sse", "--legacy-sse", "--cors", "--trust-proxy"]);
/** Flags of either transport, and stdio's own. */
const SHARED_FLAGS = new Set(["--max-buffered-bytes"]);
const STDIO_FLAGS = new Set(["--max-inflight"]);

/**
 * Reads a server's command line: `--help`, `--stdio` (the default) or `--http [port]`
 * (or `--port <n>`) with the HTTP options over the manifest's defaults and $PORT/$HOST.
 * Throws ServerArgsError naming the first mistake.
 */
export function parseServerArgs(argv: string[], defaults: ServeHttpOptions = {}, env: Record<string, string | undefined> = process.env): ServerArgs {
  if (argv.includes("--help") || argv.includes("-h")) return { mode: "help" };
  const parsed = parseFlags(argv, defaults);
  const http = parsed.http || parsed.port;
  if (parsed.stdio && http) throw new ServerArgsError("--stdio and --http exclude each other");
  if (!http) {
    if (parsed.httpOnly) throw new ServerArgsError(`${parsed.httpOnly} applies to HTTP only: add --http [port]`);
    return { mode: "stdio", options: parsed.stdioLimits };
  }
  if (parsed.stdioOnly) throw new ServerArgsError(`${parsed.stdioOnly} applies to stdio only`);
  return { mode: "http", options: withEnv(parsed.options, env) };
}

/** Reads the HTTP flags over the manifest's defaults; throws on a malformed flag. */
export function parseHttpArgs(argv: string[], defaults: ServeHttpOptions = {}, env: Record<string, string | undefined> = process.env): ServeHttpOptions {
  const parsed = parseFlags(argv, defaults);
  // The same rules as parseServerArgs in HTTP mode.
  if (parsed.stdio) throw new ServerArgsError("--stdio and --http exclude each other");
  if (parsed.stdioOnly) throw new ServerArgsError(`${parsed.stdioOnly} applies to stdio only`);
  return withEnv(parsed.options, env);
}

/** $PORT and $HOST sit between the manifest's defaults and the flags. */
function withEnv(fromFlags: ServeHttpOptions & { portFromFlag?: number; hostFromFlag?: string }, env: Record<string, string | undefined>): ServeHttpOptions {
  const { portFromFlag, hostFromFlag, ...o } = fromFlags;
  if (env.PORT !== undefined && env.PORT !== "") o.port = toPort(env.PORT, "$PORT");
  if (env.HOST) o.host = env.HOST;
  if (portFromFlag !== undefined) o.port = portFromFlag;
  if (hostFromFlag !== undefined) o.host = hostFromFlag;
  return o;
}

interface Flags {
  options: ServeHttpOptions & { portFromFlag?: number; hostFromFlag?: string };
  stdio: boolean;
  http: boolean;
  /** `--port` given (it implies --http). */
  port: boolean;
  /** The first HTTP-only flag seen, for the message when serving stdio. */
  httpOnly?: string;
  stdioLimits: StdioLimits;
  stdioOnly?: string;
}

function parseFlags(argv: string[], defaults: ServeHttpOptions): Flags {
  const o: Flags["options"] = { ...defaults };
  const flags: Flags = { options: o, stdio: false, http: false, port: false, stdioLimits: {} };
  // Flags add to the manifest's lists.
  const list = (key: "allowedHosts" | "allowedOrigins", value: string) => (o[key] = [...(o[key] ?? []), value]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith("--"))) throw new ServerArgsError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--stdio") {
      if (inline !== undefined) throw new ServerArgsError(`--stdio takes no value (got '${arg}')`);
      flags.stdio = true;
      continue;
    }
    if (flag === "--http") {
      flags.http = true;
      const next = inline ?? argv[i + 1];
      // `--http` alone, or followed by another flag, serves on the default port.
      if (next !== undefined && (inline !== undefined || !next.startsWith("--"))) {
        o.portFromFlag = toPort(next, "--http");
        if (inline === undefined) i++;
      }
      continue;
    }
    if (VALUE_FLAGS.has(flag) || SWITCHES.has(flag)) flags.httpOnly ??= flag;
    if (STDIO_FLAGS.has(flag)) flags.stdioOnly ??= flag;
    if (SWITCHES.has(flag) && inline !== undefined) throw new ServerArgsError(`${flag} takes no value (got '${arg}')`);
    switch (flag) {
      case "--port":
        flags.port = true;
        o.portFromFlag = toPort(value(), flag);
        break;
      case "--host":
        o.hostFromFlag = value();
        break;
      case "--path":
        o.path = value();
        if (!o.path.startsWith("/")) throw new ServerArgsError(`--path must start with / (got '${o.path}')`);
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
        o.maxBodyBytes = toSize(value(), flag);
        break;
      case "--max-sessions":
        o.maxSessions = toSize(value(), flag);
        break;
      case "--max-event-bytes":
        o.eventStoreLimits = { ...o.eventStoreLimits, maxBytes: toSize(value(), flag) };
        break;
      case "--max-buffered-bytes":
        o.maxBufferedBytes = flags.stdioLimits.maxBufferedBytes = toSize(value(), flag);
        break;
      case "--max-inflight":
        flags.stdioLimits.maxInflight = toSize(value(), flag);
        break;
      default:
        if (flag.startsWith("-")) throw new ServerArgsError(`Unknown option ${flag}${suggest(flag)}`);
        throw new ServerArgsError(`unexpected argument '${arg}'`);
    }
  }
  return flags;
}

const KNOWN = ["--stdio", "--http", "--help", ...VALUE_FLAGS, ...SWITCHES, ...SHARED_FLAGS, ...STDIO_FLAGS];

/** ` (did you mean --http?)` for a flag one or two edits away from a known one. */
function suggest(flag: string): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of KNOWN) {
    const d = distance(flag, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best ? ` (did you mean ${best}?)` : "";
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function toPort(v: string, what: string): number {
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ServerArgsError(`${what}: '${v}' is not a port number (0-65535; 0 picks a free port)`);
  return n;
}

/** A count or a size such as `1048576`, `512k`, `16m`, `1g` (binary units). */
function toSize(v: string, what: string): number {
  const m = /^(\d+)([kmg]?)(i?b)?$/i.exec(v.trim());
  const n = m ? Number(m[1]) * 1024 ** " kmg".indexOf((m[2] || " ").toLowerCase()) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new ServerArgsError(`${what}: '${v}' is not a size (a positive count such as 1048576, or 512k, 16m, 1g)`);
  return n;
}
