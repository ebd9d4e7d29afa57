import { asciiToBase64Url, base64UrlToAscii } from "../protocol/base64.js";
import { invalidParams } from "../protocol/jsonrpc.js";

/**
 * Opaque cursors: base64url of the next offset. Clients must not interpret them,
 * and a cursor that does not decode is refused with -32602.
 */
export function paginate<T>(items: readonly T[], cursor: unknown, pageSize: number): { page: readonly T[]; nextCursor?: string } {
  let start = 0;
  if (cursor !== undefined) {
    if (typeof cursor !== "string") throw invalidParams("Invalid cursor: must be a string");
    const m = /^o:(\d{1,9})$/.exec(base64UrlToAscii(cursor) ?? "");
    if (!m) throw invalidParams("Invalid cursor");
    start = Number(m[1]);
  }
  if (start === 0 && items.length <= pageSize) return { page: items };
  const end = start + pageSize;
  const page = items.slice(start, end);
  return end < items.length ? { page, nextCursor: asciiToBase64Url(`o:${end}`) } : { page };
}
