/**
 * fast-check arbitraries for manifests that the manifest contract and MCP allow (issue 14):
 * tool names from the protocol's whole character set, every other name from any printable
 * unicode, text with every class of character that has broken code generators before, and
 * JSON Schemas with refs, recursion, combinators, enums, consts, formats, defaults, `$defs`,
 * `x-*` extensions and `"__proto__"` keys.
 *
 * Values are plain JSON. Objects are built with `dict()`, which defines every key as an own
 * property, so a `"__proto__"` key stays a key (assigning it would set the prototype).
 *
 * Names that would plausibly collide once mapped to identifiers (`get-sum` and `get_sum`,
 * `Foo` and `foo`) are drawn distinct per section, since reporting such collisions is the
 * specified behaviour; the property discards a manifest refused only for `name-collision`.
 */
import fc from "fast-check";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** An object whose keys are all own, enumerable properties, `__proto__` included. */
export function dict(entries: Iterable<readonly [string, unknown]>): JsonObject {
  const o: JsonObject = {};
  for (const [k, v] of entries) {
    if (v === undefined) continue;
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return o;
}

/** Lone surrogates only (the halves of a valid pair are kept). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** `String.prototype.toWellFormed` (ES2024, newer than the project's lib). */
const wellFormed = (s: string) => s.replace(LONE_SURROGATE, "\uFFFD");

/** Drops undefined members: optional fields are simply absent. */
const compact = (o: Record<string, unknown>): JsonObject => dict(Object.entries(o));

// ---------------------------------------------------------------------------------------------
// Text

/** Fragments that end comments, open template literals or scripts, or break line handling. */
export const HOSTILE_FRAGMENTS = [
  "*/", "/*", "/**", "//", "`", "${", "${x}", "\\`", "\u2028", "\u2029", "\uD800", "\uDFFF", "\uDBFF", "\0",
  "</script>", "<script>", "<!--", "-->", "{{", "}}", "{{x}}", "\\", "\\u0041", "\"", "'", "\n", "\r\n", "\r",
  "\t", "\u0085", "\uFEFF", "\u200B", "\u202E", "&amp;", "<b>", "#", "# ", ": ", "- ", "? ", "| ", "> ", "!",
  "&", "*", "%", "%s", "%2F", "@", "~", "~1", "$", "$$", "$&", "\\n", "\\0", "😀", "👨‍👩‍👧", "é", "ﬁ", "Ω",
  "null", "true", "1e3", "0x1F", "-0", "__proto__", "constructor", "prototype", "});", "'); drop", "#!/bin/sh",
];

/** A string of about `length` code units: long descriptions, long instructions. */
const longText = fc
  .tuple(fc.constantFrom(1_000, 5_000, 70_000), fc.constantFrom("x", "*/ ", "`${a}` ", "\u2028", "ab\n"))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)));

const fragment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS) },
  { weight: 4, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }) },
);

/** Any string, biased towards hostile fragments. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 80, arbitrary: fc.array(fragment, { maxLength: 6 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: longText },
);

/** Non-empty hostile text (fields with `minLength: 1`). */
export const hostileTextNonEmpty = hostileText.map((s) => (s.length === 0 ? "*/" : s));

/**
 * Text for Handlebars prompt templates: hostile except for `{{`/`}}`/`\` (which are template
 * syntax, not text) and with no `{`/`}` at all, so braces never form a mustache by accident.
 */
export const templateSafeText = hostileText.map((s) => s.replace(/[{}\\]/g, ""));

// ---------------------------------------------------------------------------------------------
// Names

/** Names that break naive code generators: keywords, Object.prototype members, digits first. */
export const TRICKY_NAMES = [
  "delete", "then", "constructor", "__proto__", "hasOwnProperty", "toString", "valueOf", "prototype",
  "default", "class", "new", "await", "arguments", "eval", "undefined", "NaN", "3sA", "123", "0", "1a",
  "Promise", "Record", "Array", "index", "server", "schemas", "types", "contract", "client", "handler",
  "$", "_", "__", "$ref", "-", ".", "..", "a.b", "get-sum",
];

/** Real servers' resource and prompt names, which motivated issue 14. */
export const REAL_WORLD_NAMES = [
  "Dynamic Text Resource", "\"customers\" database schema", "Browser console logs", "Static Resource 1",
  "it's", "a b", " leading space", "trailing space ", "ÄÖÜ", "日本語", "emoji 😀", "Ω*/", "x`${y}`",
  "</script>", "{{name}}", "line\u2028sep", "NUL\0name",
];

