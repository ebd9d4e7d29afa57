import type { JsonPath } from '../../load/index.js';
import { entriesOf, isRecord } from '../guards.js';
import { listCode } from '../suggest.js';
import type { CheckContext } from './context.js';
import { resolveTypeRef } from './typeRefs.js';

/** String formats MCP elicitation defines (2025-11-25 StringSchema). */
const STRING_FORMATS = ['email', 'uri', 'date', 'date-time'];

/** Keywords each primitive kind may carry in MCP 2025-11-25 (PrimitiveSchemaDefinition). */
const ALLOWED: Record<string, readonly string[]> = {
  form: ['$schema', 'type', 'properties', 'required', 'title', 'description'],
  string: ['type', 'title', 'description', 'minLength', 'maxLength', 'format', 'default', 'enum', 'enumNames', 'oneOf'],
  number: ['type', 'title', 'description', 'minimum', 'maximum', 'default'],
  boolean: ['type', 'title', 'description', 'default'],
  array: ['type', 'title', 'description', 'minItems', 'maxItems', 'items', 'default'],
};
const ALWAYS_ALLOWED = ['$ref', '$comment'];

const FLAT_HINT =
  'elicitation forms are flat: each property is a string (formats email, uri, date, date-time), number, integer, boolean, a string enum, or a list of string enums (multi-select)';

interface FormContext {
  ctx: CheckContext;
  /** `elicitation \`confirm\` of tool \`book_table\``, for messages. */
  label: string;
}

function via(refs: string[]): string {
  return refs.length > 0 ? ` (via \`${refs[refs.length - 1]}\`)` : '';
}

function warnUnsupported(f: FormContext, node: Record<string, unknown>, path: JsonPath, kind: string): void {
  const allowed = ALLOWED[kind] ?? [];
  for (const key of Object.keys(node)) {
    if (allowed.includes(key) || ALWAYS_ALLOWED.includes(key)) continue;
    f.ctx.report({
      code: 'elicit-unsupported-keyword',
      message: `\`${key}\` is not part of MCP elicitation schemas (${f.label}); clients may ignore it`,
      hint: `supported here: ${listCode(allowed)}`,
      at: [...path, key],
      target: 'key',
    });
  }
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isTitledOptions(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => isRecord(v) && typeof v.const === 'string');
}

function notFlat(f: FormContext, path: JsonPath, what: string, refs: string[]): void {
  f.ctx.report({ code: 'elicit-not-flat', message: `${f.label}: ${what}${via(refs)}`, hint: FLAT_HINT, at: path });
}

function checkProperty(f: FormContext, name: string, raw: unknown, rawPath: JsonPath): void {
  const { schema, path, via: refs } = resolveTypeRef(raw, rawPath, f.ctx.root.types);
  if (!isRecord(schema)) {
    notFlat(f, rawPath, `property \`${name}\` must be a schema with a primitive \`type\``, refs);
    return;
  }
  const type = schema.type;
  if (typeof type !== 'string') {
    const what = Array.isArray(type) ? 'must have a single `type`' : 'needs a `type`';
    notFlat(f, rawPath, `property \`${name}\` ${what}`, refs);
    return;
  }
  switch (type) {
    case 'string': {
      if ('enum' in schema && !isStringList(schema.enum)) notFlat(f, [...path, 'enum'], `the enum of property \`${name}\` must list strings only`, refs);
      if ('oneOf' in schema && !isTitledOptions(schema.oneOf)) {
        notFlat(f, [...path, 'oneOf'], `the oneOf of property \`${name}\` must list \`{ const: string, title: string }\` options`, refs);
      }
      if ('format' in schema && !STRING_FORMATS.includes(String(schema.format))) {
        notFlat(f, [...path, 'format'], `format \`${String(schema.format)}\` of property \`${name}\` is not one MCP elicitation supports (${STRING_FORMATS.join(', ')})`, refs);
      }
      warnUnsupported(f, schema, path, 'string');
      return;
    }
    case 'number':
    case 'integer':
      warnUnsupported(f, schema, path, 'number');
      return;
    case 'boolean':
      warnUnsupported(f, schema, path, 'boolean');
      return;
    case 'array': {
      const items = resolveTypeRef(schema.items, [...path, 'items'], f.ctx.root.types);
      const ok =
        isRecord(items.schema) &&
        ((items.schema.type === 'string' && isStringList(items.schema.enum)) || isTitledOptions(items.schema.anyOf));
      if (!ok) {
        notFlat(f, items.path, `property \`${name}\` is a list, so its \`items\` must be a string enum (a multi-select)`, refs);
      }
      warnUnsupported(f, schema, path, 'array');
      return;
    }
    default:
      notFlat(f, rawPath, `property \`${name}\` is ${type === 'object' ? 'a nested object' : `of type \`${type}\``}, which a form cannot ask for`, refs);
  }
}

function checkForm(ctx: CheckContext, toolName: string, question: string, raw: unknown): void {
  const rawPath: JsonPath = ['tools', toolName, 'elicit', question, 'schema'];
  const f: FormContext = { ctx, label: `elicitation \`${question}\` of tool \`${toolName}\`` };
  if (typeof raw !== 'boolean' && !isRecord(raw)) return; // the schema layer reports it
  const { schema, path, via: refs } = resolveTypeRef(raw, rawPath, ctx.root.types);
  if (isRecord(raw) && typeof raw.$ref === 'string' && refs.length === 0 && raw.$ref.startsWith('#/types')) return; // bad ref: reported
  if (!isRecord(schema) || schema.type !== 'object') {
    notFlat(f, rawPath, 'the form must be `type: object` with `properties`', refs);
    return;
  }
  if (!isRecord(schema.properties)) {
    notFlat(f, rawPath, 'the form needs `properties`', refs);
    return;
  }
  warnUnsupported(f, schema, path, 'form');
  for (const [name, prop] of Object.entries(schema.properties)) checkProperty(f, name, prop, [...path, 'properties', name]);
  if (Array.isArray(schema.required)) {
    schema.required.forEach((name, i) => {
      if (typeof name === 'string' && !(name in (schema.properties as Record<string, unknown>))) {
        ctx.report({
          code: 'elicit-required-unknown',
          message: `${f.label} requires \`${name}\`, which is not one of its properties`,
          hint: `properties: ${listCode(Object.keys(schema.properties as Record<string, unknown>))}`,
          at: [...path, 'required', i],
        });
      }
    });
  }
}

/** Elicitation forms must be what MCP clients can render: a flat object of primitives. */
export function checkElicitation(ctx: CheckContext): void {
  for (const [toolName, tool] of entriesOf(ctx.root.tools)) {
    if (!isRecord(tool)) continue;
    for (const [question, spec] of entriesOf(tool.elicit)) {
      if (isRecord(spec) && 'schema' in spec) checkForm(ctx, toolName, question, spec.schema);
    }
  }
}
