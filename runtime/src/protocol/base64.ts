/**
 * Base64 without depending on Node's Buffer, so the server core also runs on edge
 * runtimes; Node's Buffer is used when present because it is much faster. Every base64
 * and base64url conversion in the runtime goes through here.
 */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

export function bytesToBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let binary = "";
  // Chunks keep String.fromCharCode's argument list within engine limits.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The bytes of a base64 value; undefined when it does not decode. Callers check the alphabet they allow. */
export function base64ToBytes(s: string): Uint8Array | undefined {
  try {
    const binary = atob(s);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

/** base64url without padding. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  return toUrlAlphabet(bytesToBase64(bytes));
}

/** The bytes of an unpadded base64url value; undefined when it is not one. */
export function base64UrlToBytes(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return undefined;
  return base64ToBytes(s.replaceAll("-", "+").replaceAll("_", "/"));
}

/** base64url of an ASCII string (opaque cursors). */
export function asciiToBase64Url(s: string): string {
  return toUrlAlphabet(btoa(s));
}

/** The ASCII string behind a base64url value; undefined when it does not decode. */
export function base64UrlToAscii(s: string): string | undefined {
  const bytes = base64UrlToBytes(s);
  return bytes && String.fromCharCode(...bytes);
}

function toUrlAlphabet(b64: string): string {
  return b64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
