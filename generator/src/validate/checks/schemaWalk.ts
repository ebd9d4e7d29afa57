import type { JsonPath } from '../../load/index.js';
import { MAX_DEPTH } from '../../load/index.js';
import { entriesOf, isRecord } from '../guards.js';

/** An embedded JSON Schema in the manifest and what it is, for messages. */
export interface SchemaSite {
  path: JsonPath;
  schema: unknown;
  /** `the input of tool \`get_forecast\`` */
  label: string;
}

/** Every place the manifest embeds a JSON Schema, in document order. */
export function schemaSites(root: Record<string, unknown>): SchemaSite[] {
  const sites: SchemaSite[] = [];
  for (const [name, schema] of entriesOf(root.types)) sites.push({ path: ['types', name], schema, label: `type \`${name}\`` });
  for (const [name, tool] of entriesOf(root.tools)) {
    if (!isRecord(tool)) continue;
    if ('input' in tool) sites.push({ path: ['tools', name, 'input'], schema: tool.input, label: `the input of tool \`${name}\`` });
    if ('output' in tool) sites.push({ path: ['tools', name, 'output'], schema: tool.output, label: `the output of tool \`${name}\`` });
    for (const [question, spec] of entriesOf(tool.elicit)) {
      if (isRecord(spec) && 'schema' in spec) {
        sites.push({ path: ['tools', name, 'elicit', question, 'schema'], schema: spec.schema, label: `elicitation \`${question}\` of tool \`${name}\`` });
      }
    }
  }
  for (const [name, resource] of entriesOf(root.resources)) {
    if (!isRecord(resource)) continue;
    for (const [variable, schema] of entriesOf(resource.params)) {
      sites.push({ path: ['resources', name, 'params', variable], schema, label: `parameter \`${variable}\` of resource \`${name}\`` });
    }
  }
  return sites;
}

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_SINGLES = [
  'additionalProperties', 'unevaluatedProperties', 'items', 'unevaluatedItems', 'contains', 'propertyNames',
  'not', 'if', 'then', 'else', 'additionalItems', 'contentSchema',
];
const SCHEMA_ARRAYS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];

/**
 * Visits every (sub)schema object, knowing which keys hold schemas: a property *named* `$ref`
 * or `type` is not a keyword, and `const`/`enum`/`default`/`examples` hold data, not schemas.
 * Iterative and depth-bounded.
 */
export function walkSchema(schema: unknown, path: JsonPath, visit: (node: Record<string, unknown>, path: JsonPath) => void): void {
  const stack: { node: unknown; path: JsonPath; depth: number }[] = [{ node: schema, path, depth: 0 }];
  const work: { node: Record<string, unknown>; path: JsonPath }[] = [];
  while (stack.length > 0) {
    const { node, path: at, depth } = stack.pop()!;
    if (!isRecord(node) || depth > MAX_DEPTH) continue;
    work.push({ node, path: at });
    const children: { node: unknown; path: JsonPath }[] = [];
    for (const key of SCHEMA_MAPS) for (const [name, sub] of entriesOf(node[key])) children.push({ node: sub, path: [...at, key, name] });
    for (const key of SCHEMA_SINGLES) if (isRecord(node[key])) children.push({ node: node[key], path: [...at, key] });
    for (const key of SCHEMA_ARRAYS) {
      const list = node[key];
      if (Array.isArray(list)) list.forEach((sub, i) => children.push({ node: sub, path: [...at, key, i] }));
    }
    if (isRecord(node.dependencies)) {
      for (const [name, sub] of Object.entries(node.dependencies)) if (isRecord(sub)) children.push({ node: sub, path: [...at, 'dependencies', name] });
    }
    // Reverse so that popping visits children in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push({ ...children[i]!, depth: depth + 1 });
  }
  for (const { node, path: at } of work) visit(node, at);
}

/** Keywords of JSON Schema 2020-12 plus common annotations, for the typo check. */
export const KNOWN_KEYWORDS: readonly string[] = [
  '$schema', '$id', '$ref', '$anchor', '$dynamicRef', '$dynamicAnchor', '$vocabulary', '$comment', '$defs', 'definitions',
  'type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength',
  'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains', 'maxProperties',
  'minProperties', 'required', 'dependentRequired', 'properties', 'patternProperties', 'additionalProperties',
  'unevaluatedProperties', 'propertyNames', 'items', 'prefixItems', 'contains', 'unevaluatedItems', 'additionalItems',
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas', 'dependencies', 'format',
  'contentEncoding', 'contentMediaType', 'contentSchema', 'title', 'description', 'default', 'deprecated', 'readOnly',
  'writeOnly', 'examples', 'example', 'enumNames', 'nullable', 'discriminator',
];
