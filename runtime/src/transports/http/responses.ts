import type { JsonRpcMessage } from "../../protocol/jsonrpc.js";

export type HeaderMap = Record<string, string>;

/** Bodies we made from a string, so the node adapter can write them without reading a stream. */
const textBodies = new WeakMap<Response, string>();

export function textBodyOf(response: Response): string | undefined {
  return textBodies.get(response);
}

/** A JSON body; `Content-Type` and the extra headers are set in one go. */
export function jsonResponse(status: number, body: JsonRpcMessage | JsonRpcMessage[] | Record<string, unknown>, headers?: HeaderMap): Response {
  const text = JSON.stringify(body);
  const response = new Response(text, {
    status,
    headers: headers ? { "content-type": "application/json", ...headers } : { "content-type": "application/json" },
  });
  textBodies.set(response, text);
  return response;
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
