import type { AuthInfo } from "../protocol/transport.js";
import { IssuerMetadataCache } from "./discovery.js";
import { AuthError, sameUri, scopesOfClaims, withSlashVariants, type JwtSettings, type TokenVerifier, type VerifyContext } from "./types.js";

// Only the types: `jose` is an optional peer dependency, loaded when a JWT verifier is first used.
type Jose = typeof import("jose");
type RemoteKeySet = ReturnType<Jose["createRemoteJWKSet"]>;

export const DEFAULT_JWT_ALGORITHMS = ["RS256", "ES256", "EdDSA"];
const HMAC = /^HS(256|384|512)$/;

export interface JwtVerifierOptions extends JwtSettings {
  /** Issuers whose tokens are accepted (`iss` must be one of them). */
  issuers: string[];
  /** Accepted signature algorithms (default RS256, ES256, EdDSA; HS256 with a `secret`). */
  algorithms?: string[];
  fetch?: typeof fetch;
}

const MISSING_JOSE = 'The JWT verifier needs the "jose" package: npm install jose';

/** Loads `jose` by a name bundlers leave alone, so apps without JWT auth need not install it. */
async function loadJose(given: unknown): Promise<Jose> {
  if (given) return given as Jose;
  const name = "jose";
  try {
    return (await import(name)) as Jose;
  } catch (error) {
    throw new Error(MISSING_JOSE, { cause: error });
  }
}

/**
 * Verifies JWT access tokens (RFC 9068): the signature with the issuer's keys (its JWKS,
 * found through its metadata and cached; an unknown `kid` refetches it, so rotation
 * works), `iss` among the configured issuers, `aud` naming this server (RFC 8707),
 * `exp` and `nbf` with some clock skew, and only the listed algorithms.
 */
export class JwtVerifier implements TokenVerifier {
  private jose?: Promise<Jose>;
  private readonly keySets = new Map<string, Promise<RemoteKeySet>>();
  private readonly metadata: IssuerMetadataCache;
  private readonly algorithms: string[];
  private readonly secret?: Uint8Array;

  constructor(readonly options: JwtVerifierOptions) {
    this.metadata = new IssuerMetadataCache(options.fetch);
    if (options.secret !== undefined) {
      this.secret = typeof options.secret === "string" ? new TextEncoder().encode(options.secret) : options.secret;
      this.algorithms = (options.algorithms ?? ["HS256"]).filter((a) => HMAC.test(a));
      if (this.algorithms.length === 0) throw new Error("auth: with a shared secret, algorithms must list HS256, HS384 or HS512");
    } else {
      const listed = options.algorithms ?? DEFAULT_JWT_ALGORITHMS;
      const symmetric = listed.filter((a) => HMAC.test(a));
      if (symmetric.length > 0) throw new Error(`auth: ${symmetric.join(", ")} need a shared secret (auth.secret); an issuer's public keys cannot check them`);
      this.algorithms = listed.filter((a) => a.toLowerCase() !== "none");
    }
    if (this.algorithms.length === 0) throw new Error("auth: no JWT algorithm to accept");
    if (options.issuers.length === 0 && !options.jwksUri && !this.secret) throw new Error("auth: the JWT verifier needs authorizationServers (or a jwksUri)");
  }

  prepare(): Promise<void> {
    return this.loadJose().then(() => undefined);
  }

  private loadJose(): Promise<Jose> {
    this.jose ??= loadJose(this.options.jose);
    return this.jose;
  }

  async verify(token: string, context: VerifyContext): Promise<AuthInfo> {
    const jose = await this.loadJose();
    let claims: Record<string, unknown>;
    let header: Record<string, unknown>;
    try {
      claims = jose.decodeJwt(token) as Record<string, unknown>;
      header = jose.decodeProtectedHeader(token) as Record<string, unknown>;
    } catch {
      throw new AuthError("invalid_token", "the access token is not a well-formed JWT");
    }
    if (typeof header.alg !== "string" || !this.algorithms.includes(header.alg)) {
      throw new AuthError("invalid_token", `the token's algorithm ${JSON.stringify(header.alg)} is not accepted`);
    }
    const issuer = this.issuerOf(claims.iss);
    const keys = this.secret ? undefined : await this.keySet(issuer);
    const checks = {
      algorithms: this.algorithms,
      issuer: issuer === undefined ? undefined : withSlashVariants([issuer]),
      audience: withSlashVariants(context.audience),
      clockTolerance: this.options.clockToleranceSeconds ?? 60,
      requiredClaims: this.options.requiredClaims ?? ["exp"],
    };
    try {
      const { payload } = keys ? await jose.jwtVerify(token, keys, checks) : await jose.jwtVerify(token, this.secret!, checks);
      return toAuthInfo(token, payload as Record<string, unknown>);
    } catch (error) {
      throw joseError(error);
    }
  }

