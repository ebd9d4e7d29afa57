/**
 * `requestState` of input-required round trips (2026-07-28 MRTR): what a server hands the
 * client to echo back on the retry. The client controls what it echoes, so the state is
 * sealed: HMAC-SHA256 (WebCrypto, so it runs on edge runtimes too) under a server
 * secret, with an expiry, and bound to the request it belongs to (method, item name or
 * URI, a hash of the arguments, and the caller's identity when authenticated). A state
 * that was altered, has expired, or comes back with a different request is refused
 * with -32602.
 *
 * The state is not encrypted: it carries the answers of earlier rounds, which the client
 * itself gave. Put nothing secret in it.
 */
import { base64UrlToBytes, bytesToBase64Url } from "../protocol/base64.js";
import { ErrorCode, McpError } from "../protocol/jsonrpc.js";

export interface RequestStateOptions {
  /**
   * The HMAC key: a string (UTF-8) or bytes, at least 32 bytes. Default: the
   * `MCP_REQUEST_STATE_SECRET` environment variable, else a random key per process,
   * in which case a state only verifies in the process that made it (set a shared
   * secret when replicas sit behind a load balancer).
   */
  secret?: string | Uint8Array;
  /** How long a state stays valid, in ms (default 10 minutes). */
  ttlMs?: number;
}

/** What a sealed state carries. */
export interface RequestStatePayload {
  /** Answers of earlier rounds, by input key. */
  answers: Record<string, unknown>;
  /** Rounds completed so far. */
  round: number;
  /** Data the handler chose to carry across rounds (`ctx.requestState`). */
  data?: unknown;
}

interface Sealed {
  v: 1;
  /** Binding: hash of the request this state belongs to. */
  b: string;
  /** Expiry, ms since the epoch. */
  e: number;
  r: Record<string, unknown>;
  n: number;
  d?: unknown;
}

const DEFAULT_TTL_MS = 10 * 60_000;
const MIN_SECRET_BYTES = 32;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Seals and opens request states with one key. */
export class RequestStateCodec {
  private key?: Promise<CryptoKey>;
  readonly ttlMs: number;
  private readonly secret: Uint8Array;

  constructor(options: RequestStateOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    const configured = options.secret ?? envSecret();
    if (configured === undefined) {
      this.secret = crypto.getRandomValues(new Uint8Array(32));
    } else {
      this.secret = typeof configured === "string" ? encoder.encode(configured) : configured;
      if (this.secret.byteLength < MIN_SECRET_BYTES) {
        throw new Error(`The request-state secret must be at least ${MIN_SECRET_BYTES} bytes (MCP_REQUEST_STATE_SECRET or requestState.secret)`);
      }
    }
  }

  private hmacKey(): Promise<CryptoKey> {
    this.key ??= crypto.subtle.importKey("raw", this.secret as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    return this.key;
  }

  /** A state for the request `binding` names, valid for `ttlMs`. */
  async seal(payload: RequestStatePayload, binding: string, now = Date.now()): Promise<string> {
    const sealed: Sealed = { v: 1, b: binding, e: now + this.ttlMs, r: payload.answers, n: payload.round };
    if (payload.data !== undefined) sealed.d = payload.data;
    const body = bytesToBase64Url(encoder.encode(JSON.stringify(sealed)));
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await this.hmacKey(), encoder.encode(`mcp-rs1.${body}`)));
    return `${body}.${bytesToBase64Url(mac)}`;
  }

  /** The payload of a state made here for this same request; -32602 otherwise. */
  async open(state: string, binding: string, now = Date.now()): Promise<RequestStatePayload> {
    const dot = state.indexOf(".");
    const body = dot < 0 ? undefined : state.slice(0, dot);
    const mac = dot < 0 ? undefined : base64UrlToBytes(state.slice(dot + 1));
    if (!body || !mac?.length || !/^[A-Za-z0-9_-]+$/.test(body)) throw invalidState("it is malformed");
    const ok = await crypto.subtle.verify("HMAC", await this.hmacKey(), mac as BufferSource, encoder.encode(`mcp-rs1.${body}`));
    if (!ok) throw invalidState("its integrity check failed");
    let sealed: Sealed;
    try {
      sealed = JSON.parse(decoder.decode(base64UrlToBytes(body)!)) as Sealed;
    } catch {
      throw invalidState("it is malformed");
    }
    if (sealed.v !== 1 || typeof sealed.e !== "number" || typeof sealed.r !== "object" || sealed.r === null) throw invalidState("it is malformed");
    if (sealed.e <= now) throw invalidState("it has expired; start the request again without requestState");
    if (sealed.b !== binding) throw invalidState("it belongs to a different request");
    const payload: RequestStatePayload = { answers: sealed.r, round: typeof sealed.n === "number" ? sealed.n : 0 };
    if (sealed.d !== undefined) payload.data = sealed.d;
    return payload;
  }
}

const invalidState = (why: string) => new McpError(ErrorCode.InvalidParams, `Invalid requestState: ${why}`);

function envSecret(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.MCP_REQUEST_STATE_SECRET;
  return v === undefined || v === "" ? undefined : v;
}

/**
 * What a state is bound to: the method, the item it names, the arguments (keys sorted, so
 * equal arguments hash equal) and who is asking. Taken when the request arrives, before
 * validation fills in defaults; `hashBinding` makes the SHA-256 only when a state is used.
 */
export function requestBindingText(method: string, target: unknown, args: unknown, principal: string | undefined): string {
  return JSON.stringify([method, target ?? null, canonical(args ?? {}), principal ?? null]);
}

export async function hashBinding(text: string): Promise<string> {
  return bytesToBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text))));
}

/**
 * A JSON value with object keys sorted, for hashing. The copies have no prototype, so
 * an own `"__proto__"` key (JSON.parse makes one) is kept as data: assigning it to a
 * plain object would set the copy's prototype instead, and drop it from the hash.
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(value).sort()) out[k] = canonical((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}
