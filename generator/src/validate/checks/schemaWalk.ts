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

/** A path as a parent chain: most nodes are never reported, so arrays are built only on demand. */
interface Trail {
  parent: Trail | undefined;
  segment: string | number;
}

function toPath(base: JsonPath, trail: Trail | undefined): JsonPath {
  const tail: (string | number)[] = [];
  for (let t = trail; t; t = t.parent) tail.push(t.segment);
  return [...base, ...tail.reverse()];
}

/**
 * Visits every (sub)schema object in document order, knowing which keys hold schemas: a
 * property *named* `$ref` or `type` is not a keyword, and `const`/`enum`/`default`/`examples`
 * hold data, not schemas. Iterative and depth-bounded; `pathOf()` builds the node's path.
 */
export function walkSchema(
  schema: unknown,
  base: JsonPath,
  visit: (node: Record<string, unknown>, pathOf: () => JsonPath) => void,
): void {
  const stack: { node: unknown; trail: Trail | undefined; depth: number }[] = [{ node: schema, trail: undefined, depth: 0 }];
  while (stack.length > 0) {
    const { node, trail, depth } = stack.pop()!;
    if (!isRecord(node) || depth > MAX_DEPTH) continue;
    visit(node, () => toPath(base, trail));
    const children: { node: unknown; trail: Trail; depth: number }[] = [];
    const child = (sub: unknown, ...segments: (string | number)[]) => {
      if (typeof sub !== 'object' || sub === null) return;
      let t: Trail | undefined = trail;
      for (const segment of segments) t = { parent: t, segment };
      children.push({ node: sub, trail: t!, depth: depth + 1 });
    };
    for (const key of SCHEMA_MAPS) {
      const map = node[key];
      if (isRecord(map)) for (const name of Object.keys(map)) child(map[name], key, name);
    }
    for (const key of SCHEMA_SINGLES) if (isRecord(node[key])) child(node[key], key);
    for (const key of SCHEMA_ARRAYS) {
      const list = node[key];
      if (Array.isArray(list)) for (let i = 0; i < list.length; i++) child(list[i], key, i);
    }
    const deps = node.dependencies;
    if (isRecord(deps)) for (const name of Object.keys(deps)) if (isRecord(deps[name])) child(deps[name], 'dependencies', name);
    // Pushed in reverse so that popping visits children in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** Keywords of JSON Schema 2020-12 plus common annotations, for the typo check. */
export const KNOWN_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema', '$id', '$ref', '$anchor', '$dynamicRef', '$dynamicAnchor', '$vocabulary', '$comment', '$defs', 'definitions',
  'type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength',
  'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains', 'maxProperties',
  'minProperties', 'required', 'dependentRequired', 'properties', 'patternProperties', 'additionalProperties',
  'unevaluatedProperties', 'propertyNames', 'items', 'prefixItems', 'contains', 'unevaluatedItems', 'additionalItems',
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas', 'dependencies', 'format',
  'contentEncoding', 'contentMediaType', 'contentSchema', 'title', 'description', 'default', 'deprecated', 'readOnly',
  'writeOnly', 'examples', 'example', 'enumNames', 'nullable', 'discriminator',
]);
