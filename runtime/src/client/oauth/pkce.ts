/*
 * PKCE (RFC 7636, S256) and random values, with Web Crypto only (Node 20+, browsers,
 * edge runtimes).
 */

/** base64url without padding of raw bytes. */
export function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** `n` random bytes as base64url: 32 bytes give 43 characters (a valid code_verifier). */
export function randomToken(n = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(n)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))). */
export async function s256Challenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** A fresh verifier and its S256 challenge. */
export async function createPkce(): Promise<{ verifier: string; challenge: string; method: "S256" }> {
  const verifier = randomToken(32);
  return { verifier, challenge: await s256Challenge(verifier), method: "S256" };
}
