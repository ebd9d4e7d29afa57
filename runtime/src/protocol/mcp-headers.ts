/**
 * The request headers of Streamable HTTP in 2026-07-28: `Mcp-Method`, `Mcp-Name`, and
 * `Mcp-Param-{Name}` for tool arguments whose input-schema property is annotated
 * `x-mcp-header: Name`. Servers check them against the body (a proxy can route on them
 * without parsing JSON); clients write them. Values that cannot travel in a header as
 * they are (non-ASCII, control characters, leading or trailing whitespace) are sent as
 * `=?base64?<base64 of the UTF-8 bytes>?=`.
 */

import { base64ToBytes, bytesToBase64 } from "./base64.js";

/** The annotation on an input-schema property that mirrors it into a header. */
export const X_MCP_HEADER = "x-mcp-header";

/** One annotated property: where it sits in the arguments, and its header. */
export interface McpHeaderDeclaration {
  path: string[];
  /** The header is `Mcp-Param-<headerName>`. */
  headerName: string;
  type: "string" | "integer" | "boolean" | "number";
}

export type McpHeaderScan = { valid: true; declarations: McpHeaderDeclaration[] } | { valid: false; reason: string };

/** RFC 9110 token: what a header name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PRIMITIVE = new Set(["string", "integer", "boolean"]);
/** Keywords an annotation must not sit under: it must be reachable through `properties` alone. */
const UNREACHABLE = [
  "items", "prefixItems", "contains", "additionalProperties", "unevaluatedProperties", "unevaluatedItems",
  "propertyNames", "patternProperties", "dependentSchemas", "oneOf", "anyOf", "allOf", "not", "if", "then",
  "else", "$defs", "definitions",
];
const MAP_VALUED = new Set(["patternProperties", "dependentSchemas", "$defs", "definitions"]);

/**
 * The `x-mcp-header` declarations of an input schema, or why the schema is invalid:
 * an annotation must be a non-empty RFC 9110 token, unique ignoring case, on a
 * string, integer or boolean property reachable from the root through `properties`.
 */
export function scanMcpHeaders(schema: unknown): McpHeaderScan {
  const declarations: McpHeaderDeclaration[] = [];
  const seen = new Map<string, string>();
  const name = (path: string[]) => (path.length === 0 ? "<root>" : path.join("."));
  const visit = (node: unknown, path: string[], reachable: boolean): string | undefined => {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    const s = node as Record<string, unknown>;
    if (X_MCP_HEADER in s) {
      if (!reachable || path.length === 0) {
        return `${name(path)}: x-mcp-header is only allowed on properties reached through 'properties' alone (not under items, additionalProperties, oneOf/anyOf/allOf/not, if/then/else or $defs)`;
      }
      const h = s[X_MCP_HEADER];
      if (typeof h !== "string" || h.length === 0) return `${name(path)}: x-mcp-header must be a non-empty string`;
      if (!TOKEN.test(h)) return `${name(path)}: x-mcp-header '${h}' is not a valid header name (RFC 9110 token: no spaces or delimiters)`;
      if (typeof s.type !== "string" || !PRIMITIVE.has(s.type)) {
        return `${name(path)}: x-mcp-header is only allowed on string, integer or boolean properties (got ${typeof s.type === "string" ? s.type : "no type"})`;
      }
      const prior = seen.get(h.toLowerCase());
      if (prior !== undefined) return `x-mcp-header '${h}' is used twice (header names ignore case; also '${prior}')`;
      seen.set(h.toLowerCase(), h);
      declarations.push({ path, headerName: h, type: s.type as McpHeaderDeclaration["type"] });
    }
    const props = s.properties;
    if (props !== null && typeof props === "object" && !Array.isArray(props)) {
      for (const [k, child] of Object.entries(props)) {
        const fault = visit(child, [...path, k], reachable);
        if (fault) return fault;
      }
    }
    for (const k of UNREACHABLE) {
      const sub = s[k];
      if (sub === undefined) continue;
      const branches = Array.isArray(sub) ? sub : MAP_VALUED.has(k) && sub && typeof sub === "object" ? Object.values(sub) : [sub];
      for (const b of branches) {
        const fault = visit(b, [...path, `<${k}>`], false);
        if (fault) return fault;
      }
    }
    return undefined;
  };
  const fault = visit(schema, [], true);
  return fault ? { valid: false, reason: fault } : { valid: true, declarations };
}

const SENTINEL_PREFIX = "=?base64?";
const SENTINEL_SUFFIX = "?=";
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Printable ASCII; a value made of these (without outer spaces) travels as is. */
const PLAIN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** A primitive argument as header text (booleans lower-case, numbers in decimal); undefined when it has none. */
export function headerText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))) return String(value);
  return undefined;
}

/** A header value for `text`: as is when it is plain printable ASCII, else the base64 form. */
export function encodeHeaderValue(text: string): string {
  if (text === "" || PLAIN.test(text)) return text;
  return `${SENTINEL_PREFIX}${bytesToBase64(new TextEncoder().encode(text))}${SENTINEL_SUFFIX}`;
}

/**
 * The text a header value carries: the decoded base64 form, or the value itself when
 * it is not wrapped in `=?base64?...?=` (both ends). Undefined when it is wrapped but
 * not canonical base64 of UTF-8.
 */
export function decodeHeaderValue(value: string): string | undefined {
  if (!(value.startsWith(SENTINEL_PREFIX) && value.endsWith(SENTINEL_SUFFIX) && value.length >= SENTINEL_PREFIX.length + SENTINEL_SUFFIX.length)) {
    return value;
  }
  const b64 = value.slice(SENTINEL_PREFIX.length, value.length - SENTINEL_SUFFIX.length);
  if (!CANONICAL_BASE64.test(b64)) return undefined;
  const bytes = base64ToBytes(b64);
  if (!bytes) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function valueAt(root: unknown, path: string[]): unknown {
  let node = root;
  for (const k of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node;
}

/**
 * The `Mcp-Param-*` headers a tools/call with these arguments carries (client side):
 * one per declaration whose argument is present and not null.
 */
export function paramHeaders(declarations: readonly McpHeaderDeclaration[], args: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of declarations) {
    const text = headerText(valueAt(args, d.path));
    if (text !== undefined) out[`Mcp-Param-${d.headerName}`] = encodeHeaderValue(text);
  }
  return out;
}

/**
 * Checks a tools/call's `Mcp-Param-*` headers against its arguments (server side): an
 * argument that is present needs its header, decoding to the same value (numbers
 * compared as numbers). Returns the problem, or undefined when they agree.
 */
export function checkParamHeaders(
  declarations: readonly McpHeaderDeclaration[],
  args: unknown,
  header: (name: string) => string | undefined,
): string | undefined {
  for (const d of declarations) {
    const body = valueAt(args, d.path);
    const expected = headerText(body);
    if (expected === undefined) continue;
    const name = `Mcp-Param-${d.headerName}`;
    const raw = header(name.toLowerCase());
    if (raw === undefined) return `the ${name} header is missing (the body has ${d.path.join(".")}=${JSON.stringify(body)})`;
    const decoded = decodeHeaderValue(raw.trim());
    if (decoded === undefined) return `the ${name} header is not valid base64 (=?base64?...?=)`;
    const same =
      (d.type === "integer" || d.type === "number") && typeof body === "number" && /^-?\d+(\.\d+)?$/.test(decoded)
        ? Number(decoded) === body
        : decoded === expected;
    if (!same) return `the ${name} header says ${JSON.stringify(decoded)} but the body has ${d.path.join(".")}=${JSON.stringify(body)}`;
  }
  return undefined;
}
