/**
 * The server side of MCP authorization: an HTTP endpoint as an OAuth 2.1 protected
 * resource (RFC 9728 metadata, bearer tokens checked as JWTs, by introspection, as API
 * keys or by your own function, per-item scopes). Edge-safe: Web Crypto and fetch only;
 * `jose` (JWTs) is loaded when first needed.
 */
export {
  AuthError,
  type AuthErrorCode,
  type AuthOptions,
  type ApiKeySettings,
  type IntrospectionSettings,
  type JwtSettings,
  type TokenVerifier,
  type VerifyContext,
  type VerifyTokenFn,
} from "./types.js";
export { JwtVerifier, DEFAULT_JWT_ALGORITHMS, type JwtVerifierOptions } from "./jwt.js";
export { IntrospectionVerifier, type IntrospectionVerifierOptions } from "./introspection.js";
export { ApiKeyVerifier, DEFAULT_API_KEY_HEADER } from "./api-key.js";
export { ProtectedResource, createVerifier, PRM_PATH, type ProtectedResourceDocument } from "./resource-server.js";
export { INSUFFICIENT_SCOPE } from "../server/scopes.js";
