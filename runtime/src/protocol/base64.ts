/**
 * Base64 without depending on Node's Buffer, so the server core also runs on edge
 * runtimes; Node's Buffer is used when present because it is much faster.
 */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

export function bytesToBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let binary = "";
  // Chunks keep String.fromCharCode's argument list within engine limits.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** base64url of an ASCII string (opaque cursors). */
export function asciiToBase64Url(s: string): string {
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The ASCII string behind a base64url value; undefined when it does not decode. */
export function base64UrlToAscii(s: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return undefined;
  try {
    return atob(s.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return undefined;
  }
}
