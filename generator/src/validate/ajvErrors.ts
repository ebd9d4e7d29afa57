import type { ErrorObject } from 'ajv/dist/2020.js';
import { formatPath, parseJsonPointer, type JsonPath } from '../load/index.js';
import { describeValue, isRecord } from './guards.js';
import type { Report } from './report.js';
import { didYouMean, listCode } from './suggest.js';

function isUnder(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

/** Which branch of the anyOf/oneOf at `schemaPath` produced `error`; -1 when a $ref hides it. */
function branchOf(error: ErrorObject, schemaPath: string): number {
  const prefix = `${schemaPath}/`;
  if (!error.schemaPath.startsWith(prefix)) return -1;
  const index = Number(error.schemaPath.slice(prefix.length).split('/')[0]);
  return Number.isInteger(index) ? index : -1;
}

function mergeTypes(errors: ErrorObject[]): string[] {
  const types = new Set<string>();
  for (const e of errors) {
    const t = (e.params as { type?: string | string[] }).type;
    for (const one of Array.isArray(t) ? t : String(t).split(',')) types.add(one);
  }
  return [...types];
}

/**
 * With allErrors, a failed anyOf/oneOf reports every branch's errors and then its own, most of
 * them noise ("must be boolean" when the author clearly wrote a mapping). ajv emits a branch's
 * errors right before the anyOf error, so one pass with a stack regroups them:
 * - branches that failed only because the value has another type are dropped;
 * - if every branch is a type mismatch, one "must be X or Y" error remains;
 * - otherwise the branch with the fewest errors speaks (the shape the author was going for).
 */
export function collapseAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') {
      out.push(error);
      continue;
    }
    if (error.keyword === 'oneOf' && (error.params as { passingSchemas?: unknown }).passingSchemas) {
      out.push(error); // "matches more than one": not a cascade
      continue;
    }
    const branchErrors: ErrorObject[] = [];
    while (out.length > 0 && isUnder(out[out.length - 1]!.instancePath, error.instancePath)) branchErrors.unshift(out.pop()!);
    const isTypeMismatch = (e: ErrorObject) => e.keyword === 'type' && e.instancePath === error.instancePath;
    const typeErrors = branchErrors.filter(isTypeMismatch);
    const byBranch = new Map<number, ErrorObject[]>();
    const mismatched = new Set(typeErrors.map((e) => branchOf(e, error.schemaPath)));
    for (const e of branchErrors) {
      if (isTypeMismatch(e)) continue;
      const branch = branchOf(e, error.schemaPath);
      if (branch >= 0 && mismatched.has(branch)) continue;
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), e]);
    }
    if (byBranch.size === 0) {
      const types = mergeTypes(typeErrors);
      out.push({ ...error, keyword: 'type', params: { type: types }, message: `must be ${types.join(' or ')}` });
      continue;
    }
    // Errors whose branch a $ref hid (-1) cannot be told apart: keep them with the smallest group.
    const groups = [...byBranch.entries()].sort((a, b) => a[1].length - b[1].length || a[0] - b[0]);
    const chosen = groups[0]![0] === -1 ? groups[0]![1] : [...groups[0]![1], ...(byBranch.get(-1) ?? [])];
    out.push(...chosen);
  }
  return out;
}

function manifestWhere(path: JsonPath): string {
  return path.length === 0 ? 'the top level' : formatPath(path);
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'empty',
};

function expectedTypes(type: unknown): string {
  const types = Array.isArray(type) ? type : String(type).split(',');
  const words = types.map((t) => TYPE_WORDS[String(t)] ?? String(t));
  return words.length > 2 || (words.length === 2 && words.some((w) => w.includes(' or '))) ? `${words.slice(0, -1).join(', ')}, or ${words[words.length - 1]}` : words.join(' or ');
}

