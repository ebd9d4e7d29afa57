/**
 * Fully resolved JSON Schemas for the server surface: every `{$ref: "#/types/Name"}` and every
 * local `#/...` pointer is replaced by what it points at, so two schemas can be compared and
 * documented node by node. A reference back into a schema that is already being expanded
 * (recursion) stays a `$ref`, marked as a cycle. Each object node remembers where in the
 * manifest it was written (`sourceOf`), so changes and docs can point at a line.
 */

import { setOwn } from "../model/own.js";
import type { JsonPath } from "../load/index.js";
import { followPointer, parseTypeRef } from "../validate/checks/typeRefs.js";
import { isRecord } from "../validate/guards.js";

/** A resolved schema node: an object or a boolean, as in JSON Schema. */
export type SNode = Record<string, unknown> | boolean;

const SRC = Symbol("mcpgen.surface.src");
const TYPE_NAME = Symbol("mcpgen.surface.typeName");
const CYCLE = Symbol("mcpgen.surface.cycle");

type Tagged = Record<string, unknown> & { [SRC]?: JsonPath; [TYPE_NAME]?: string; [CYCLE]?: string };

/** Where in the manifest this node was written (`["types", "Day", "properties", "date"]`). */
export function sourceOf(node: unknown): JsonPath | undefined {
  return isRecord(node) ? (node as Tagged)[SRC] : undefined;
}

/** The shared type (`types:` key) this node was expanded from, if any. */
export function typeNameOf(node: unknown): string | undefined {
  return isRecord(node) ? (node as Tagged)[TYPE_NAME] : undefined;
}

/** For a recursive reference left unexpanded: the `$ref` it keeps. */
export function cycleOf(node: unknown): string | undefined {
  return isRecord(node) ? (node as Tagged)[CYCLE] : undefined;
}

export { isRecord };

/** A node with its tags; tags are symbol keys, so JSON.stringify and Object.keys never see them. */
export function tag(node: Record<string, unknown>, src: JsonPath | undefined, typeName?: string): Record<string, unknown> {
  const t = node as Tagged;
  if (src !== undefined) t[SRC] = src;
  if (typeName !== undefined) t[TYPE_NAME] = typeName;
  return node;
}

/** Keywords whose value is one schema. */
const SCHEMA_KEYWORDS = new Set([
  "additionalProperties", "unevaluatedProperties", "propertyNames", "not", "if", "then", "else",
  "contains", "unevaluatedItems", "additionalItems", "contentSchema",
]);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYWORDS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
/** Keywords whose value is a map of schemas. */
const SCHEMA_MAP_KEYWORDS = new Set(["properties", "patternProperties", "dependentSchemas"]);
/** Keywords that only hold definitions for references: gone once references are expanded. */
const DEFINITION_KEYWORDS = new Set(["$defs", "definitions"]);

/** Past this many expanded nodes per schema, references stay references (a DAG can explode). */
const NODE_BUDGET = 20_000;

interface Doc {
  /** The schema local `#/...` pointers are relative to. */
  root: unknown;
  /** Where that root is in the manifest. */
  path: JsonPath;
}

interface Ctx {
  types: Record<string, unknown>;
  nodes: number;
}

/**
 * Resolves one manifest schema. `path` is where it is in the manifest; `types` the manifest's
 * `types:`. Never throws; references that do not resolve stay as written.
 */
export function resolveSchema(schema: unknown, path: JsonPath, types: Record<string, unknown> | undefined): SNode {
  const ctx: Ctx = { types: types ?? {}, nodes: 0 };
  return expand(schema, path, { root: schema, path }, ctx, []) as SNode;
}

function expand(schema: unknown, path: JsonPath, doc: Doc, ctx: Ctx, stack: string[]): unknown {
  if (!isRecord(schema)) return clone(schema);
  ctx.nodes++;
  const ref = schema.$ref;
  if (typeof ref === "string") {
    const target = resolveRef(ref, doc, ctx);
    if (target) {
      const key = target.key;
      const { $ref: _ref, ...siblings } = schema;
      if (stack.includes(key) || ctx.nodes > NODE_BUDGET) {
        const marker = tag({ ...expandKeywords(siblings, path, doc, ctx, stack), $ref: ref }, path, target.typeName);
        (marker as Tagged)[CYCLE] = ref;
        return marker;
      }
      const body = expand(target.schema, target.path, target.doc, ctx, [...stack, key]);
      if (!isRecord(body)) {
        // `true`/`false` behind a reference: siblings other than annotations are rare; keep the body.
        return Object.keys(siblings).length === 0 ? body : tag({ ...expandKeywords(siblings, path, doc, ctx, stack), ...(body ? {} : { not: {} }) }, path);
      }
      // `{$ref: X, description: ...}`: X's body with the siblings on top, as the wire schema has it.
      const merged = { ...body, ...expandKeywords(siblings, path, doc, ctx, stack) };
      return tag(merged, sourceOf(body) ?? target.path, typeNameOf(body) ?? target.typeName);
    }
  }
  return tag(expandKeywords(schema, path, doc, ctx, stack), path);
}