  /** The configured issuer a token names; an unknown one is refused before any key is fetched. */
  private issuerOf(iss: unknown): string | undefined {
    const issuers = this.options.issuers;
    if (issuers.length === 0) return undefined;
    const found = typeof iss === "string" ? issuers.find((i) => sameUri(i, iss)) : undefined;
    if (!found) throw new AuthError("invalid_token", `the token's issuer ${JSON.stringify(iss ?? null)} is not accepted`);
    return found;
  }

  private keySet(issuer: string | undefined): Promise<RemoteKeySet> {
    const id = this.options.jwksUri ?? issuer!;
    let set = this.keySets.get(id);
    if (!set) {
      set = (async () => {
        const jose = await this.loadJose();
        let uri = this.options.jwksUri;
        if (!uri) {
          const meta = await this.metadata.get(issuer!);
          if (typeof meta.jwks_uri !== "string") throw new AuthError("temporarily_unavailable", `the metadata of ${issuer} has no jwks_uri`);
          uri = meta.jwks_uri;
        }
        const options: Record<PropertyKey, unknown> = {
          cooldownDuration: this.options.jwksCooldownMs ?? 30_000,
          cacheMaxAge: this.options.jwksCacheMaxAgeMs ?? 600_000,
          timeoutDuration: 5000,
        };
        if (this.options.fetch) options[jose.customFetch] = this.options.fetch;
        return jose.createRemoteJWKSet(new URL(uri), options);
      })();
      this.keySets.set(id, set);
      // A failed discovery is not kept: the metadata cache decides when to try again.
      set.catch(() => this.keySets.delete(id));
    }
    return set;
  }
}

function toAuthInfo(token: string, claims: Record<string, unknown>): AuthInfo {
  const info: AuthInfo = { token, scopes: scopesOfClaims(claims), claims };
  if (typeof claims.sub === "string") info.subject = claims.sub;
  const clientId = claims.client_id ?? claims.azp ?? claims.appid;
  if (typeof clientId === "string") info.clientId = clientId;
  if (typeof claims.exp === "number") info.expiresAt = claims.exp;
  if (typeof claims.iss === "string") info.issuer = claims.iss;
  if (claims.aud !== undefined) info.audience = Array.isArray(claims.aud) ? (claims.aud as string[]) : [String(claims.aud)];
  return info;
}

/** jose's errors as OAuth ones, with a description a developer can act on. */
function joseError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  const e = error as { code?: string; claim?: string; reason?: string; message?: string };
  switch (e.code) {
    case "ERR_JWT_EXPIRED":
      return new AuthError("invalid_token", "the access token expired");
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      if (e.claim === "nbf") return new AuthError("invalid_token", "the access token is not valid yet (nbf)");
      if (e.claim === "aud") return new AuthError("invalid_token", "the access token was not issued for this server (aud)");
      if (e.claim === "iss") return new AuthError("invalid_token", "the token's issuer is not accepted (iss)");
      return new AuthError("invalid_token", `the access token's ${e.claim ?? "claims"} claim is not valid: ${e.message}`);
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return new AuthError("invalid_token", "the access token's signature is not valid");
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return new AuthError("invalid_token", "the token's algorithm is not accepted");
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return new AuthError("invalid_token", "the access token is signed with a key the issuer does not publish");
    case "ERR_JWKS_TIMEOUT":
      return new AuthError("temporarily_unavailable", "the issuer's keys could not be fetched in time");
    case "ERR_JWKS_INVALID":
      return new AuthError("temporarily_unavailable", `the issuer's JWKS is not valid: ${e.message}`);
    case "ERR_JWT_INVALID":
    case "ERR_JWS_INVALID":
    case "ERR_JOSE_NOT_SUPPORTED":
      return new AuthError("invalid_token", `the access token is not valid: ${e.message}`);
    default:
      // A network failure fetching the JWKS, or another surprise: not the caller's fault.
      return new AuthError("temporarily_unavailable", `the access token could not be checked: ${e.message ?? String(error)}`);
  }
}
