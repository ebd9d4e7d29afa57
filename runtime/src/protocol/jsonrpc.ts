/**
 * JSON-RPC 2.0 message shapes and the MCP error type.
 *
 * Kept as plain interfaces (no schema library): envelopes are checked by hand in
 * `envelope.ts`, which is cheaper than a generic validator on the hot path.
 */

export type RequestId = string | number;

export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcNotification {
  jsonrpc: "2.0";
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcSuccess {
  jsonrpc: "2.0";
  id: RequestId;
  result: Record<string, unknown>;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcFailure {
  jsonrpc: "2.0";
  id: RequestId | null;
  error: JsonRpcErrorObject;
}

export type JsonRpcResponse = JsonRpcSuccess | JsonRpcFailure;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** Standard JSON-RPC codes plus the MCP-specific ones the runtime raises. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** Transport-level failure (the official SDK uses the same code). */
  ConnectionClosed: -32000,
  RequestTimeout: -32001,
  ResourceNotFound: -32002,
  UrlElicitationRequired: -32042,
  /** 2026-07-28: an HTTP header disagrees with the body, or a required one is missing (HTTP 400). */
  HeaderMismatch: -32020,
  /** 2026-07-28: the request needs a client capability it did not declare (HTTP 400); data.requiredCapabilities. */
  MissingRequiredClientCapability: -32021,
  /** 2026-07-28: the requested protocol version is not served here (HTTP 400); data {supported, requested}. */
  UnsupportedProtocolVersion: -32022,
} as const;

/**
 * An error that reaches the peer as a JSON-RPC error object. Anything else a handler
 * throws becomes -32603 with a generic message, so internals never leak to the wire.
 */
export class McpError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = "McpError";
    this.code = code;
    this.data = data;
  }
  toJSON(): JsonRpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

export const invalidParams = (message: string, data?: unknown) =>
  new McpError(ErrorCode.InvalidParams, message, data);
