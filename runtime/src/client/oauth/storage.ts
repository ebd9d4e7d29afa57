import type { OAuthClientInformation, StoredTokens } from "./types.js";

/**
 * Where an OAuth client keeps what it must not lose between runs: tokens per MCP server
 * (resource) and its registration per authorization server (issuer). Registrations are
 * keyed by issuer so credentials from one authorization server are never shown to
 * another. Methods may be synchronous or return promises.
 */
export interface TokenStorage {
  /** Tokens for the MCP server `resource` (its URL), if any. */
  getTokens(resource: string): StoredTokens | undefined | Promise<StoredTokens | undefined>;
  /** Saves tokens for `resource`; undefined forgets them. */
  setTokens(resource: string, tokens: StoredTokens | undefined): void | Promise<void>;
  /** The registration (dynamic, or saved from earlier) at the authorization server `issuer`. */
  getClient(issuer: string): OAuthClientInformation | undefined | Promise<OAuthClientInformation | undefined>;
  /** Saves a registration for `issuer`; undefined forgets it. */
  setClient(issuer: string, client: OAuthClientInformation | undefined): void | Promise<void>;
}

/** The default storage: a process's memory (everything is gone when it exits). */
export class MemoryTokenStorage implements TokenStorage {
  readonly tokens = new Map<string, StoredTokens>();
  readonly clients = new Map<string, OAuthClientInformation>();

  getTokens(resource: string): StoredTokens | undefined {
    return this.tokens.get(resource);
  }
  setTokens(resource: string, tokens: StoredTokens | undefined): void {
    if (tokens) this.tokens.set(resource, tokens);
    else this.tokens.delete(resource);
  }
  getClient(issuer: string): OAuthClientInformation | undefined {
    return this.clients.get(issuer);
  }
  setClient(issuer: string, client: OAuthClientInformation | undefined): void {
    if (client) this.clients.set(issuer, client);
    else this.clients.delete(issuer);
  }
}
