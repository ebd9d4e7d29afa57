import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";
import type { SseWriter } from "./sse.js";

export type HeaderMap = Record<string, string>;

/**
 * What the HTTP core answers with: plain data. The node adapter writes it to the socket
 * as it is (one `writeHead` and one `end` for a JSON reply); fetch-style callers get a
 * Web `Response` made from it by `toWebResponse`. Building a `Response` (and its
 * `Headers`) for every node request cost more than the rest of a small call.
 */
export interface HttpReply {
  status: number;
  /** Lower-case names; each reply owns its object (callers may add to it). */
  headers: HeaderMap;
  /** A whole body (JSON text). */
  body?: string;
  /** An SSE body: the events this writer writes, until it closes. */
  sse?: SseWriter;
}

export function isHttpReply(value: unknown): value is HttpReply {
  return typeof (value as HttpReply | null)?.status === "number" && typeof (value as HttpReply).headers === "object";
}

/** A JSON body; `Content-Type` and the extra headers are set in one go. */
export function jsonReply(status: number, body: JsonRpcMessage | JsonRpcMessage[] | Record<string, unknown>, headers?: HeaderMap): HttpReply {
  return jsonTextReply(status, JSON.stringify(body), headers);
}

/** The same, for a body already serialized. */
export function jsonTextReply(status: number, text: string, headers?: HeaderMap): HttpReply {
  return { status, headers: headers ? { "content-type": "application/json", ...headers } : { "content-type": "application/json" }, body: text };
}

/** A 200 whose body is the events `writer` writes (`headers` should include the SSE ones). */
export function sseReply(writer: SseWriter, headers: HeaderMap): HttpReply {
  return { status: 200, headers, sse: writer };
}

/**
 * An HTTP error with a JSON-RPC error body, as the official SDKs send, so a client
 * can show the reason whichever layer it reads.
 */
export function httpError(status: number, code: number, message: string, headers?: HeaderMap, data?: unknown): HttpReply {
  const error: { code: number; message: string; data?: unknown } = { code, message };
  if (data !== undefined) error.data = data;
  return jsonReply(status, { jsonrpc: "2.0", id: null, error }, headers);
}

export function emptyReply(status: number, headers?: HeaderMap): HttpReply {
  return { status, headers: headers ? { ...headers } : {} };
}

/** Adds headers (CORS) to a reply. */
export function withHeaders(reply: HttpReply, headers: HeaderMap): HttpReply {
  Object.assign(reply.headers, headers);
  return reply;
}

/** The reply as a Web `Response`, for fetch-style callers (Workers, Bun, Deno, Hono). */
export function toWebResponse(reply: HttpReply): Response {
  const init = { status: reply.status, headers: reply.headers };
  if (reply.sse) return new Response(reply.sse.body, init);
  return new Response(reply.body ?? null, init);
}

/** A Web `Response` (such as one an `authenticate` hook returned) as a reply. */
export async function fromWebResponse(response: Response): Promise<HttpReply> {
  const headers: HeaderMap = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  const body = response.body === null ? undefined : await response.text();
  return body === undefined ? { status: response.status, headers } : { status: response.status, headers, body };
}
