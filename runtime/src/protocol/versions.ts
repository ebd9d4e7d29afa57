/**
 * Protocol revisions of the session era, newest first, and the features that changed
 * between them. Behaviour follows the version negotiated for each session.
 */
export const SESSION_PROTOCOL_VERSIONS = [
  "2025-11-25",
  "2025-06-18",
  "2025-03-26",
  "2024-11-05",
] as const;

export type SessionProtocolVersion = (typeof SESSION_PROTOCOL_VERSIONS)[number];

export const LATEST_SESSION_VERSION: SessionProtocolVersion = "2025-11-25";

/** What a transport assumes when the client never said (Streamable HTTP without the header). */
export const DEFAULT_NEGOTIATED_VERSION: SessionProtocolVersion = "2025-03-26";

/**
 * Revisions of the stateless ("modern") era: no initialize, every request carries its
 * version, capabilities and log level in `_meta` (see server/modern.ts).
 */
export const MODERN_PROTOCOL_VERSIONS = ["2026-07-28"] as const;

export type ModernProtocolVersion = (typeof MODERN_PROTOCOL_VERSIONS)[number];

export const LATEST_MODERN_VERSION: ModernProtocolVersion = "2026-07-28";

export function isModernVersion(v: unknown): v is ModernProtocolVersion {
  return typeof v === "string" && (MODERN_PROTOCOL_VERSIONS as readonly string[]).includes(v);
}

export function isSupportedVersion(v: unknown): v is SessionProtocolVersion {
  return typeof v === "string" && (SESSION_PROTOCOL_VERSIONS as readonly string[]).includes(v);
}

/** Revision dates compare correctly as strings (YYYY-MM-DD). */
const atLeast = (v: string, since: string) => v >= since;

/** Feature gates, one per behaviour that differs between revisions. */
export interface Features {
  /** JSON-RPC batches: only 2025-03-26 allowed them. */
  batches: boolean;
  /** Tool annotations (2025-03-26+). */
  annotations: boolean;
  /** Audio content blocks (2025-03-26+); older sessions get the clip as an embedded blob resource. */
  audio: boolean;
  /** The `message` field of notifications/progress (2025-03-26+). */
  progressMessage: boolean;
  /** outputSchema / structuredContent, titles, resource_link, elicitation, completion context (2025-06-18+). */
  structuredOutput: boolean;
  titles: boolean;
  resourceLinks: boolean;
  elicitation: boolean;
  /** Icons, URL-mode elicitation, sampling with tools, Implementation description/websiteUrl (2025-11-25+). */
  icons: boolean;
  urlElicitation: boolean;
  samplingTools: boolean;
}

const cache = new Map<string, Features>();

export function featuresOf(version: string): Features {
  let f = cache.get(version);
  if (!f) {
    f = {
      batches: version === "2025-03-26",
      annotations: atLeast(version, "2025-03-26"),
      audio: atLeast(version, "2025-03-26"),
      progressMessage: atLeast(version, "2025-03-26"),
      structuredOutput: atLeast(version, "2025-06-18"),
      titles: atLeast(version, "2025-06-18"),
      resourceLinks: atLeast(version, "2025-06-18"),
      elicitation: atLeast(version, "2025-06-18"),
      icons: atLeast(version, "2025-11-25"),
      urlElicitation: atLeast(version, "2025-11-25"),
      samplingTools: atLeast(version, "2025-11-25"),
    };
    cache.set(version, f);
  }
  return f;
}
