/**
 * Cheap shape checks of what handlers return, before it goes on the wire: a function,
 * a symbol, a bigint or a block missing its fields would otherwise become invalid
 * content (or a crash in JSON.stringify), and NaN or Infinity would silently become
 * `null`. Each check is one pass of typeof tests with no allocation unless a problem
 * is found; the caller turns a problem into a -32603 naming the handler.
 */
import type { ContentBlock } from "../protocol/types.js";

/** Deepest nesting accepted in structured output (deeper is almost surely a cycle). */
const MAX_DEPTH = 256;

/**
 * Why a value is not plain JSON (a JSON text would not carry it faithfully), with the
 * path to the first offending member; undefined when it is. `undefined` is fine (JSON
 * leaves it out of objects, and arrays carry it as null as they always have).
 */
export function jsonProblem(value: unknown, path: string): string | undefined {
  const found = firstNonJson(value, 0);
  return found && `${path}${found.at} ${found.what}`;
}

/** The first member JSON cannot carry; its path is built only then, on the way back up. */
function firstNonJson(value: unknown, depth: number): { at: string; what: string } | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "undefined":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : { at: "", what: `is ${value}, which JSON cannot carry (it would be sent as null)` };
    case "object": {
      if (value === null) return undefined;
      if (depth >= MAX_DEPTH) return { at: "", what: `is nested more than ${MAX_DEPTH} levels deep (a cycle?)` };
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const found = firstNonJson(value[i], depth + 1);
          if (found) return { at: `[${i}]${found.at}`, what: found.what };
        }
        return undefined;
      }
      // toJSON decides the wire form (Date and the like): trust it.
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined;
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        const found = firstNonJson((value as Record<string, unknown>)[key], depth + 1);
        if (found) return { at: `.${key}${found.at}`, what: found.what };
      }
      return undefined;
    }
    default:
      return { at: "", what: `is a ${typeof value}, which is not JSON` };
  }
}

const isString = (v: unknown): v is string => typeof v === "string";
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Why a list of content blocks is not valid MCP content; undefined when it is. */
export function contentProblem(content: unknown): string | undefined {
  if (!Array.isArray(content)) return `content is ${describe(content)}, not an array of content blocks`;
  for (let i = 0; i < content.length; i++) {
    const problem = blockProblem(content[i]);
    if (problem) return `content[${i}] ${problem}`;
  }
  return undefined;
}

/** Why one value is not a content block; undefined when it is. */
export function blockProblem(block: unknown): string | undefined {
  if (!isObject(block)) return `is ${describe(block)}, not a content block`;
  const b = block as Partial<ContentBlock> & Record<string, unknown>;
  if (b.annotations !== undefined && !isObject(b.annotations)) return "has annotations that are not an object";
  if (b._meta !== undefined && !isObject(b._meta)) return "has _meta that is not an object";
  switch (b.type) {
    case "text":
      return isString(b.text) ? undefined : `(text) needs a string text, got ${describe(b.text)}`;
    case "image":
    case "audio":
      if (!isString(b.data)) return `(${b.type}) needs base64 data as a string, got ${describe(b.data)}`;
      return isString(b.mimeType) ? undefined : `(${b.type}) needs a string mimeType`;
    case "resource_link":
      return isString(b.uri) && isString(b.name) ? undefined : "(resource_link) needs a string uri and name";
    case "resource": {
      const r = b.resource as Record<string, unknown> | undefined;
      if (!isObject(r) || !isString(r.uri)) return "(resource) needs a resource with a string uri";
      return isString(r.text) || isString(r.blob) ? undefined : "(resource) needs a resource with a string text or blob";
    }
    default:
      return `has an unknown type ${describe(b.type)} (text, image, audio, resource_link or resource)`;
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case "number":
    case "boolean":
      return String(value);
    case "undefined":
      return "undefined";
    case "object":
      return "an object";
    default:
      return `a ${typeof value}`;
  }
}
