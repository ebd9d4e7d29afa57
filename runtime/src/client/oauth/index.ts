/**
 * OAuth for the MCP client (edge-safe: Web Crypto and fetch only). FileTokenStorage,
 * which needs node:fs, is exported from the package's Node entry only.
 */
export {
  OAuthClientProvider,
  followAuthorizationRedirect,
  type AuthProvider,
  type AuthChallenge,
  type AuthorizationRequest,
  type AuthorizationContext,
  type OAuthClientOptions,
} from "./provider.js";
export { MemoryTokenStorage, type TokenStorage } from "./storage.js";
export {
  OAuthError,
  type AuthorizationServerMetadata,
  type OAuthClientInformation,
  type OAuthClientMetadata,
  type OAuthTokenResponse,
  type ProtectedResourceMetadata,
  type StoredTokens,
} from "./types.js";
export {
  parseWwwAuthenticate,
  bearerChallenge,
  discoverProtectedResource,
  discoverAuthorizationServer,
  protectedResourceMetadataUrls,
  authorizationServerMetadataUrls,
  resourceMatches,
  canonicalResource,
  type AuthChallengeParams,
  type ResourceDiscovery,
  type AuthorizationServerDiscovery,
} from "./discovery.js";
export { createPkce, s256Challenge } from "./pkce.js";
