import { bytesToBase64 } from "../protocol/base64.js";
import type {
  Annotations,
  AudioContent,
  CallToolResult,
  ContentBlock,
  EmbeddedResource,
  ImageContent,
  ResourceLink,
  TextContent,
} from "../protocol/types.js";

/** Binary input accepted by the helpers: bytes, or a string that is already base64. */
export type BinaryData = Uint8Array | ArrayBuffer | string;

const toBase64 = (data: BinaryData): string =>
  typeof data === "string"
    ? data
    : bytesToBase64(data instanceof ArrayBuffer ? new Uint8Array(data) : data);

export const text = (value: string, annotations?: Annotations): TextContent =>
  annotations ? { type: "text", text: value, annotations } : { type: "text", text: value };

export const image = (data: BinaryData, mimeType?: string): ImageContent => ({
  type: "image",
  data: toBase64(data),
  mimeType: mimeType ?? sniffMime(data) ?? "image/png",
});

export const audio = (data: BinaryData, mimeType?: string): AudioContent => ({
  type: "audio",
  data: toBase64(data),
  mimeType: mimeType ?? sniffMime(data) ?? "audio/wav",
});

export const resourceLink = (link: Omit<ResourceLink, "type">): ResourceLink => ({ type: "resource_link", ...link });

/** An embedded resource: text when given a string, a base64 blob when given bytes. */
export function embeddedResource(uri: string, data: string | Uint8Array | ArrayBuffer, mimeType?: string): EmbeddedResource {
  if (typeof data === "string") {
    return { type: "resource", resource: { uri, mimeType: mimeType ?? "text/plain", text: data } };
  }
  return { type: "resource", resource: { uri, mimeType: mimeType ?? sniffMime(data) ?? "application/octet-stream", blob: toBase64(data) } };
}

/**
 * Reads a file and returns the matching content block: image, audio, or an embedded
 * resource (text for text-like MIME types, blob otherwise). The MIME type comes from
 * the file's leading bytes, then its extension.
 */
export async function fromFile(path: string, mimeType?: string): Promise<ContentBlock> {
  const bytes = await readBytes(path);
  const mime = mimeType ?? sniffMime(bytes) ?? mimeFromExtension(path) ?? "application/octet-stream";
  if (mime.startsWith("image/")) return image(bytes, mime);
  if (mime.startsWith("audio/")) return audio(bytes, mime);
  const { pathToFileURL } = await import("node:url");
  const { resolve } = await import("node:path");
  const uri = pathToFileURL(resolve(path)).href;
  return isTextMime(mime) ? embeddedResource(uri, bytes.toString("utf8"), mime) : embeddedResource(uri, bytes, mime);
}

/** node:fs is loaded only when a file is read, so the rest works where there is none. */
async function readBytes(path: string): Promise<Buffer> {
  const { readFile } = await import("node:fs/promises");
  return readFile(path);
}

export const imageFromFile = async (path: string, mimeType?: string): Promise<ImageContent> => {
  const bytes = await readBytes(path);
  return image(bytes, mimeType ?? sniffMime(bytes) ?? mimeFromExtension(path));
};

export const isTextMime = (mime: string): boolean =>
  mime.startsWith("text/") || /json|xml|yaml|javascript|csv|markdown|x-sh|sql|toml/.test(mime);

const EXTENSIONS: Record<string, string> = {
  ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
  ".webp": "image/webp", ".svg": "image/svg+xml", ".bmp": "image/bmp", ".ico": "image/x-icon",
  ".wav": "audio/wav", ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".flac": "audio/flac",
  ".m4a": "audio/mp4", ".txt": "text/plain", ".md": "text/markdown", ".html": "text/html",
  ".css": "text/css", ".csv": "text/csv", ".json": "application/json", ".xml": "application/xml",
  ".yaml": "application/yaml", ".yml": "application/yaml", ".js": "text/javascript",
  ".ts": "text/typescript", ".pdf": "application/pdf", ".zip": "application/zip",
};

export const mimeFromExtension = (path: string): string | undefined => EXTENSIONS[extensionOf(path)];

function extensionOf(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot).toLowerCase();
}

/** Recognises common formats by their magic numbers. */
export function sniffMime(data: BinaryData): string | undefined {
  if (typeof data === "string") return undefined;
  const b = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  const at = (i: number, ...bytes: number[]) => bytes.every((x, k) => b[i + k] === x);
  const ascii = (i: number, s: string) => at(i, ...[...s].map((c) => c.charCodeAt(0)));
  if (at(0, 0x89, 0x50, 0x4e, 0x47)) return "image/png";
  if (at(0, 0xff, 0xd8, 0xff)) return "image/jpeg";
  if (ascii(0, "GIF8")) return "image/gif";
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "image/webp";
  if (ascii(0, "RIFF") && ascii(8, "WAVE")) return "audio/wav";
  if (ascii(0, "ID3") || at(0, 0xff, 0xfb) || at(0, 0xff, 0xf3)) return "audio/mpeg";
  if (ascii(0, "OggS")) return "audio/ogg";
  if (ascii(0, "fLaC")) return "audio/flac";
  if (ascii(0, "%PDF")) return "application/pdf";
  return undefined;
}

const RESULT = Symbol.for("mcpgen.toolResult");

/**
 * An explicit tool result. Return it from a handler to send content blocks alongside
 * structured output, or to mark a result as an error without throwing.
 */
export function toolResult<T = unknown>(result: {
  content?: ContentBlock[];
  structuredContent?: T;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}): CallToolResult & { readonly [RESULT]: true } {
  // Spread, not Object.assign: an own "__proto__" key (JSON-parsed data) stays data.
  return { content: result.content ?? [], ...result, [RESULT]: true as const } as CallToolResult & { readonly [RESULT]: true };
}

/** What `toolResult()` returns: a result sent as is. */
export type ExplicitToolResult = ReturnType<typeof toolResult>;

export const isToolResult = (value: unknown): value is CallToolResult =>
  typeof value === "object" && value !== null && (value as any)[RESULT] === true;

/**
 * Throw from a tool handler to answer with an `isError` result whose text is exactly
 * this message (other exceptions are reported as "Error: <message>").
 */
export class ToolError extends Error {
  constructor(message: string, readonly content?: ContentBlock[]) {
    super(message);
    this.name = "ToolError";
  }
}
