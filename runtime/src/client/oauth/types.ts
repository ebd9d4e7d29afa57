/*
 * The OAuth documents and records the client side of MCP authorization deals with:
 * protected resource metadata (RFC 9728), authorization server metadata (RFC 8414 /
 * OpenID Connect Discovery), client registration (RFC 7591, client ID metadata
 * documents) and token responses (OAuth 2.1).
 */

/** RFC 9728 protected resource metadata, as an MCP server publishes it. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers?: string[];
  scopes_supported?: string[];
  bearer_methods_supported?: string[];
  resource_name?: string;
  [key: string]: unknown;
}

/** RFC 8414 authorization server metadata (an OpenID provider configuration is a superset). */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint?: string;
  scopes_supported?: string[];
  response_types_supported?: string[];
  grant_types_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  code_challenge_methods_supported?: string[];
  /** RFC 9207: the AS puts `iss` in every authorization response. */
  authorization_response_iss_parameter_supported?: boolean;
  /** The AS accepts an https URL of a client ID metadata document as `client_id`. */
  client_id_metadata_document_supported?: boolean;
  [key: string]: unknown;
}

/** RFC 7591 client metadata: what a client says about itself when it registers. */
export interface OAuthClientMetadata {
  client_name?: string;
  redirect_uris: string[];
  grant_types?: string[];
  response_types?: string[];
  token_endpoint_auth_method?: string;
  /** `native` (loopback or custom-scheme redirects) or `web` (SEP-837). */
  application_type?: string;
  scope?: string;
  client_uri?: string;
  logo_uri?: string;
  software_id?: string;
  software_version?: string;
  [key: string]: unknown;
}

/**
 * The client's identity at one authorization server: pre-registered, the result of
 * dynamic registration, or a client ID metadata document URL.
 */
export interface OAuthClientInformation {
  client_id: string;
  client_secret?: string;
  /** `client_secret_basic`, `client_secret_post` or `none`; chosen from the AS metadata when absent. */
  token_endpoint_auth_method?: string;
  /** Unix seconds; 0 or absent: the secret does not expire. */
  client_secret_expires_at?: number;
  /**
   * The authorization server (issuer) this identity belongs to. A pre-registered client
   * with an issuer is only ever shown to that server; without one it is used with any.
   */
  issuer?: string;
  [key: string]: unknown;
}

/** What the token endpoint answers (OAuth 2.1 §3.2.3). */
export interface OAuthTokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  [key: string]: unknown;
}

/** Tokens as kept in a TokenStorage: the response plus what they are bound to. */
export interface StoredTokens {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  /** Epoch milliseconds after which the access token is considered expired. */
  expires_at?: number;
  /** The scope granted (the token response's `scope`), else the scope requested. */
  scope?: string;
  /** The scope this client asked for (kept to compute step-up unions). */
  requested_scope?: string;
  /** The issuer that issued them: a refresh token is only ever sent back there. */
  issuer: string;
  /** The `resource` value they were requested for (RFC 8707). */
  resource?: string;
}

/** An OAuth failure: an error response from the AS, or a check the client refused to skip. */
export class OAuthError extends Error {
  constructor(
    /** The OAuth error code (`invalid_grant`…) or one of this client's own (`resource_mismatch`, `issuer_mismatch`…). */
    readonly code: string,
    message: string,
    readonly details: { httpStatus?: number; url?: string; description?: string } = {},
  ) {
    super(message);
    this.name = "OAuthError";
  }
}
