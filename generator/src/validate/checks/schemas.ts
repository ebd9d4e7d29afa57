import { formatPath, type JsonPath } from '../../load/index.js';
import { reportsFromAjv } from '../ajvErrors.js';
import { entriesOf, isRecord } from '../guards.js';
import { manifestValidators } from '../manifestSchema.js';
import { didYouMean, listCode } from '../suggest.js';
import type { CheckContext } from './context.js';
import { KNOWN_KEYWORDS, schemaSites, walkSchema, type SchemaSite } from './schemaWalk.js';
import { followPointer, parseTypeRef, resolveTypeRef } from './typeRefs.js';

const DIALECT_2020 = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/;

function checkRef(ctx: CheckContext, ref: string, path: JsonPath, typeNames: ReadonlySet<string>): void {
  const at = [...path, '$ref'];
  const parsed = parseTypeRef(ref);
  if (!parsed) {
    // A bare type name (`$ref: Day`) is a common slip; other refs ($defs, URLs) are left alone.
    if (typeNames.has(ref)) {
      ctx.report({ code: 'ref-invalid', message: `\`$ref: ${ref}\` is not a reference to the type \`${ref}\``, hint: `write \`$ref: "#/types/${ref}"\``, at });
    }
    return;
  }
  if (parsed.name === '') {
    ctx.report({ code: 'ref-invalid', message: `\`${ref}\` does not name a type`, hint: 'write `#/types/Name`, where Name is a key under `types`', at });
    return;
  }
  if (!typeNames.has(parsed.name)) {
    const suggestion = didYouMean(parsed.name, typeNames);
    const known = typeNames.size > 0 ? `declared types: ${listCode([...typeNames])}` : 'no types are declared: add it under `types`';
    ctx.report({
      code: 'ref-unknown-type',
      message: `\`${ref}\` refers to an unknown type \`${parsed.name}\``,
      hint: suggestion ? `did you mean \`#/types/${suggestion}\`? ${known}` : known,
      at,
    });
    return;
  }
  if (parsed.rest.length > 0 && !followPointer(ctx.root.types, [parsed.name, ...parsed.rest]).found) {
    ctx.report({ code: 'ref-invalid', message: `\`${ref}\` points inside type \`${parsed.name}\` to something that does not exist`, at });
  }
}

function checkKeywordTypos(ctx: CheckContext, node: Record<string, unknown>, pathOf: () => JsonPath): void {
  for (const key of Object.keys(node)) {
    if (KNOWN_KEYWORDS.has(key) || key.startsWith('x-') || key.length < 4) continue;
    const suggestion = didYouMean(key, KNOWN_KEYWORDS);
    if (suggestion) {
      ctx.report({
        code: 'schema-keyword-typo',
        message: `\`${key}\` is not a JSON Schema keyword, so it has no effect`,
        hint: `did you mean \`${suggestion}\`?`,
        at: [...pathOf(), key],
        target: 'key',
      });
    }
  }
}

/** Runs the 2020-12 meta-schema over one embedded schema and reports its errors in place. */
function checkAgainstMetaSchema(ctx: CheckContext, site: SchemaSite): void {
  const { schema, path, label } = site;
  if (typeof schema === 'boolean' || !isRecord(schema)) return;
  if (schema.$schema !== undefined && !(typeof schema.$schema === 'string' && DIALECT_2020.test(schema.$schema))) return;
  const { ajv } = manifestValidators();
  if (ajv.validateSchema(schema)) return;
  const errors = ajv.errors ?? [];
  const seen = new Set<string>();
  const where = (p: JsonPath) => (p.length === 0 ? 'the schema' : `\`${formatPath(p)}\``);
  for (const report of reportsFromAjv(errors, { where })) {
    const at = [...path, ...report.at];
    const key = `${JSON.stringify(at)}\u0000${report.message}`;
    if (seen.has(key)) continue; // the meta-schema's vocabularies repeat the same error
    seen.add(key);
    let hint = report.hint;
    if (report.at[report.at.length - 1] === 'items' && Array.isArray(followPointer(schema, report.at.map(String)).value)) {
      hint = 'in JSON Schema 2020-12 a list of item schemas is written `prefixItems`';
    }
    ctx.report({
      code: 'schema-invalid',
      message: `${label} is not a valid JSON Schema: ${report.message}`,
      hint,
      at,
      target: report.target,
    });
  }
}