const printableChar = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.constantFrom(" ", "\"", "'", "`", "/", "\\", ".", "-", "$", "{", "}", "*", ":", "#", "<", ">", "@", "~", "%", "0", "9", "_") },
  { weight: 3, arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") },
);

/** Tool names: the protocol's character set, 1-128 characters. */
export const toolName: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY_NAMES.filter((n) => /^[A-Za-z0-9_.-]+$/.test(n))) },
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{1,24}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{65,128}$/) },
);

/**
 * Resource, template, prompt, argument, type and form names: any printable unicode.
 * MCPGEN_FUZZ_NAMES=tool-charset narrows them to tool names' character set, for surveys
 * that want to look past name refusals (the test itself always draws the full set).
 */
export const anyName: fc.Arbitrary<string> =
  process.env.MCPGEN_FUZZ_NAMES === "tool-charset"
    ? fc.constant(null).chain(() => toolName)
    : fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...TRICKY_NAMES) },
        { weight: 2, arbitrary: fc.constantFrom(...REAL_WORLD_NAMES) },
        { weight: 5, arbitrary: fc.array(printableChar, { minLength: 1, maxLength: 16 }).map((cs) => cs.join("")) },
      );

/** RFC 6570 variable names (ALPHA / DIGIT / "_"), keywords and digits first included. */
export const varName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("delete", "then", "constructor", "__proto__", "hasOwnProperty", "3d", "_", "id", "class", "default"),
  fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/),
);

/**
 * A conservative stand-in for "would collide once mapped": case, punctuation and spacing
 * ignored, and a `t` before a leading digit dropped (`3sA` and `T3sa` both become `T3sA`-ish
 * type names). Drawing names distinct under this key keeps collisions rare under any sane
 * derivation; the rest are refused with `name-collision`, which the property allows.
 */
export const collisionKey = (name: string): string =>
  name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "").replace(/^t(?=\p{N})/u, "");

const uniqueNames = (arb: fc.Arbitrary<string>, max: number, min = 0) =>
  fc.uniqueArray(arb, { minLength: min, maxLength: max, selector: collisionKey });

// ---------------------------------------------------------------------------------------------
// JSON Schemas

