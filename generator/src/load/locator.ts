import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { Position } from '../diagnostics/index.js';
import type { JsonPath } from './jsonPath.js';

export interface Locator {
  /** The most specific node on `path`; falls back to the nearest ancestor that exists. */
  locate(path: JsonPath): Position;
  /** The key of the last segment (`tittle:` for an unknown key); falls back like `locate`. */
  locateKey(path: JsonPath): Position;
  /**
   * The `occurrence`-th (0-based) appearance of `needle` in the raw source of the scalar at
   * `path`, such as a `{{placeholder}}` in a block scalar; falls back to the scalar itself.
   */
  locateText(path: JsonPath, needle: string, occurrence?: number): Position;
  /** The source text of the node at `path` as written (`1.0`, `"x"`), or undefined if absent. */
  sourceOf(path: JsonPath): string | undefined;
}

type Found = { node: Node | null; keyNode?: Node };

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && key.type === 'PLAIN'));
}

function keyString(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const v = key.value;
  return typeof v === 'symbol' ? undefined : String(v);
}

/**
 * Finds `segment` in a mapping: its own pairs first (the last duplicate wins, as in the loaded
 * value), then the sources of `<<` merge keys, like the value the loader produced.
 */
function findPair(doc: Document, map: Node, segment: string, seen: Set<Node>): Pair | undefined {
  if (!isMap(map) || seen.has(map)) return undefined;
  seen.add(map);
  for (let i = map.items.length - 1; i >= 0; i--) {
    const pair = map.items[i];
    if (keyString(pair.key) === segment && !isMergeKey(pair.key)) return pair;
  }
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) continue;
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const source of sources) {
      const resolved = resolve(doc, source as Node | null);
      const found = resolved ? findPair(doc, resolved, segment, seen) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

function resolve(doc: Document, node: Node | null | undefined): Node | null {
  let current = node ?? null;
  // Aliases of aliases are legal; bound the chase in case of a cycle.
  for (let i = 0; i < 100 && current && isAlias(current); i++) current = (current.resolve(doc) as Node | undefined) ?? null;
  return current;
}

function step(doc: Document, node: Node | null, segment: string | number): Found | undefined {
  const target = resolve(doc, node);
  if (!target) return undefined;
  if (isMap(target)) {
    const pair = findPair(doc, target, String(segment), new Set());
    if (!pair) return undefined;
    return { node: (pair.value as Node | null) ?? null, keyNode: isPair(pair) ? ((pair.key as Node | null) ?? undefined) : undefined };
  }
  if (isSeq(target)) {
    const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
    const item = index >= 0 ? target.items[index] : undefined;
    return item === undefined ? undefined : { node: (item as Node | null) ?? null };
  }
  return undefined;
}

export function createLocator(doc: Document, lineCounter: LineCounter, text: string): Locator {
  const at = (start: number, end: number): Position => {
    const a = lineCounter.linePos(Math.min(start, text.length));
    const b = lineCounter.linePos(Math.min(Math.max(end, start), text.length));
    return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  };
  const ofNode = (node: Node | null | undefined): Position | undefined =>
    node?.range ? at(node.range[0], node.range[1]) : undefined;
  const documentStart = (): Position => ofNode(doc.contents as Node | null) ?? { line: 1, col: 1 };

  /** Walks as far as the path exists; returns the deepest node and key seen. */
  const walk = (path: JsonPath) => {
    let node = doc.contents as Node | null;
    let best: Position = documentStart();
    let lastKey: Node | undefined;
    let complete = true;
    for (const segment of path) {
      const next = step(doc, node, segment);
      if (!next) {
        complete = false;
        break;
      }
      lastKey = next.keyNode;
      node = next.node;
      best = ofNode(node) ?? ofNode(next.keyNode) ?? best;
    }
    return { node, best, lastKey, complete };
  };

  return {
    locate(path) {
      return walk(path).best;
    },
    locateKey(path) {
      const w = walk(path);
      if (w.complete && w.lastKey) return ofNode(w.lastKey) ?? w.best;
      return w.best;
    },
    sourceOf(path) {
      const w = walk(path);
      const range = w.complete ? w.node?.range : undefined;
      return range ? text.slice(range[0], range[1]) : undefined;
    },
    locateText(path, needle, occurrence = 0) {
      const w = walk(path);
      const node = resolve(doc, w.node);
      if (!w.complete || !node || !isScalar(node) || !node.range || needle === '') return w.best;
      const [start, end] = node.range;
      const raw = text.slice(start, end);
      let index = -1;
      for (let i = 0; i <= occurrence; i++) {
        index = raw.indexOf(needle, index + 1);
        if (index < 0) return w.best;
      }
      return at(start + index, start + index + needle.length);
    },
  };
}
