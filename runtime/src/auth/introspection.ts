import type { AuthInfo } from "../protocol/transport.js";
import { AuthError, envVar, sameUri, scopesOfClaims, type IntrospectionSettings, type TokenVerifier, type VerifyContext } from "./types.js";

export interface IntrospectionVerifierOptions extends IntrospectionSettings {
  /** Issuers accepted in `iss` when the response has one. */
  issuers?: string[];
  /** Seconds of clock skew allowed for `exp` and `nbf` (default 60). */
  clockToleranceSeconds?: number;
  fetch?: typeof fetch;
}

interface Cached {
  info: AuthInfo;
  until: number;
}

/**
 * Asks the authorization server about each token (RFC 7662): it must be `active`, name
 * this server in `aud`, come from an accepted issuer and not be expired. Positive
 * answers are cached for `cacheTtlMs`, never past the token's `exp`.
 */
export class IntrospectionVerifier implements TokenVerifier {
  private readonly cache = new Map<string, Cached>();
  private readonly fetchFn: typeof fetch;

  constructor(readonly options: IntrospectionVerifierOptions) {
    if (!options.endpoint) throw new Error("auth: the introspection verifier needs introspection.endpoint");
    this.fetchFn = options.fetch ?? ((...a) => fetch(...a));
  }

  prepare(): void {
    if (this.options.clientSecretEnv && !envVar(this.options.clientSecretEnv)) {
      throw new Error(`auth: the environment variable ${this.options.clientSecretEnv} (the introspection client secret) is not set`);
    }
  }

  async verify(token: string, context: VerifyContext): Promise<AuthInfo> {
    const now = Date.now();
    const hit = this.cache.get(token);
    if (hit && hit.until > now) return checkAudience(hit.info, context);
    if (hit) this.cache.delete(token);
    const claims = await this.introspect(token);
    if (claims.active !== true) throw new AuthError("invalid_token", "the access token is not active");
    const skew = (this.options.clockToleranceSeconds ?? 60) * 1000;
    if (typeof claims.exp === "number" && claims.exp * 1000 + skew <= now) throw new AuthError("invalid_token", "the access token expired");
    if (typeof claims.nbf === "number" && claims.nbf * 1000 - skew > now) throw new AuthError("invalid_token", "the access token is not valid yet (nbf)");
    const issuers = this.options.issuers ?? [];
    if (typeof claims.iss === "string" && issuers.length > 0 && !issuers.some((i) => sameUri(i, claims.iss as string))) {
      throw new AuthError("invalid_token", "the token's issuer is not accepted (iss)");
    }
    const info = toAuthInfo(token, claims);
    checkAudience(info, context);
    this.remember(token, info, now);
    return info;
  }

  private async introspect(token: string): Promise<Record<string, unknown>> {
    const o = this.options;
    const body = new URLSearchParams({ token, token_type_hint: "access_token" });
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    const secret = o.clientSecret ?? envVar(o.clientSecretEnv);
    if (o.clientId && secret !== undefined) {
      // client_secret_basic: both parts form-encoded first (RFC 6749 §2.3.1).
      headers.authorization = `Basic ${btoa(`${formEncode(o.clientId)}:${formEncode(secret)}`)}`;
    } else if (o.clientId) {
      body.set("client_id", o.clientId);
    }
    let response: Response;
    try {
      response = await this.fetchFn(o.endpoint, { method: "POST", headers, body, signal: AbortSignal.timeout(5000) });
    } catch (error) {
      throw new AuthError("temporarily_unavailable", `the introspection endpoint could not be reached: ${(error as Error).message}`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new AuthError("temporarily_unavailable", `the introspection endpoint answered ${response.status}`);
    }
    const claims = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!claims || typeof claims !== "object") throw new AuthError("temporarily_unavailable", "the introspection endpoint did not answer a JSON object");
    return claims;
  }

  private remember(token: string, info: AuthInfo, now: number): void {
    const ttl = this.options.cacheTtlMs ?? 60_000;
    if (ttl <= 0) return;
    const until = Math.min(now + ttl, info.expiresAt !== undefined ? info.expiresAt * 1000 : Infinity);
    if (until <= now) return;
    const max = this.options.cacheSize ?? 10_000;
    while (this.cache.size >= max) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(token, { info, until });
  }
}

const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");

function toAuthInfo(token: string, claims: Record<string, unknown>): AuthInfo {
  const info: AuthInfo = { token, scopes: scopesOfClaims(claims), claims };
  if (typeof claims.sub === "string") info.subject = claims.sub;
  if (typeof claims.client_id === "string") info.clientId = claims.client_id;
  if (typeof claims.exp === "number") info.expiresAt = claims.exp;
  if (typeof claims.iss === "string") info.issuer = claims.iss;
  if (claims.aud !== undefined) info.audience = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).map(String);
  return info;
}

/** RFC 8707: the token must have been issued for this server. */
function checkAudience(info: AuthInfo, context: VerifyContext): AuthInfo {
  const aud = info.audience ?? [];
  if (!aud.some((a) => context.audience.some((want) => sameUri(a, want)))) {
    throw new AuthError("invalid_token", "the access token was not issued for this server (aud)");
  }
  return info;
}