/** A `#/types/...` reference as an author writes it: JSON-pointer escaped, then URI-encoded. */
export const typeRef = (name: string): string => `#/types/${encodePointerSegment(name)}`;
export const encodePointerSegment = (name: string): string =>
  encodeURIComponent(wellFormed(name.replace(/~/g, "~0").replace(/\//g, "~1")));


/** Regex source that matches `text` literally (valid with and without the `u` flag). */
const literalPattern = (text: string) => text.replace(/[\^$\\.*+?()[\]{}|/]/g, "\\$&").replace(LONE_SURROGATE, "");

const FORMATS = ["date", "date-time", "time", "email", "uri", "uuid", "ipv4", "ipv6", "hostname", "uri-reference", "regex", "duration"];

const xExtension = fc.tuple(fc.constantFrom("x-mcp-note", "x-a", "x-__proto__", "x-*/", "x-order"), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>);

/** Annotations every schema node may carry. */
const schemaAnnotations = fc.record(
  {
    title: hostileText,
    description: hostileText,
    examples: fc.array(hostileText, { minLength: 1, maxLength: 2 }),
    ext: fc.array(xExtension, { minLength: 1, maxLength: 2 }),
    deprecated: fc.boolean(),
  },
  { requiredKeys: [] },
);

const withAnnotations = (schema: fc.Arbitrary<JsonObject>) =>
  fc.tuple(schema, schemaAnnotations).map(([s, a]) => {
    const entries: [string, unknown][] = Object.entries(s);
    if (a.title !== undefined) entries.push(["title", a.title]);
    if (a.description !== undefined) entries.push(["description", a.description]);
    if (a.examples !== undefined && s.type === "string") entries.push(["examples", a.examples]);
    if (a.deprecated !== undefined) entries.push(["deprecated", a.deprecated]);
    for (const [k, v] of a.ext ?? []) entries.push([k, v]);
    return dict(entries);
  });

const stringSchema = fc.oneof(
  fc.record({ type: fc.constant("string"), default: hostileText }, { requiredKeys: ["type"] }),
  fc.record({ type: fc.constant("string"), pattern: hostileText.map(literalPattern), minLength: fc.nat(3), maxLength: fc.integer({ min: 3, max: 100 }) }, { requiredKeys: ["type"] }),
  fc.record({ type: fc.constant("string"), format: fc.constantFrom(...FORMATS) }),
);

const enumSchema = fc
  .tuple(fc.uniqueArray(hostileText, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.nat())
  .map(([values, withDefault, i]) => dict([["type", "string"], ["enum", values], ["default", withDefault ? values[i % values.length] : undefined]]));

const numberSchema = fc
  .tuple(fc.constantFrom("integer", "number"), fc.integer({ min: -1000, max: 0 }), fc.integer({ min: 0, max: 1000 }), fc.option(fc.integer({ min: -1000, max: 1000 })))
  .map(([type, min, max, def]) => dict([["type", type], ["minimum", min], ["maximum", max], ["default", def === null ? undefined : Math.max(min, Math.min(max, def))]]));

const leafSchema: fc.Arbitrary<JsonObject> = withAnnotations(
  fc.oneof(
    stringSchema.map((s) => dict(Object.entries(s))),
    enumSchema,
    numberSchema,
    fc.record({ type: fc.constant("boolean"), default: fc.boolean() }, { requiredKeys: ["type"] }).map((s) => dict(Object.entries(s))),
    hostileText.map((c) => dict([["const", c]])),
    fc.constant(dict([["type", "null"]])),
  ),
);

/** A property name: anything, `__proto__` and friends often. */
const propertyName = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom("__proto__", "constructor", "hasOwnProperty", "then", "delete", "3d", "a b", "x-y", "*/", "${x}", "", "日本") },
  { weight: 3, arbitrary: anyName },
);

/**
 * Schemas nested up to `depth`, whose `$ref`s name manifest types by index (resolved against
 * the drawn type names, so shrinking the names never leaves a dangling reference).
 */
export interface SchemaSpec {
  schema: JsonObject;
}

const REF_MARK = "\u0000mcpgen-test-type-index:";
/** A reference that must name an object type (a tool input's root): resolved among those only. */
const OBJECT_REF_MARK = "\u0000mcpgen-test-object-type-index:";

const refTo = fc.nat(50).map((i) => dict([["$ref", `${REF_MARK}${i}`]]));

const schemaAt = (depth: number): fc.Arbitrary<JsonObject> => {
  if (depth <= 0) return fc.oneof({ weight: 4, arbitrary: leafSchema }, { weight: 1, arbitrary: refTo });
  const inner = schemaAt(depth - 1);
  return fc.oneof(
    { weight: 5, arbitrary: leafSchema },
    { weight: 2, arbitrary: refTo },
    { weight: 3, arbitrary: objectSchemaOf(inner) },
    { weight: 1, arbitrary: withAnnotations(fc.tuple(inner, fc.option(fc.constant([]))).map(([items, def]) => dict([["type", "array"], ["items", items], ["default", def ?? undefined]]))) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("anyOf", "oneOf", "allOf"), fc.array(inner, { minLength: 1, maxLength: 3 })).map(([k, xs]) => dict([[k, xs]])) },
    { weight: 1, arbitrary: inner.map((s) => dict([["not", s]])) },
    { weight: 1, arbitrary: fc.tuple(inner, inner, fc.option(inner)).map(([i, t, e]) => dict([["if", i], ["then", t], ["else", e ?? undefined]])) },
  );
};

/** `{type: object, properties, required, additionalProperties}` over `inner` property schemas. */
const objectSchemaOf = (inner: fc.Arbitrary<JsonObject>) =>
  withAnnotations(
    fc
      .tuple(
        fc.uniqueArray(fc.tuple(propertyName, inner), { maxLength: 4, selector: ([k]) => k }),
        fc.array(fc.boolean(), { maxLength: 4 }),
        fc.option(fc.oneof(fc.boolean(), leafSchema)),
      )
      .map(([props, req, additional]) =>
        dict([
          ["type", "object"],
          ["properties", dict(props)],
          ["required", props.length > 0 && req.some(Boolean) ? props.filter((_, i) => req[i]).map(([k]) => k) : undefined],
          ["additionalProperties", additional ?? undefined],
        ]),
      ),
  );

/** A tool's `input`: an object schema, sometimes with `$defs`, `$schema`, or a root type ref. */
const inputSchema = fc.oneof(
  { weight: 6, arbitrary: objectSchemaOf(schemaAt(2)) },
  {
    weight: 1,
    // local $defs with a local ref to it (names prefixed so they never equal a type name)
    arbitrary: fc
      .tuple(objectSchemaOf(schemaAt(1)), fc.uniqueArray(fc.tuple(fc.oneof(fc.constant("__proto__"), anyName).map((n) => `local ${n}`), schemaAt(1)), { minLength: 1, maxLength: 2, selector: ([k]) => k }))
      .map(([root, defs]) => {
        const props = dict([...Object.entries(root.properties as JsonObject), ["viaLocalDef", dict([["$ref", `#/$defs/${encodePointerSegment(defs[0]![0])}`]])]]);
        return dict([...Object.entries(root), ["properties", props], ["$defs", dict(defs)]]);
      }),
  },
  { weight: 1, arbitrary: objectSchemaOf(schemaAt(1)).map((s) => dict([["$schema", "https://json-schema.org/draft/2020-12/schema"], ...Object.entries(s)])) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(50), fc.option(hostileText)).map(([i, d]) => dict([["$ref", `${OBJECT_REF_MARK}${i}`], ["description", d ?? undefined]])) },
);

