import { toTypeName } from "../naming/names.js";
import { setOwn } from "../model/own.js";
import type { Schema } from "../model/schema-refs.js";

/**
 * The copy of a schema that json-schema-to-typescript compiles into a TypeScript type. The
 * wire schema keeps everything the author wrote; this copy only has to give the right type:
 *
 * - Nested `title`s and `$id`s are dropped: the compiler names a type after them, and a nested
 *   `title: City` next to a manifest type `City` would make it rename one of them `City1`.
 *   Nested `$defs` entries are titled after their owner (`SearchInputFilter`) for the same reason.
 * - `tsType` and `tsEnumNames` are the compiler's own extensions, which would paste raw text
 *   into the generated code; they are not JSON Schema, so they are dropped.
 * - A `$ref` with siblings becomes `{allOf: [{$ref}], …siblings}` (the same meaning in
 *   2020-12), so the referenced type keeps its name instead of being copied (`Unit1`).
 * - With `defaultsRequired`, a property whose schema has a `default` is required: validation
 *   fills it in before the handler runs, so its type says it is there (`limit: number`). Not
 *   under anyOf/oneOf/not/if/then/else, where the validator does not apply defaults.
 * - Keys that are names of `Object.prototype` members (`hasOwnProperty`, `constructor`,
 *   `__proto__`) crash or silently vanish in the compiler, which handles schemas as plain
 *   objects; they go through `keys` (placeholders in, the real names back in the output).
 * - `default` and `examples` are dropped: they are data, which the type does not need.
 */
export function forTypeCompile(schema: Schema, typeName: string, keys: KeyCodec, defaultsRequired = true): Record<string, unknown> {
  const root = schema === true ? {} : schema === false ? { not: {} } : schema;
  return node(root, { owner: typeName, defaultsRequired, applies: true, keys }) as Record<string, unknown>;
}

const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Stands in for keys the type compiler cannot hold, and puts them back in its output. */
export class KeyCodec {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  encode(key: string): string {
    if (!PROTOTYPE_NAMES.has(key)) return key;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.names.push(key) - 1;
      this.index.set(key, i);
    }
    return `__mcpgen_key_${i}__`;
  }

  /** Property names in the generated TypeScript, quoted or not, back to the real keys. */
  decode(ts: string): string {
    if (this.names.length === 0) return ts;
    return ts.replace(/(["']?)__mcpgen_key_(\d+)__\1/g, (_, _q, i: string) => JSON.stringify(this.names[Number(i)]));
  }

  /** A `$ref` whose pointer steps through a renamed key. */
  encodeRef(ref: string): string {
    if (!ref.startsWith("#/")) return ref;
    return "#/" + ref.slice(2).split("/").map((seg) => {
      const raw = safeDecode(seg).replace(/~1/g, "/").replace(/~0/g, "~");
      return PROTOTYPE_NAMES.has(raw) ? this.encode(raw) : seg;
    }).join("/");
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

interface Walk {
  keys: KeyCodec;
  owner: string;
  defaultsRequired: boolean;
  /** False below a keyword where validation does not insert defaults. */
  applies: boolean;
}

const SCHEMA_KEYWORDS = new Set([
  "items", "additionalProperties", "contains", "propertyNames", "unevaluatedItems",
  "unevaluatedProperties", "additionalItems", "contentSchema",
]);
const NO_DEFAULTS_KEYWORDS = new Set(["not", "if", "then", "else"]);
const SCHEMA_LIST_KEYWORDS = new Set(["allOf", "prefixItems"]);
const NO_DEFAULTS_LIST_KEYWORDS = new Set(["anyOf", "oneOf"]);
const SCHEMA_MAP_KEYWORDS = new Set(["properties", "patternProperties", "dependentSchemas"]);
const DEFS_KEYWORDS = new Set(["$defs", "definitions"]);
const DROPPED = new Set(["title", "$id", "id", "tsType", "tsEnumNames", "$schema", "default", "examples"]);
/** Annotations that do not change a type: kept off a `$ref`'s siblings (else `Unit & string`). */
const TYPE_NEUTRAL = new Set(["default", "examples", "$comment", "deprecated", "readOnly", "writeOnly"]);

const data = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

function node(schema: unknown, w: Walk): unknown {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return schema;
  const src = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(src)) {
    if (DROPPED.has(key)) continue;
    if (key === "$ref" && typeof value === "string") setOwn(out, key, w.keys.encodeRef(value));
    else if (key === "required" && Array.isArray(value)) setOwn(out, key, value.map((k) => (typeof k === "string" ? w.keys.encode(k) : k)));
    else
    if (SCHEMA_KEYWORDS.has(key)) setOwn(out, key, Array.isArray(value) ? value.map((v) => node(v, w)) : node(value, w));
    else if (NO_DEFAULTS_KEYWORDS.has(key)) setOwn(out, key, node(value, { ...w, applies: false }));
    else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) setOwn(out, key, value.map((v) => node(v, w)));
    else if (NO_DEFAULTS_LIST_KEYWORDS.has(key) && Array.isArray(value)) setOwn(out, key, value.map((v) => node(v, { ...w, applies: false })));
    else if (SCHEMA_MAP_KEYWORDS.has(key) && isMap(value)) setOwn(out, key, mapOf(value, w.keys, (v) => node(v, w)));
    else if (DEFS_KEYWORDS.has(key) && isMap(value)) setOwn(out, key, mapOf(value, w.keys, (v, name) => titled(node(v, { ...w, owner: `${w.owner}${toTypeName(name)}` }), `${w.owner}${toTypeName(name)}`)));
    else if (key === "dependencies" || key === "dependentRequired") continue; // no effect on the type
    else if (!holdsPrototypeKey(value)) setOwn(out, key, data(value));
    // else: an enum or const holding such a key is left out: the type is wider, never wrong
  }
  if (w.defaultsRequired && w.applies) requireDefaults(out, src, w.keys);
  return refWithSiblings(out);
}

function holdsPrototypeKey(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(holdsPrototypeKey);
  if (!isMap(v)) return false;
  return Object.entries(v).some(([k, x]) => PROTOTYPE_NAMES.has(k) || holdsPrototypeKey(x));
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function mapOf(o: Record<string, unknown>, keys: KeyCodec, f: (v: unknown, key: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) setOwn(out, keys.encode(k), f(v, k));
  return out;
}

function titled(schema: unknown, title: string): unknown {
  if (!isMap(schema)) return schema;
  setOwn(schema, "title", title);
  return schema;
}

/** `src`: the schema as written (its properties still have their `default`s). */
function requireDefaults(o: Record<string, unknown>, src: Record<string, unknown>, keys: KeyCodec): void {
  if (!isMap(src.properties)) return;
  const withDefault = Object.entries(src.properties)
    .filter(([, s]) => isMap(s) && s.default !== undefined)
    .map(([k]) => keys.encode(k));
  if (withDefault.length === 0) return;
  const required = Array.isArray(o.required) ? (o.required as unknown[]) : [];
  setOwn(o, "required", [...new Set([...required, ...withDefault])]);
}

function refWithSiblings(o: Record<string, unknown>): Record<string, unknown> {
  if (typeof o.$ref !== "string") return o;
  const siblings = Object.entries(o).filter(([k]) => k !== "$ref" && !TYPE_NEUTRAL.has(k));
  if (siblings.length === 0) return { $ref: o.$ref };
  const out: Record<string, unknown> = { allOf: [{ $ref: o.$ref }] };
  for (const [k, v] of siblings) setOwn(out, k, v);
  return out;
}
