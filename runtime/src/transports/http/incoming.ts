/**
 * The few things the HTTP core reads from a request. A Web `Request` (edge runtimes,
 * Bun, Deno, Hono) and a node:http `IncomingMessage` are both adapted to it, so the
 * node path never pays for building a `Request`.
 */
export interface IncomingHttp {
  readonly method: string;
  /** Path and query, such as `/mcp?x=1`. */
  readonly path: string;
  /** A header's value (lower-case name); repeated headers joined with ", ". */
  header(name: string): string | undefined;
  /** All headers, lower-cased, for handlers that want them (`ctx` extra). */
  headers(): Record<string, string | string[] | undefined>;
  /**
   * The body as text; `TOO_LARGE` once it passes `limit` bytes (reading stops there).
   * `onBytes`, when given, hears of each chunk as it arrives; returning false stops reading,
   * and the result is `OVER_BUDGET` (the server is holding too many bodies at once).
   */
  text(limit: number, onBytes?: (n: number) => boolean): Promise<string | typeof TOO_LARGE | typeof OVER_BUDGET>;
  /** A body some framework already parsed (Express's `express.json()`), used instead of `text`. */
  readonly parsedBody?: unknown;
}

export const TOO_LARGE: unique symbol = Symbol("body too large");
export const OVER_BUDGET: unique symbol = Symbol("bodies over budget");

/** Adapts a Web `Request`. */
export function fromWebRequest(request: Request): IncomingHttp {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname + url.search,
    // A Request made in code (tests, workers calling workers) may carry no Host header.
    header: (name) => request.headers.get(name) ?? (name === "host" ? url.host : undefined),
    headers: () => Object.fromEntries(request.headers),
    text: (limit, onBytes) => readWebBody(request, limit, onBytes),
  };
}

async function readWebBody(request: Request, limit: number, onBytes?: (n: number) => boolean): Promise<string | typeof TOO_LARGE | typeof OVER_BUDGET> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limit) return TOO_LARGE;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return TOO_LARGE;
    }
    if (onBytes && !onBytes(value.byteLength)) {
      await reader.cancel().catch(() => undefined);
      return OVER_BUDGET;
    }
    chunks.push(value);
  }
  return decodeChunks(chunks, size);
}

const decoder = new TextDecoder();

export function decodeChunks(chunks: Uint8Array[], size: number): string {
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return decoder.decode(all);
}
