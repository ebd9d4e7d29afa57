import type { AuthInfo } from "../protocol/transport.js";
import { envVar, type ApiKeySettings, type TokenVerifier, type VerifyContext } from "./types.js";

export const DEFAULT_API_KEY_HEADER = "x-api-key";

const encoder = new TextEncoder();
const digest = async (s: string) => new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(s)));

/**
 * Static API keys, from `keys` and the environment variable `env` (comma-separated).
 * Keys are compared as SHA-256 digests, byte by byte without stopping early and against
 * every key, so timing reveals neither a key nor which one matched. A valid key grants
 * `scopes` (default: every scope the server knows).
 */
export class ApiKeyVerifier implements TokenVerifier {
  private digests?: Promise<Uint8Array[]>;

  constructor(readonly options: ApiKeySettings) {}

  get header(): string {
    return (this.options.header ?? DEFAULT_API_KEY_HEADER).toLowerCase();
  }

  /** The accepted keys (read from the environment once). */
  keys(): string[] {
    const fromEnv = (envVar(this.options.env) ?? "").split(",").map((k) => k.trim()).filter(Boolean);
    return [...(this.options.keys ?? []), ...fromEnv];
  }

  prepare(): void {
    if (this.keys().length === 0) {
      throw new Error(`auth: no API key is configured${this.options.env ? ` (set ${this.options.env})` : ""}: every request will be refused`);
    }
  }

  async verify(key: string, context: VerifyContext): Promise<AuthInfo | undefined> {
    this.digests ??= Promise.all(this.keys().map(digest));
    const [known, presented] = await Promise.all([this.digests, digest(key)]);
    let match = -1;
    for (let i = 0; i < known.length; i++) {
      let diff = 0;
      const k = known[i]!;
      for (let j = 0; j < k.length; j++) diff |= k[j]! ^ presented[j]!;
      // Branch-free select: the loop runs over every key whatever matched.
      match = diff === 0 && match < 0 ? i : match;
    }
    if (match < 0) return undefined;
    return { subject: `api-key:${match + 1}`, clientId: "api-key", scopes: this.options.scopes ?? context.supportedScopes };
  }
}