/** An output: an object (sent as is) or a primitive/array (sent wrapped in `{result}`). */
const outputSchema = fc.oneof(objectSchemaOf(schemaAt(1)), leafSchema, schemaAt(1).map((items) => dict([["type", "array"], ["items", items]])), refTo);

/** Elicitation form schemas: flat objects of primitives, as MCP requires. */
const formSchema = fc
  .uniqueArray(
    fc.tuple(
      propertyName,
      fc.oneof(
        fc.record({ type: fc.constant("string"), title: hostileText, description: hostileText, default: hostileText }, { requiredKeys: ["type"] }),
        fc.record({ type: fc.constant("boolean"), default: fc.boolean() }, { requiredKeys: ["type"] }),
        fc.record({ type: fc.constant("integer"), default: fc.integer({ min: 0, max: 10 }), minimum: fc.constant(0), maximum: fc.constant(10) }, { requiredKeys: ["type"] }),
        fc.uniqueArray(hostileTextNonEmpty, { minLength: 1, maxLength: 3 }).map((e) => ({ type: "string", enum: e })),
      ).map((o) => dict(Object.entries(o))),
    ),
    { minLength: 1, maxLength: 3, selector: ([k]) => k },
  )
  .map((props) => dict([["type", "object"], ["properties", dict(props)]]));

// ---------------------------------------------------------------------------------------------
// Items

const icon = fc
  .record(
    {
      src: fc.oneof(hostileTextNonEmpty, fc.constant("https://example.com/icon.png"), fc.constant("data:image/png;base64,iVBORw0KGgo=")),
      mimeType: hostileText,
      sizes: fc.array(fc.constantFrom("any", "48x48", "16x16"), { minLength: 1, maxLength: 2 }),
      theme: fc.constantFrom("light", "dark"),
    },
    { requiredKeys: ["src"] },
  )
  .map(compact);
const icons = fc.array(icon, { minLength: 1, maxLength: 2 });
const meta = fc
  .uniqueArray(fc.tuple(fc.oneof(fc.constantFrom("__proto__", "com.example/key", "*/", "constructor"), hostileTextNonEmpty), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>), { minLength: 1, maxLength: 3, selector: ([k]) => k })
  .map(dict);

const toolAnnotations = fc
  .record({ title: hostileText, readOnlyHint: fc.boolean(), destructiveHint: fc.boolean(), idempotentHint: fc.boolean(), openWorldHint: fc.boolean() }, { requiredKeys: [] })
  .map(compact);

const tool = fc
  .record(
    {
      title: hostileText,
      description: hostileText,
      input: inputSchema,
      output: outputSchema,
      annotations: toolAnnotations,
      icons,
      _meta: meta,
      execution: fc.constantFrom("forbidden", "optional", "required").map((taskSupport) => dict([["taskSupport", taskSupport]])),
      elicit: fc
        .uniqueArray(fc.tuple(anyName, fc.record({ message: hostileTextNonEmpty, schema: formSchema })), { minLength: 1, maxLength: 2, selector: ([k]) => collisionKey(k) })
        .map((forms) => dict(forms.map(([n, f]) => [n, dict(Object.entries(f))]))),
    },
    { requiredKeys: [] },
  )
  .map(compact);

