import type { JsonRpcMessage, RequestId } from "./jsonrpc.js";

/**
 * Extra facts a transport knows about an incoming message (HTTP headers, the caller's
 * verified identity). stdio leaves it empty.
 */
export interface MessageExtra {
  authInfo?: AuthInfo;
  /** Raw request headers, lower-cased (HTTP transports). */
  headers?: Record<string, string | string[] | undefined>;
}

/** Identity of the caller, filled in by the auth layer of HTTP transports (`ctx.auth`). */
export interface AuthInfo {
  /** The access token as presented (absent for API keys). */
  token?: string;
  /** Who the token is about (`sub`). */
  subject?: string;
  /** The OAuth client it was issued to (`client_id`, `azp`). */
  clientId?: string;
  /** Scopes granted (`scope` / `scp`). */
  scopes: string[];
  /** Expiry, in seconds since the epoch (`exp`). */
  expiresAt?: number;
  /** The token's issuer (`iss`). */
  issuer?: string;
  /** The audiences it was issued for (`aud`). */
  audience?: string[];
  /** Every claim of a JWT, or the introspection response. */
  claims?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface TransportSink {
  /** A parsed JSON value: the engine checks the envelope, so a transport never has to. */
  message(message: unknown, extra?: MessageExtra): void;
  /** The transport could not parse a frame as JSON; the engine answers -32700. */
  parseError(detail: string): void;
  /** A frame was refused before parsing (too large); the engine answers -32600. */
  invalidFrame?(detail: string): void;
  closed(): void;
  /**
   * Requests being handled that do not wait on the other side (answers to our own
   * requests): a transport that reads faster than they finish can stop reading.
   */
  backlog?(): number;
}

export interface SendOptions {
  /** The incoming request this message belongs to (HTTP sends it on that request's stream). */
  relatedRequestId?: RequestId;
}

/** The one interface every transport implements; it is all the engine needs. */
export interface Transport {
  start(sink: TransportSink): void | Promise<void>;
  send(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions): void | Promise<void>;
  close(): Promise<void>;
  readonly sessionId?: string;
  /** Told the negotiated revision after initialize (HTTP clients send it as `MCP-Protocol-Version`). */
  setProtocolVersion?(version: string): void;
  /**
   * Ends the SSE stream carrying a request's replies (HTTP only), so the client polls:
   * it reconnects after `retry` and gets what it missed from the event store.
   */
  closeRequestStream?(requestId: RequestId): void;
  /** Told each time a request finishes (the sink's `backlog` went down). */
  requestFinished?(): void;
}

/**
 * The smallest output limit a transport uses, whatever it is configured with. Senders over the
 * limit wait for the stream's 'drain', and Node emits 'drain' only after a write found the
 * stream past its high-water mark (16 KiB on Node 20, 64 KiB on Node 22): a lower limit would
 * wait for a 'drain' that never comes.
 */
export const MIN_BUFFERED_BYTES = 64 * 1024;
