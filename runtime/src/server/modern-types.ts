/**
 * The shapes of the 2026-07-28 era that lower modules name: what a request's `_meta`
 * says about its client (the context and session read it) and the cache hints of the
 * server's options. Kept apart from modern.ts, which dispatches such requests and so
 * sits above the session; these types depend on nothing but the protocol.
 */
import type { CacheHint, ClientCapabilities, Implementation, LoggingLevel } from "../protocol/types.js";

/** What a 2026-07-28 request says about its client, from its `_meta`. */
export interface ModernEnvelope {
  protocolVersion: string;
  clientCapabilities: ClientCapabilities;
  clientInfo?: Implementation;
  /** The lowest level the client wants `notifications/message` for; none when absent. */
  logLevel?: LoggingLevel;
}

/**
 * Cache hints for 2026-07-28 results. Each list (and discovery, and resources/read)
 * takes the most specific of: the resource's own `cache`, the list's entry here, the
 * top-level `ttlMs`/`scope`, the defaults (`ttlMs: 0`, `scope: "private"`: immediately
 * stale, and never shared between authorization contexts).
 */
export interface CacheOptions extends CacheHint {
  tools?: CacheHint;
  prompts?: CacheHint;
  resources?: CacheHint;
  resourceTemplates?: CacheHint;
  /** resources/read, unless the resource or template sets its own. */
  read?: CacheHint;
  discover?: CacheHint;
}
