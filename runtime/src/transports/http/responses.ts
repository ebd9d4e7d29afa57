import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";
import type { SseWriter } from "./sse.js";

export type HeaderMap = Record<string, string>;

/** Bodies we made from a string, so the node adapter can write them without reading a stream. */
const textBodies = new WeakMap<Response, string>();

export function textBodyOf(response: Response): string | undefined {
  return textBodies.get(response);
}

/**
 * A JSON body; `Content-Type` and the extra headers are set in one go. The body is kept
 * as text beside a body-less Response: the node adapter writes the text as it is, and
 * `withBody` builds the body stream (which costs more than the rest of a small request)
 * only for a consumer that reads Responses.
 */
export function jsonResponse(status: number, body: JsonRpcMessage | JsonRpcMessage[] | Record<string, unknown>, headers?: HeaderMap): Response {
  const text = JSON.stringify(body);
  const response = new Response(null, {
    status,
    headers: headers ? { "content-type": "application/json", ...headers } : { "content-type": "application/json" },
  });
  textBodies.set(response, text);
  return response;
}

/** SSE bodies not yet taken: the node adapter attaches to the writer, others read its stream. */
const sseBodies = new WeakMap<Response, SseWriter>();

/** A 200 whose body is the events `writer` writes (`headers` should include the SSE ones). */
export function sseResponse(writer: SseWriter, headers: HeaderMap): Response {
  const response = new Response(null, { status: 200, headers });
  sseBodies.set(response, writer);
  return response;
}

export function sseWriterOf(response: Response): SseWriter | undefined {
  return sseBodies.get(response);
}

/** The Response with its body in place, as any reader of Responses expects it. */
export function withBody(response: Response): Response {
  if (response.body !== null) return response;
  const writer = sseBodies.get(response);
  if (writer) return new Response(writer.body, { status: response.status, statusText: response.statusText, headers: response.headers });
  const text = textBodies.get(response);
  if (text === undefined) return response;
  const full = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  textBodies.set(full, text);
  return full;
}

/**
 * An HTTP error with a JSON-RPC error body, as the official SDKs send, so a client
 * can show the reason whichever layer it reads.
 */
export function httpError(status: number, code: number, message: string, headers?: HeaderMap, data?: unknown): Response {
  const error: { code: number; message: string; data?: unknown } = { code, message };
  if (data !== undefined) error.data = data;
  return jsonResponse(status, { jsonrpc: "2.0", id: null, error }, headers);
}

export function emptyResponse(status: number, headers?: HeaderMap): Response {
  return new Response(null, { status, headers });
}
