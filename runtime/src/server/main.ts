import { StdioServerTransport, type StdioServerOptions } from "../transports/stdio.js";
import type { McpServer } from "./server.js";
import type { ServerSession } from "./session.js";

export interface ServeStdioOptions extends StdioServerOptions {
  /** Exit the process once shut down (default: true when serving the process's own stdio). */
  exit?: boolean;
  /** Handle SIGINT/SIGTERM by draining and closing (default: same as `exit`). */
  signals?: boolean;
}

/**
 * Serves a server over stdio until its input ends or it is signalled; either way
 * requests already in flight are answered before the server closes.
 */
export async function serveStdio(server: McpServer<any>, options: ServeStdioOptions = {}): Promise<ServerSession> {
  const transport = new StdioServerTransport(options);
  const session = await server.connect(transport);
  const ownProcess = options.stdin === undefined;
  const exit = options.exit ?? ownProcess;
  let shuttingDown: Promise<void> | undefined;
  const shutdown = (code: number) => {
    shuttingDown ??= (async () => {
      transport.pause();
      // 2026-07-28 listen streams stay open until told: end them, so the drain can finish.
      server.listeners.closeAll();
      await session.peer.drain();
      // Let the last responses reach the pipe before closing (bounded: a reader that
      // stopped reading must not keep the process alive).
      await flushWithin(transport, FLUSH_TIMEOUT_MS);
      await server.close();
      if (exit) process.exit(code);
    })();
    return shuttingDown;
  };
  void transport.inputEnded.then(() => shutdown(0));
  if (options.signals ?? exit) {
    process.once("SIGINT", () => void shutdown(0));
    process.once("SIGTERM", () => void shutdown(0));
  }
  return session;
}

const FLUSH_TIMEOUT_MS = 5000;

async function flushWithin(transport: StdioServerTransport, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([transport.flush(), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export interface RunMainOptions {
  argv?: string[];
}

/**
 * The entry point generated servers call: `--stdio` (default) or `--http [port]`.
 */
export async function runMain(server: McpServer<any>, options: RunMainOptions = {}): Promise<void> {
  const argv = options.argv ?? process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    const { HTTP_USAGE } = await import("./main-http.js");
    process.stderr.write(
      `Usage: ${server.info.name} [--stdio | --http [port] [options]]\n\nstdio options:\n  --max-buffered-bytes <n>  unread output before the server stops reading (default 4 MiB)\n  --max-inflight <n>     requests in flight before the server stops reading (default 1000)\n\n${HTTP_USAGE}`,
    );
    return;
  }
  if (argv.includes("--http") || argv.some((a) => a.startsWith("--http="))) {
    // Loaded only when asked for, so a stdio server never loads the HTTP code.
    const { runHttp } = await import("./main-http.js");
    await runHttp(server, argv);
    return;
  }
  let stdio: ServeStdioOptions;
  try {
    stdio = stdioLimits(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  await serveStdio(server, stdio);
}

/** stdio's limits from `--max-buffered-bytes <size>` and `--max-inflight <n>` (see StdioServerOptions). */
function stdioLimits(argv: string[]): ServeStdioOptions {
  const options: ServeStdioOptions = {};
  const valueOf = (flag: string): string | undefined => {
    const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (i < 0) return undefined;
    const v = argv[i]!.includes("=") ? argv[i]!.slice(flag.length + 1) : argv[i + 1];
    if (v === undefined) throw new Error(`${flag} needs a value`);
    return v;
  };
  const buffered = valueOf("--max-buffered-bytes");
  if (buffered !== undefined) options.maxBufferedBytes = parseSize(buffered, "--max-buffered-bytes");
  const inflight = valueOf("--max-inflight");
  if (inflight !== undefined) options.maxInflight = parseSize(inflight, "--max-inflight");
  return options;
}

/** A size such as `4194304`, `512k` or `16m` (binary units). */
function parseSize(v: string, what: string): number {
  const m = /^(\d+)([kmg]?)$/i.exec(v.trim());
  const n = m ? Number(m[1]) * 1024 ** " kmg".indexOf((m[2] || " ").toLowerCase()) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${what}: '${v}' is not a size (such as 1048576, 512k, 16m)`);
  return n;
}
