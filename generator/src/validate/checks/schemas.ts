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
  }
}
