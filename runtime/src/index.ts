/**
 * @mcpgen/runtime: the protocol engine, server, client and transports that
 * mcpgen-generated servers run on. Everything public is re-exported here.
 */
export * from "./core.js";

// Node-only: stdio and node:http.
export { serveStdio, runMain, type ServeStdioOptions, type RunMainOptions } from "./entry/main.js";
export { StdioServerTransport, StdioClientTransport, type StdioServerOptions, type StdioClientOptions } from "./transports/stdio.js";
export { serveHttp, toNodeListener, fromNodeRequest, writeReply, writeResponse, type ServeHttpOptions, type RunningHttpServer } from "./entry/node-http.js";
export { parseHttpArgs, parseServerArgs, ServerArgsError, type ServerArgs } from "./entry/args.js";
export { FileTokenStorage } from "./client/oauth/file-storage.js";