/** Percent-encodes what a URI cannot hold raw; keeps `*`, `'`, `$`, `/` and friends raw. */
export function uriSafe(text: string): string {
  let out = "";
  for (const ch of text.replace(LONE_SURROGATE, "\uFFFD")) {
    if (/^[A-Za-z0-9\-._~!$&'()*+,;=:@/?]$/.test(ch)) out += ch;
    else for (const b of new TextEncoder().encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

const scheme = fc.constantFrom("test", "file", "https", "db", "x-custom", "mem");

const resourceCommon = {
  title: hostileText,
  description: hostileText,
  mimeType: hostileText,
  icons,
  _meta: meta,
  annotations: fc
    .record({ audience: fc.subarray(["user", "assistant"], { minLength: 1 }), priority: fc.double({ min: 0, max: 1, noNaN: true }), lastModified: hostileText }, { requiredKeys: [] })
    .map(compact),
};

const staticResource = fc
  .record({ path: hostileText, scheme, text: hostileText, size: fc.nat(1 << 20), ...resourceCommon }, { requiredKeys: ["path", "scheme"] })
  .map(({ path, scheme: s, ...rest }) => compact({ uri: `${s}://host/${uriSafe(path)}`, ...rest }));

const OPERATORS = ["", "+", "#", ".", "/", ";", "?", "&"];

const templateResource = fc
  .record(
    {
      scheme,
      literal: hostileText,
      vars: fc.uniqueArray(fc.tuple(varName, fc.constantFrom(...OPERATORS), fc.constantFrom("", "*", ":3")), { minLength: 1, maxLength: 3, selector: ([v]) => v.toLowerCase() }),
      params: fc.array(fc.option(fc.record({ type: fc.constant("string"), description: hostileText, pattern: fc.constant(".*") }, { requiredKeys: ["type"] })), { maxLength: 3 }),
      complete: fc.array(fc.boolean(), { maxLength: 3 }),
      ...resourceCommon,
    },
    { requiredKeys: ["scheme", "literal", "vars"] },
  )
  .map(({ scheme: s, literal, vars, params, complete, ...rest }) => {
    // `'` is a URI character but not an RFC 6570 literal, so templates carry it encoded.
    const uri = `${s}://host/${uriSafe(literal).replace(/'/g, "%27")}${vars.map(([v, op, mod]) => `{${op}${v}${mod}}`).join("/")}`;
    const ps = vars.flatMap(([v], i) => (params?.[i] ? [[v, dict(Object.entries(params[i]!))] as const] : []));
    const cs = vars.filter((_, i) => complete?.[i]).map(([v]) => v);
    return compact({ uri, ...rest, params: ps.length > 0 ? dict(ps) : undefined, complete: cs.length > 0 ? cs : undefined });
  });

/** Words Handlebars reads as keywords, literals or built-in helpers, never as a plain `{{arg}}`. */
const HANDLEBARS_WORDS = ["else", "this", "true", "false", "null", "undefined", "if", "unless", "each", "with", "lookup", "log", "helperMissing", "blockHelperMissing"];

/** A prompt whose template/messages use `{{arg}}` only for arguments with plain names. */
const prompt = fc
  .record(
    {
      title: hostileText,
      description: hostileText,
      icons,
      _meta: meta,
      args: uniqueNames(anyName, 4, 1),
      argFields: fc.array(fc.record({ title: hostileText, description: hostileText, required: fc.constant(true), complete: fc.boolean() }, { requiredKeys: [] }), { maxLength: 4 }),
      body: fc.oneof(
        fc.record({ kind: fc.constant("template" as const), parts: fc.array(templateSafeText, { minLength: 1, maxLength: 3 }) }),
        fc.record({ kind: fc.constant("messages" as const), parts: fc.array(fc.tuple(fc.constantFrom("user", "assistant"), templateSafeText), { minLength: 1, maxLength: 3 }) }),
        fc.constant({ kind: "handler" as const, parts: [] }),
      ),
    },
    { requiredKeys: ["body"] },
  )
  .map(({ args, argFields, body, ...rest }) => {
    const names = args ?? [];
    const placeholders = names.filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n) && !HANDLEBARS_WORDS.includes(n)).map((n) => `{{${n}}}`);
    const withArgs = (text: string, i: number) => (placeholders.length > 0 ? `${text}${placeholders[i % placeholders.length]}` : text);
    const argsDict = names.length > 0 ? dict(names.map((n, i) => [n, compact({ ...(argFields?.[i] ?? {}) })])) : undefined;
    const template = body.kind === "template" ? (body.parts as string[]).map(withArgs).join("") : undefined;
    const messages = body.kind === "messages" ? (body.parts as [string, string][]).map(([role, text], i) => dict([["role", role], ["text", withArgs(text, i)]])) : undefined;
    return compact({ ...rest, arguments: argsDict, template, messages });
  });

// ---------------------------------------------------------------------------------------------
// Manifests

export interface ManifestSize {
  tools: number;
  resources: number;
  templates: number;
  prompts: number;
  types: number;
}

/** Replaces type-index markers with `#/types/...` refs to drawn type names (or plain schemas when none fits). */
function resolveRefs(value: unknown, typeNames: string[], objectTypeNames: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, typeNames, objectTypeNames));
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const ref = typeof o.$ref === "string" ? o.$ref : "";
    const [mark, names, fallback] = ref.startsWith(OBJECT_REF_MARK)
      ? [OBJECT_REF_MARK, objectTypeNames, "object"]
      : [REF_MARK, typeNames, "string"];
    if (ref.startsWith(mark)) {
      const i = Number(ref.slice(mark.length)) % Math.max(1, names.length);
      return dict(
        Object.entries(o).map(([k, v]) =>
          k !== "$ref" ? [k, resolveRefs(v, typeNames, objectTypeNames)] : names.length === 0 ? ["type", fallback] : ["$ref", typeRef(names[i]!)],
        ),
      );
    }
    return dict(Object.entries(o).map(([k, v]) => [k, resolveRefs(v, typeNames, objectTypeNames)]));
  }
  return value;
}