function expandKeywords(schema: Record<string, unknown>, path: JsonPath, doc: Doc, ctx: Ctx, stack: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (DEFINITION_KEYWORDS.has(k)) continue;
    if (SCHEMA_KEYWORDS.has(k)) out[k] = expand(v, [...path, k], doc, ctx, stack);
    else if (SCHEMA_LIST_KEYWORDS.has(k) && Array.isArray(v)) out[k] = v.map((x, i) => expand(x, [...path, k, i], doc, ctx, stack));
    else if (k === "items") out[k] = Array.isArray(v) ? v.map((x, i) => expand(x, [...path, k, i], doc, ctx, stack)) : expand(v, [...path, k], doc, ctx, stack);
    else if (SCHEMA_MAP_KEYWORDS.has(k) && isRecord(v)) {
      const m: Record<string, unknown> = {};
      for (const [name, s] of Object.entries(v)) setOwn(m, name, expand(s, [...path, k, name], doc, ctx, stack));
      out[k] = m;
    } else out[k] = clone(v);
  }
  return out;
}

interface RefTarget {
  schema: unknown;
  path: JsonPath;
  doc: Doc;
  /** Identifies the target for cycle detection. */
  key: string;
  typeName?: string;
}

function resolveRef(ref: string, doc: Doc, ctx: Ctx): RefTarget | undefined {
  const typeRef = parseTypeRef(ref);
  if (typeRef) {
    if (typeRef.name === "") return undefined;
    const found = followPointer(ctx.types, [typeRef.name, ...typeRef.rest]);
    if (!found.found) return undefined;
    const typePath: JsonPath = ["types", typeRef.name];
    return {
      schema: found.value,
      path: [...typePath, ...typeRef.rest],
      doc: { root: ctx.types[typeRef.name], path: typePath },
      key: `types/${typeRef.name}/${typeRef.rest.join("/")}`,
      typeName: typeRef.rest.length === 0 ? typeRef.name : undefined,
    };
  }
  if (ref === "#" || ref.startsWith("#/")) {
    const segments = ref === "#" ? [] : ref.slice(2).split("/").map(decodePointerSegment);
    const found = followPointer(doc.root, segments);
    if (!found.found) return undefined;
    return { schema: found.value, path: [...doc.path, ...segments], doc, key: `${doc.path.join("/")}#${ref}` };
  }
  return undefined;
}

function decodePointerSegment(s: string): string {
  let decoded = s;
  try {
    decoded = decodeURIComponent(s);
  } catch {
    // keep the raw text
  }
  return decoded.replace(/~1/g, "/").replace(/~0/g, "~");
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** JSON with sorted keys: equal values give equal strings. */
export function canonical(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

/** A JSON-pointer segment (`a/b` -> `a~1b`). */
export function pointerSegment(s: string | number): string {
  return String(s).replace(/~/g, "~0").replace(/\//g, "~1");
}

export const JSON_TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"] as const;

/**
 * The JSON types a schema allows by its `type` keyword: undefined when it does not say
 * (any type). `integer` is listed as such; callers treat it as a subset of `number`.
 */
export function typesOf(schema: SNode): string[] | undefined {
  if (typeof schema === "boolean") return schema ? undefined : [];
  const t = schema.type;
  if (typeof t === "string") return [t];
  if (Array.isArray(t)) return [...new Set(t.filter((x): x is string => typeof x === "string"))].sort();
  return undefined;
}

/** Whether every value of types `a` is allowed by types `b` (undefined = any). */
export function typesWithin(a: string[] | undefined, b: string[] | undefined): boolean {
  if (b === undefined) return true;
  if (a === undefined) return false;
  return a.every((t) => b.includes(t) || (t === "integer" && b.includes("number")));
}

/** Whether the types allow `t` (undefined = any). */
export function allowsType(types: string[] | undefined, t: string): boolean {
  return types === undefined || types.includes(t) || (t === "integer" && types.includes("number"));
}
