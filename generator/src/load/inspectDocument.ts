import { isAlias, isCollection, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics/index.js';

/** Deeper than any real manifest; past it, later recursive passes could exhaust the stack. */
export const MAX_DEPTH = 256;

export interface Inspection {
  diagnostics: Diagnostic[];
  /** The document cannot be turned into a value safely (unresolved alias, too deep). */
  fatal: boolean;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

/**
 * One iterative pass over the YAML AST for what the parser does not report well: duplicate keys
 * (naming the first definition), aliases to unknown anchors, collection keys and runaway
 * nesting. Iterative, so a hostile document cannot overflow the stack here.
 */
export function inspectDocument(doc: Document, lineCounter: LineCounter, text: string, file: string): Inspection {
  const diagnostics: Diagnostic[] = [];
  let fatal = false;
  const where = (node: Node) => {
    const [start, end] = node.range ?? [0, 0];
    const a = lineCounter.linePos(Math.min(start, text.length));
    const b = lineCounter.linePos(Math.min(Math.max(end, start), text.length));
    return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  };
  const stack: { node: Node; depth: number }[] = [];
  if (doc.contents) stack.push({ node: doc.contents as Node, depth: 1 });
  let tooDeepReported = false;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) {
      fatal = true;
      if (!tooDeepReported) {
        tooDeepReported = true;
        diagnostics.push({
          code: 'yaml-too-complex',
          severity: 'error',
          message: `the YAML is nested more than ${MAX_DEPTH} levels deep`,
          file,
          ...where(node),
        });
      }
      continue;
    }
    if (isAlias(node)) {
      if (node.resolve(doc) === undefined) {
        fatal = true;
        diagnostics.push({
          code: 'yaml-syntax',
          severity: 'error',
          message: `alias *${node.source} refers to an unknown anchor`,
          file,
          ...where(node),
          hint: `define the anchor (&${node.source}) before the alias`,
        });
      }
      continue;
    }
    if (isMap(node)) {
      const firstSeen = new Map<string, Node>();
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (key && isCollection(key)) {
          diagnostics.push({
            code: 'yaml-syntax',
            severity: 'error',
            message: 'a mapping key must be text, not a list or mapping',
            file,
            ...where(key),
          });
          stack.push({ node: key, depth: depth + 1 });
        } else if (key && isScalar(key) && !isMergeKey(key)) {
          const name = String(key.value);
          const first = firstSeen.get(name);
          if (first) {
            diagnostics.push({
              code: 'yaml-duplicate-key',
              severity: 'error',
              message: `duplicate key \`${name}\` (first defined on line ${where(first).line})`,
              file,
              ...where(key),
              hint: 'a key may appear once per mapping: merge the two entries or rename one',
            });
          } else firstSeen.set(name, key);
        }
        if (pair.value) stack.push({ node: pair.value as Node, depth: depth + 1 });
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (item) stack.push({ node: item as Node, depth: depth + 1 });
    }
  }
  return { diagnostics, fatal };
}
