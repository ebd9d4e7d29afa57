/**
 * Turns manifest schemas that use `{$ref: "#/types/Name"}` into self-contained JSON
 * Schemas for the wire: a root reference is replaced by the type's body, and every
 * other referenced type (transitively, recursion included) is placed under `$defs`.
 * Nothing else in the schema changes, so clients see what the author wrote.
 */

import { parseTypeRef } from "../validate/checks/typeRefs.js";
import { setOwn } from "./own.js";

export type Schema = Record<string, unknown> | boolean;
export type TypeTable = Record<string, Schema>;

/** The type a `#/types/Name` reference names (the validator's parser, so both agree). */
export function typeRefName(ref: unknown): string | undefined {
  if (typeof ref !== "string") return undefined;
  const parsed = parseTypeRef(ref);
  return parsed && parsed.name !== "" && parsed.rest.length === 0 ? parsed.name : undefined;
}

/** Calls `visit` on every object in a schema tree (including the root). */
function walk(node: unknown, visit: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const x of node) walk(x, visit);
  } else if (node && typeof node === "object") {
    visit(node as Record<string, unknown>);
    for (const v of Object.values(node)) walk(v, visit);
  }
}

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** The names of manifest types a schema references, transitively. */
export function referencedTypes(schema: unknown, types: TypeTable): string[] {
  const seen = new Set<string>();
  const queue: unknown[] = [schema];
  while (queue.length > 0) {
    walk(queue.pop(), (o) => {
      const name = typeRefName(o.$ref);
      if (name && !seen.has(name) && types[name] !== undefined) {
        seen.add(name);
        queue.push(types[name]);
      }
    });
  }
  return [...seen].sort();
}

/**
 * The `$ref` to `#/$defs/<name>`, as a URI fragment: the name is escaped as a JSON pointer
 * segment (`~` -> `~0`, `/` -> `~1`) and percent-encoded where a fragment cannot hold it
 * (a type named `Order Item` is `#/$defs/Order%20Item`).
 */
export function defsPointer(name: string): string {
  const segment = name.replace(/~/g, "~0").replace(/\//g, "~1");
  try {
    return `#/$defs/${encodeURI(segment).replace(/#/g, "%23")}`;
  } catch {
    return `#/$defs/${segment}`; // a lone surrogate has no percent-encoding
  }
}

/**
 * `#/types/<segment>` as a reference into `$defs`. When the definition keeps the type's name,
 * the author's segment is kept as written (`#/types/%3Aa` -> `#/$defs/%3Aa`); otherwise it
 * points at the new name.
 */
function typeRefToDefs(ref: string, typeName: string, defName: string): string {
  return defName === typeName ? `#/$defs/${ref.slice("#/types/".length)}` : defsPointer(defName);
}

/** A self-contained wire schema for one manifest schema. */
export function resolveWireSchema(schema: Schema | undefined, types: TypeTable): Schema | undefined {
  if (schema === undefined || typeof schema === "boolean") return schema;
  let root = clone(schema) as Record<string, unknown>;
  const rootRef = typeRefName(root.$ref);
  if (rootRef && types[rootRef] !== undefined && typeof types[rootRef] === "object") {
    // `{$ref: "#/types/X", description: ...}` becomes X's body with the siblings on top.
    const { $ref: _ignored, ...siblings } = root;
    root = { ...clone(types[rootRef] as Record<string, unknown>), ...siblings };
  }
  const needed = referencedTypes(root, types);
  if (needed.length === 0) return root;
  const existing = (root.$defs as Record<string, unknown> | undefined) ?? {};
  const defNameOf = (t: string) => (Object.hasOwn(existing, t) ? `types_${t}` : t);
  walk(root, (o) => {
    const t = typeRefName(o.$ref);
    if (t) o.$ref = typeRefToDefs(o.$ref as string, t, defNameOf(t));
  });
  const defs: Record<string, unknown> = { ...existing };
  for (const t of needed) setOwn(defs, defNameOf(t), relocateSchema(types[t]!, defNameOf(t), defNameOf));
  // `walk` above also rewrote refs inside the root's own $defs, which is what we want.
  root.$defs = defs;
  return root;
}

/**
 * A copy of a schema that will live at `#/$defs/<defName>` of a larger document:
 * `#/types/X` becomes `#/$defs/<nameOf(X)>`, and the schema's own local pointers move with it.
 * Used for the `$defs` of wire schemas and for the one document types are generated from.
 */
export function relocateSchema(schema: Schema, defName: string, typeNameOf: (t: string) => string): Schema {
  const copy = clone(schema);
  walk(copy, (o) => {
    if (typeof o.$ref !== "string") return;
    const t = typeRefName(o.$ref);
    if (t) o.$ref = typeRefToDefs(o.$ref, t, typeNameOf(t));
    else if (o.$ref === "#") o.$ref = defsPointer(defName);
    else if (o.$ref.startsWith("#/")) o.$ref = `${defsPointer(defName)}${o.$ref.slice(1)}`;
  });
  return copy;
}

/**
 * Does a schema (not the types it references) give a property a `default`? Then the handler's
 * input type (defaults applied) and the caller's arguments type (defaults optional) differ.
 */
export function hasPropertyDefaults(schema: unknown): boolean {
  let found = false;
  walk(schema, (o) => {
    const props = o.properties;
    if (props && typeof props === "object" && !Array.isArray(props)) {
      for (const p of Object.values(props)) if (p && typeof p === "object" && (p as Record<string, unknown>).default !== undefined) found = true;
    }
  });
  return found;
}