function typeHint(expected: unknown, data: unknown, source: string | undefined): string | undefined {
  const types = Array.isArray(expected) ? expected.map(String) : String(expected).split(',');
  const written = source?.trim();
  const quoted = written !== undefined && /^["']/.test(written);
  if (types.includes('string') && (typeof data === 'number' || typeof data === 'boolean')) {
    const shown = written || String(data);
    return `YAML reads an unquoted ${shown} as a ${typeof data}: put it in quotes, "${shown}"`;
  }
  if (typeof data === 'string' && quoted) {
    const numeric = (types.includes('integer') || types.includes('number')) && data.trim() !== '' && !Number.isNaN(Number(data));
    const boolean = types.includes('boolean') && (data === 'true' || data === 'false');
    if (numeric || boolean) return `remove the quotes: ${data.trim()}`;
  }
  if (types.includes('boolean') && typeof data === 'string' && !quoted && /^(y|yes|n|no|on|off)$/i.test(data)) {
    return `write true or false: YAML 1.2 reads ${data} as a string`;
  }
  if (data === null) {
    return types.includes('object') ? 'the key has no value: write `{}` for an empty mapping, or remove the key' : 'the key has no value: give it one, or remove the key';
  }
  if (types.includes('object') && Array.isArray(data)) return 'write `key: value` pairs rather than `- item` entries';
  if (types.includes('array') && typeof data === 'string') return `write a list: [${JSON.stringify(data)}]`;
  return undefined;
}

function propertyDescription(parentSchema: unknown, property: string): string | undefined {
  if (!isRecord(parentSchema) || !isRecord(parentSchema.properties)) return undefined;
  const prop = parentSchema.properties[property];
  if (!isRecord(prop)) return undefined;
  // Schema descriptions start "Required." for required keys: redundant in a missing-key hint.
  if (typeof prop.description === 'string') return prop.description.replace(/^Required\.\s*/, '');
  return undefined;
}

/** Turns one (collapsed) ajv error into a report, or undefined for errors another check owns. */
interface MapOptions {
  where: (path: JsonPath) => string;
  sourceOf: (path: JsonPath) => string | undefined;
}

function toReport(error: ErrorObject, { where, sourceOf }: MapOptions): Report | undefined {
  // Names under tools/resources/prompts have a semantic check with better messages.
  if (error.keyword === 'propertyNames' || (error as { propertyName?: string }).propertyName !== undefined) return undefined;
  const path = parseJsonPointer(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const data = error.data;
  const parentSchema: unknown = error.parentSchema;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = isRecord(parentSchema) && isRecord(parentSchema.properties) ? Object.keys(parentSchema.properties) : [];
      const suggestion = didYouMean(key, allowed);
      const list = `allowed keys: ${listCode(allowed)}`;
      return {
        code: 'unknown-key',
        message: `unknown key \`${key}\` in ${where(path)}`,
        hint: suggestion ? `did you mean \`${suggestion}\`? ${list}` : list,
        at: [...path, key],
        target: 'key',
      };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      if (path.length === 0 && missing === 'version') {
        return { code: 'version-unsupported', message: 'missing `version`: mcp.yaml must declare its format version', hint: 'add `version: 1` as the first key', at: [], point: true };
      }
      return {
        code: 'missing-key',
        message: `missing required key \`${missing}\` in ${where(path)}`,
        hint: propertyDescription(parentSchema, missing),
        at: path,
        target: 'key',
        point: path.length === 0,
      };
    }
    case 'type':
      return {
        code: 'wrong-type',
        message: `${where(path)} must be ${expectedTypes(params.type)}, not ${describeValue(data)}`,
        hint: typeHint(params.type, data, sourceOf(path)),
        at: path,
      };
    case 'const':
      if (path.length === 1 && path[0] === 'version') {
        return {
          code: 'version-unsupported',
          message: `unsupported manifest version ${JSON.stringify(data)}: this mcpgen reads version 1`,
          hint: typeof data === 'number' && data > 1 ? 'this manifest needs a newer mcpgen; upgrade it, or write `version: 1`' : 'write `version: 1`',
          at: path,
        };
      }
      return { code: 'invalid-value', message: `${where(path)} must be ${JSON.stringify(params.allowedValue)}`, at: path };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof data === 'string' ? didYouMean(data, allowed) : undefined;
      return {
        code: 'invalid-value',
        message: `${where(path)} must be one of ${listCode(allowed)}, not ${describeValue(data)}`,
        hint: suggestion ? `did you mean \`${suggestion}\`?` : undefined,
        at: path,
      };
    }
    case 'pattern': {
      const custom = isRecord(parentSchema) && typeof parentSchema.patternErrorMessage === 'string' ? parentSchema.patternErrorMessage : undefined;
      return { code: 'invalid-value', message: `${where(path)} is not valid: ${describeValue(data)}`, hint: custom ?? `it must match ${String(params.pattern)}`, at: path };
    }
    case 'format':
      return { code: 'invalid-value', message: `${where(path)} must be a ${String(params.format).toUpperCase()}, not ${describeValue(data)}`, hint: params.format === 'uri' ? 'write an absolute URI with a scheme, such as https://example.com' : undefined, at: path };
    case 'minLength':
      return params.limit === 1
        ? { code: 'invalid-value', message: `${where(path)} must not be empty`, at: path }
        : { code: 'invalid-value', message: `${where(path)} must be at least ${String(params.limit)} characters long`, at: path };
    case 'maxLength':
      return { code: 'invalid-value', message: `${where(path)} must be at most ${String(params.limit)} characters long`, at: path };
    case 'minItems':
      return { code: 'invalid-value', message: `${where(path)} must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`, at: path };
    case 'maxItems':
      return { code: 'invalid-value', message: `${where(path)} must have at most ${String(params.limit)} items`, at: path };
    case 'uniqueItems':
      return { code: 'invalid-value', message: `${where(path)} lists the same value twice (items ${String(params.j)} and ${String(params.i)})`, hint: 'remove the duplicate', at: [...path, Number(params.i)] };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { code: 'invalid-value', message: `${where(path)} must be ${String(params.comparison)} ${String(params.limit)}, not ${describeValue(data)}`, at: path };
    default:
      return { code: 'invalid-value', message: `${where(path)} ${error.message ?? 'is not valid'}`, at: path };
  }
}

/** Maps ajv's errors for the manifest into reports, collapsed and with human messages. */
export function reportsFromAjv(
  errors: readonly ErrorObject[] | null | undefined,
  options: Partial<MapOptions> = {},
): Report[] {
  const mapOptions: MapOptions = { where: options.where ?? manifestWhere, sourceOf: options.sourceOf ?? (() => undefined) };
  const reports: Report[] = [];
  for (const error of collapseAlternatives(errors ?? [])) {
    const report = toReport(error, mapOptions);
    if (report) reports.push(report);
  }
  return reports;
}