function isObjectSchema(schema: unknown): boolean {
  if (!isRecord(schema)) return false;
  const type = schema.type;
  return type === 'object' || (Array.isArray(type) && type.length === 1 && type[0] === 'object');
}

/** MCP tool arguments are always an object, so `inputSchema` must be `type: object`. */
function checkToolInput(ctx: CheckContext, toolName: string): void {
  const tool = (ctx.root.tools as Record<string, unknown>)[toolName];
  if (!isRecord(tool) || !('input' in tool)) return;
  const schema = tool.input;
  if (!isRecord(schema) && typeof schema !== 'boolean') return; // the schema layer reports it
  const at = ['tools', toolName, 'input'];
  const resolved = resolveTypeRef(schema, at, ctx.root.types);
  if (isRecord(schema) && typeof schema.$ref === 'string' && parseTypeRef(schema.$ref) && resolved.via.length === 0) return; // bad ref: reported
  if (isObjectSchema(resolved.schema)) return;
  const via = resolved.via.length > 0 ? ` (it refers to \`${resolved.via[resolved.via.length - 1]}\`)` : '';
  const hasProperties = isRecord(resolved.schema) && 'properties' in resolved.schema && resolved.schema.type === undefined;
  ctx.report({
    code: 'tool-input-not-object',
    message: `the input of tool \`${toolName}\` must be an object schema${via}: MCP tool arguments are always an object`,
    hint: hasProperties ? 'add `type: object`' : 'write `type: object` with `properties`, or wrap the value: `properties: { value: ... }`',
    at,
  });
}

/** An RFC 9110 token: what a header name may be made of. */
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Keywords an `x-mcp-header` must not sit under: it must be reached through `properties` alone. */
const HEADER_UNREACHABLE = new Set([
  'items', 'prefixItems', 'contains', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'propertyNames',
  'patternProperties', 'dependentSchemas', 'oneOf', 'anyOf', 'allOf', 'not', 'if', 'then', 'else', '$defs', 'definitions',
]);
const MAP_VALUED = new Set(['patternProperties', 'dependentSchemas', '$defs', 'definitions']);

/**
 * `x-mcp-header` on tool input properties (2026-07-28 Streamable HTTP: the argument is
 * mirrored into an `Mcp-Param-<Name>` header). Clients refuse a tool whose annotations break
 * the rules, so they are errors here: a non-empty header token, unique ignoring case, on a
 * string, integer or boolean property reached from the root through `properties` only.
 */
function checkToolHeaders(ctx: CheckContext, toolName: string): void {
  const tool = (ctx.root.tools as Record<string, unknown>)[toolName];
  if (!isRecord(tool) || !isRecord(tool.input)) return;
  const seen = new Map<string, string>();
  const visit = (node: unknown, at: JsonPath, reachable: boolean): void => {
    if (!isRecord(node)) return;
    if ('x-mcp-header' in node) {
      const here = [...at, 'x-mcp-header'];
      const h = node['x-mcp-header'];
      const report = (message: string, hint?: string) => ctx.report({ code: 'tool-header-invalid', message, hint, at: here });
      if (!reachable || at.length === 3) {
        report('`x-mcp-header` is only allowed on a property reached through `properties` alone', 'put it on a property of the input object, not under items, additionalProperties, oneOf/anyOf/allOf, if/then/else or $defs');
      } else if (typeof h !== 'string' || h.length === 0 || !HEADER_TOKEN.test(h)) {
        report(`\`x-mcp-header: ${JSON.stringify(h)}\` is not a valid header name`, 'use letters, digits and - (an RFC 9110 token): the header is Mcp-Param-<name>');
      } else if (node.type !== 'string' && node.type !== 'integer' && node.type !== 'boolean') {
        report(`\`x-mcp-header\` needs a string, integer or boolean property (this one is ${typeof node.type === 'string' ? node.type : 'untyped'})`);
      } else {
        const prior = seen.get(h.toLowerCase());
        if (prior !== undefined) report(`\`x-mcp-header: ${h}\` is used twice (header names ignore case; also \`${prior}\`)`);
        seen.set(h.toLowerCase(), h);
      }
    }
    if (isRecord(node.properties)) for (const [k, child] of Object.entries(node.properties)) visit(child, [...at, 'properties', k], reachable);
    for (const [k, sub] of Object.entries(node)) {
      if (!HEADER_UNREACHABLE.has(k)) continue;
      const branches: [string | number, unknown][] = Array.isArray(sub) ? sub.map((b, i) => [i, b]) : MAP_VALUED.has(k) && isRecord(sub) ? Object.entries(sub) : [[k, sub]];
      for (const [key, b] of branches) visit(b, key === k ? [...at, k] : [...at, k, key], false);
    }
  };
  visit(tool.input, ['tools', toolName, 'input'], true);
}