/** A whole manifest with up to `size` items of each kind. */
export function manifestArb(size: ManifestSize): fc.Arbitrary<JsonObject> {
  return fc
    .record({
      server: fc.record(
        { name: hostileTextNonEmpty, version: hostileTextNonEmpty, title: hostileText, description: hostileText, instructions: hostileText, icons },
        { requiredKeys: ["name", "version"] },
      ),
      client: fc.boolean(),
      format: fc.boolean(),
      types: fc.uniqueArray(fc.tuple(anyName, schemaAt(2)), { maxLength: size.types, selector: ([k]) => collisionKey(k) }),
      tools: fc.uniqueArray(fc.tuple(toolName, tool), { maxLength: size.tools, selector: ([k]) => collisionKey(k) }),
      statics: fc.array(staticResource, { maxLength: size.resources }),
      templates: fc.array(templateResource, { maxLength: size.templates }),
      resourceNames: uniqueNames(anyName, size.resources + size.templates),
      prompts: fc.uniqueArray(fc.tuple(anyName, prompt), { maxLength: size.prompts, selector: ([k]) => collisionKey(k) }),
    })
    .map((d) => {
      const typeNames = d.types.map(([n]) => n);
      // A type that is only a reference (an alias) may name a later type only: a cycle of bare
      // aliases (`A: {$ref: B}`, `B: {$ref: A}`) describes no value, and refusing it is fair.
      d.types = d.types.map(([name, schema], i) => {
        const ref = schema.$ref;
        if (typeof ref !== "string" || !ref.startsWith(REF_MARK)) return [name, schema];
        const later = typeNames.length - i - 1;
        const target = later > 0 ? i + 1 + (Number(ref.slice(REF_MARK.length)) % later) : -1;
        return [name, dict(Object.entries(schema).map(([k, v]) => (k !== "$ref" ? [k, v] : target < 0 ? ["type", "string"] : ["$ref", typeRef(typeNames[target]!)])))];
      });
      // Resource names come from one pool so statics and templates never share one; URIs are made unique by index.
      const resources: [string, JsonObject][] = [];
      const pool = [...d.resourceNames];
      [...d.statics, ...d.templates].forEach((r, i) => {
        const name = pool.shift();
        if (name === undefined) return;
        const uri = String(r.uri);
        const unique = uri.includes("{") ? uri.replace("://host/", `://host${i}/`) : `${uri}${uri.includes("?") ? "&" : "?"}n=${i}`;
        resources.push([name, dict(Object.entries(r).map(([k, v]) => [k, k === "uri" ? unique : v]))]);
      });
      const manifest = dict([
        ["version", 1],
        ["server", compact(d.server)],
        ["generate", dict([["client", d.client], ["format", d.format]])],
        ["types", typeNames.length > 0 ? dict(d.types) : undefined],
        ["tools", d.tools.length > 0 ? dict(d.tools) : undefined],
        ["resources", resources.length > 0 ? dict(resources) : undefined],
        ["prompts", d.prompts.length > 0 ? dict(d.prompts) : undefined],
      ]);
      const objectTypeNames = d.types.filter(([, schema]) => schema.type === "object").map(([n]) => n);
      return resolveRefs(manifest, typeNames, objectTypeNames) as JsonObject;
    });
}
