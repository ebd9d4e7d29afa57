import { authorizationServerMetadataUrls } from "../protocol/oauth-metadata.js";
import { AuthError, sameUri } from "./types.js";

const TIMEOUT_MS = 5000;
/** A failed discovery is retried no sooner than this. */
const RETRY_AFTER_MS = 10_000;

/**
 * Authorization server metadata by issuer, fetched once and kept. A failure is kept for
 * a few seconds (so an outage does not turn every request into three fetches), then
 * retried.
 */
export class IssuerMetadataCache {
  private readonly cache = new Map<string, { value?: Promise<Record<string, unknown>>; failedAt?: number; error?: unknown }>();

  constructor(private readonly fetchFn: typeof fetch = (...a) => fetch(...a)) {}

  get(issuer: string): Promise<Record<string, unknown>> {
    const hit = this.cache.get(issuer);
    if (hit?.value) return hit.value;
    if (hit?.failedAt !== undefined && Date.now() - hit.failedAt < RETRY_AFTER_MS) return Promise.reject(hit.error);
    const value = this.discover(issuer);
    const entry: { value?: Promise<Record<string, unknown>>; failedAt?: number; error?: unknown } = { value };
    this.cache.set(issuer, entry);
    value.catch((error) => {
      entry.value = undefined;
      entry.failedAt = Date.now();
      entry.error = error;
    });
    return value;
  }

  private async discover(issuer: string): Promise<Record<string, unknown>> {
    const tried: string[] = [];
    for (const url of authorizationServerMetadataUrls(issuer)) {
      let response: Response;
      try {
        response = await this.fetchFn(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (error) {
        throw new AuthError("temporarily_unavailable", `could not fetch ${url}: ${(error as Error).message}`);
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        tried.push(`${url} (${response.status})`);
        if (response.status >= 500) throw new AuthError("temporarily_unavailable", `${url} answered ${response.status}`);
        continue;
      }
      const doc = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      if (!doc || typeof doc !== "object") throw new AuthError("temporarily_unavailable", `${url} did not answer a JSON object`);
      // RFC 8414 §3.3: the document must be the issuer's own.
      if (typeof doc.issuer !== "string" || !sameUri(doc.issuer, issuer)) {
        throw new AuthError("temporarily_unavailable", `${url} names issuer ${JSON.stringify(doc.issuer)}, not ${issuer}`);
      }
      return doc;
    }
    throw new AuthError("temporarily_unavailable", `no authorization server metadata for ${issuer} (tried ${tried.join(", ")})`);
  }
}