/**
 * `$ref`s to `#/types/...`, keyword typos, 2020-12 validity, and object tool inputs. (A
 * non-object `output` is fine: the generator wraps it as `{ result }` for the wire.)
 */
export function checkSchemas(ctx: CheckContext): void {
  const typeNames: ReadonlySet<string> = new Set(Object.keys(isRecord(ctx.root.types) ? ctx.root.types : {}));
  for (const site of schemaSites(ctx.root)) {
    walkSchema(site.schema, site.path, (node, pathOf) => {
      if (typeof node.$ref === 'string') checkRef(ctx, node.$ref, pathOf(), typeNames);
      checkKeywordTypos(ctx, node, pathOf);
    });
    checkAgainstMetaSchema(ctx, site);
  }
  for (const [name] of entriesOf(ctx.root.tools)) {
    checkToolInput(ctx, name);
    checkToolHeaders(ctx, name);
  }
  checkRefCycles(ctx);
}

/**
 * `A: {$ref: "#/types/B"}` with `B: {$ref: "#/types/A"}`, or `A: {anyOf: [{$ref: "#/types/A"},
 * {type: boolean}]}`: a type that reaches itself through references and combinators alone, with
 * no object property or array item in between. Such a type never gets a definition of its own,
 * and TypeScript refuses it as a type alias that circularly references itself. (A cycle through
 * properties or items, such as a tree, is fine.) Reported once per cycle, at its first type.
 */
function checkRefCycles(ctx: CheckContext): void {
  const types = isRecord(ctx.root.types) ? ctx.root.types : {};
  const schemaOf = (name: string): unknown => (Object.hasOwn(types, name) ? types[name] : undefined);
  const reported = new Set<string>();
  for (const [start] of entriesOf(types)) {
    if (reported.has(start)) continue;
    const chain = unguardedPathBack(start, schemaOf);
    if (!chain || chain.some((t) => reported.has(t))) continue;
    for (const t of chain) reported.add(t);
    ctx.report({
      code: 'ref-cycle',
      message: `type \`${start}\` refers to itself with no object property or array item in between: ${[...chain, start].map((t) => `\`${t}\``).join(' -> ')}`,
      hint: 'give the type a schema of its own, or put the reference inside `properties` or `items` (a tree is fine)',
      at: ['types', start],
      target: 'key',
    });
  }
}

/** Keywords whose subschemas describe the same value as their parent (no property, no item). */
const SAME_VALUE_LIST = ['anyOf', 'oneOf', 'allOf'];
const SAME_VALUE_ONE = ['not', 'if', 'then', 'else'];

/** The types passed through on a path from `start` back to itself at the same value, if any. */
function unguardedPathBack(start: string, schemaOf: (name: string) => unknown): string[] | undefined {
  const visiting = new Set<string>();
  const walk = (type: string, chain: string[]): string[] | undefined => {
    if (visiting.has(type)) return undefined;
    visiting.add(type);
    const found = sameValueRefs(schemaOf(type)).reduce<string[] | undefined>(
      (hit, next) => hit ?? (next === start ? chain : walk(next, [...chain, next])),
      undefined,
    );
    return found;
  };
  return walk(start, [start]);
}

/** Types referenced at the same value as `schema` (its root and its combinators' branches). */
function sameValueRefs(schema: unknown, out: string[] = []): string[] {
  if (!isRecord(schema)) return out;
  if (typeof schema.$ref === 'string') {
    const ref = parseTypeRef(schema.$ref);
    if (ref && ref.rest.length === 0) out.push(ref.name);
  }
  for (const k of SAME_VALUE_LIST) if (Array.isArray(schema[k])) for (const sub of schema[k] as unknown[]) sameValueRefs(sub, out);
  for (const k of SAME_VALUE_ONE) sameValueRefs(schema[k], out);
  return out;
}
