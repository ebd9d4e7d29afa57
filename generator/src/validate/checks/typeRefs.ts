import type { JsonPath } from '../../load/index.js';
import { isRecord } from '../guards.js';

export const TYPE_REF_PREFIX = '#/types/';

/** `#/types/Day/properties/date` -> { name: 'Day', rest: ['properties', 'date'] }; undefined for other refs. */
export function parseTypeRef(ref: string): { name: string; rest: string[] } | undefined {
  if (ref !== '#/types' && !ref.startsWith('#/types/')) return undefined;
  const segments = ref
    .slice('#/types'.length)
    .split('/')
    .slice(1)
    .map((s) => {
      let decoded = s;
      try {
        decoded = decodeURIComponent(s);
      } catch {
        // keep the raw text; the lookup then fails and is reported
      }
      return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
    });
  const [name = '', ...rest] = segments;
  return { name, rest };
}

/** Follows a JSON pointer's segments inside `value`. */
export function followPointer(value: unknown, segments: readonly string[]): { found: boolean; value: unknown } {
  let current = value;
  for (const seg of segments) {
    if (Array.isArray(current) && /^\d+$/.test(seg) && Number(seg) < current.length) current = current[Number(seg)];
    else if (isRecord(current) && Object.prototype.hasOwnProperty.call(current, seg)) current = current[seg];
    else return { found: false, value: undefined };
  }
  return { found: true, value: current };
}

export interface Resolved {
  schema: unknown;
  /** Where `schema` is in the manifest (inside `types` when a ref was followed). */
  path: JsonPath;
  /** The refs followed, outermost first. */
  via: string[];
}

/**
 * Follows `{$ref: "#/types/..."}` at the top of a schema until something else is reached.
 * Unresolvable and cyclic refs stop the walk (they are reported by the ref check).
 */
export function resolveTypeRef(schema: unknown, path: JsonPath, types: unknown): Resolved {
  let current: Resolved = { schema, path, via: [] };
  const seen = new Set<string>();
  while (isRecord(current.schema) && typeof current.schema.$ref === 'string') {
    const ref = current.schema.$ref;
    const parsed = parseTypeRef(ref);
    if (!parsed || seen.has(ref)) break;
    seen.add(ref);
    const target = followPointer(types, [parsed.name, ...parsed.rest]);
    if (!target.found) break;
    current = { schema: target.value, path: ['types', parsed.name, ...parsed.rest], via: [...current.via, ref] };
  }
  return current;
}
