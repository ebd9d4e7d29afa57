/**
 * Shared by the auth tests: a server with scoped items served over real HTTP on
 * 127.0.0.1 with auth, the development authorization server of examples/auth (real
 * signed tokens), raw MCP POSTs with fetch, a parser for `WWW-Authenticate`, and the
 * official SDK client sending a bearer token.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpServer, serveHttp, type AuthOptions, type RunningHttpServer, type ServeHttpOptions, type ServerOptions } from "../../runtime/src/index.js";

export { startDevAuthServer, type DevAuthServer } from "../../examples/auth/src/dev-as.js";

export const ACCEPT = "application/json, text/event-stream";
export const LATEST = "2025-11-25";

/**
 * A notes server whose items carry scopes: `whoami` (none), `read_notes` (notes:read),
 * `write_note` (notes:write), `wipe` (notes:admin); resources `info://public` (none),
 * `notes://all` (notes:read) and the template `notes://{id}` (notes:read); prompts
 * `hello` (none) and `summarize` (notes:read).
 */
export function scopedServer(options: ServerOptions = {}): McpServer {
  const server = new McpServer({ name: "scoped", version: "1.0.0", title: "Scoped Notes" }, options);
  server.tool({ name: "whoami", handler: (_input, ctx) => JSON.stringify(ctx.auth ?? null) });
  server.tool({ name: "read_notes", scopes: ["notes:read"], handler: () => "all the notes" });
  server.tool({ name: "write_note", scopes: ["notes:write"], handler: () => "written" });
  server.tool({ name: "wipe", scopes: ["notes:admin"], handler: () => "wiped" });
  server.resource({ name: "public", uri: "info://public", read: () => "public info" });
  server.resource({ name: "all_notes", uri: "notes://all", scopes: ["notes:read"], read: () => "note 1, note 2" });
  server.resourceTemplate({ name: "note", uriTemplate: "notes://{id}", scopes: ["notes:read"], read: (vars) => `note ${vars.id}` });
  server.prompt({ name: "hello", get: () => "hello" });
  server.prompt({ name: "summarize", scopes: ["notes:read"], get: () => "summarize the notes" });
  return server;
}

export interface Served {
  server: McpServer;
  running: RunningHttpServer;
  url: string;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  errors: Error[];
  close(): Promise<void>;
}

/** Serves a server with `auth` on a free port; errors reported by the runtime are collected. */
export async function serveWithAuth(auth: AuthOptions | undefined, http: ServeHttpOptions = {}, server = scopedServer()): Promise<Served> {
  const errors: Error[] = [];
  const running = await serveHttp(server, { port: 0, auth, onerror: (e) => errors.push(e), ...http });
  return {
    server,
    running,
    url: running.url,
    origin: new URL(running.url).origin,
    errors,
    close: async () => {
      await running.close();
      await server.close();
    },
  };
}

export interface RawReply {
  status: number;
  headers: Headers;
  /** The JSON body, or the JSON-RPC messages of an SSE body. */
  body: any;
  challenge: Record<string, string> | undefined;
}

/** POSTs one JSON-RPC message (or batch) and reads the whole answer. */
export async function post(url: string, message: unknown, headers: Record<string, string> = {}): Promise<RawReply> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: ACCEPT, ...headers },
    body: JSON.stringify(message),
  });
  return read(response);
}

export async function read(response: Response): Promise<RawReply> {
  const text = await response.text();
  let body: any = undefined;
  if ((response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    body = text
      .split("\n")
      .filter((l) => l.startsWith("data:"))
      .map((l) => l.slice(5).trim())
      .filter(Boolean)
      .map((d) => JSON.parse(d));
    if (body.length === 1) body = body[0];
  } else if (text) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body, challenge: bearer(response.headers.get("www-authenticate")) };
}

export const initialize = (id: number | string = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion: LATEST, capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});

export const bearerHeader = (token: string) => ({ authorization: `Bearer ${token}` });

/** Opens a session with a token; returns the headers to send on later requests. */
export async function openSession(url: string, token: string): Promise<Record<string, string>> {
  const r = await post(url, initialize(), bearerHeader(token));
  if (r.status !== 200) throw new Error(`initialize: ${r.status} ${JSON.stringify(r.body)}`);
  const headers = { ...bearerHeader(token), "mcp-session-id": r.headers.get("mcp-session-id")!, "mcp-protocol-version": LATEST };
  await post(url, { jsonrpc: "2.0", method: "notifications/initialized" }, headers);
  return headers;
}

/** The parameters of a `Bearer` challenge (values unquoted), or undefined without one. */
export function bearer(header: string | null): Record<string, string> | undefined {
  if (!header) return undefined;
  const m = /^Bearer\b\s*(.*)$/i.exec(header.trim());
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z_]+)="((?:[^"\\]|\\.)*)"/g;
  for (let p = re.exec(m[1]!); p; p = re.exec(m[1]!)) params[p[1]!] = p[2]!.replace(/\\(.)/g, "$1");
  return params;
}

/** The official SDK client over Streamable HTTP, sending `Authorization: Bearer <token>` on every request. */
export async function sdkClient(url: string, token: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: "auth-test", version: "1.0.0" }, { capabilities: {} });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { ...bearerHeader(token), ...headers } } });
  await client.connect(transport);
  return client;
}
