/*
 * PKCE (RFC 7636, S256) and random values, with Web Crypto only (Node 20+, browsers,
 * edge runtimes).
 */

import { bytesToBase64Url } from "../../protocol/base64.js";

/** `n` random bytes as base64url: 32 bytes give 43 characters (a valid code_verifier). */
export function randomToken(n = 32): string {
  return bytesToBase64Url(crypto.getRandomValues(new Uint8Array(n)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))). */
export async function s256Challenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return bytesToBase64Url(new Uint8Array(digest));
}

/** A fresh verifier and its S256 challenge. */
export async function createPkce(): Promise<{ verifier: string; challenge: string; method: "S256" }> {
  const verifier = randomToken(32);
  return { verifier, challenge: await s256Challenge(verifier), method: "S256" };
}
