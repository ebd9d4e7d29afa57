import { helpText, parseServerArgs, ServerArgsError, usageLine } from "./args.js";
import { StdioServerTransport, type StdioServerOptions } from "../transports/stdio.js";
import type { McpServer } from "../server/server.js";
import type { ServerSession } from "../server/session.js";

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
      // Bounded: a handler waiting for a client that stopped reading (ctx.progress in a loop)
      // must not keep the process from exiting; closing the server below ends what is left.
      await within(session.peer.drain(), DRAIN_TIMEOUT_MS);
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
/** As long as the HTTP handler's close waits for requests in flight. */
const DRAIN_TIMEOUT_MS = 10_000;

async function flushWithin(transport: StdioServerTransport, ms: number): Promise<void> {
  await within(transport.flush(), ms);
}

/** Waits for `work`, or `ms`, whichever comes first. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export interface RunMainOptions {
  argv?: string[];
}

/**
 * The entry point generated servers call: `--stdio` (default) or `--http [port]`. A
 * mistake on the command line prints what is wrong and the usage line, and sets exit
 * code 2; `--help` prints every option. Starting, it says on stderr what it serves where
 * (stdout belongs to the protocol in stdio mode).
 */
export async function runMain(server: McpServer<any>, options: RunMainOptions = {}): Promise<void> {
  const argv = options.argv ?? process.argv.slice(2);
  const name = server.info.name;
  let args;
  try {
    args = parseServerArgs(argv, server.options.http);
  } catch (error) {
    if (!(error instanceof ServerArgsError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n${usageLine(name)}\n`);
    process.exitCode = 2;
    return;
  }
  if (args.mode === "help") {
    process.stderr.write(helpText(name));
    return;
  }
  if (args.mode === "http") {
    // Loaded only when asked for, so a stdio server never loads the HTTP code.
    const { runHttp } = await import("./main-http.js");
    await runHttp(server, args.options);
    return;
  }
  await serveStdio(server, args.options);
  process.stderr.write(`${name} ${server.info.version} serving MCP on stdio (${name} --help: HTTP and other options)\n`);
}
