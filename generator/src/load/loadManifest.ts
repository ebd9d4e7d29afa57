import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Diagnostic, Position } from '../diagnostics/index.js';
import type { JsonPath } from './jsonPath.js';
import { createLocator, type Locator } from './locator.js';
import { inspectDocument } from './inspectDocument.js';

export interface LoadedManifest extends Locator {
  path: string;
  text: string;
  /** The parsed value (plain JSON-like data), or undefined when the YAML could not be turned into one. */
  value: unknown;
  /** YAML problems: syntax errors (all of them), duplicate keys, unresolved aliases, warnings. */
  diagnostics: Diagnostic[];
  /**
   * true when the YAML is broken in a way that makes its structure unreliable (duplicate keys
   * alone do not count): validation would mostly report the parser's guesses, so it is skipped.
   */
  syntaxBroken: boolean;
}

/** Hints for the parser errors people actually hit, keyed by the `yaml` package's error codes. */
const HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'YAML does not allow tabs for indentation: indent with spaces',
  BAD_INDENT: 'check that this line is indented like its siblings',
  BLOCK_AS_IMPLICIT_KEY: 'a plain value cannot contain ": "; put the value in quotes',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line: is a ":" missing, or should the text be quoted?',
  MULTIPLE_DOCS: 'mcp.yaml holds a single document: remove the extra "---"',
  MISSING_CHAR: 'close the quote or bracket that was opened',
  UNEXPECTED_TOKEN: 'quote the value if it is meant to be text',
  BAD_ALIAS: 'define the anchor (&name) before using the alias (*name)',
};

const MAX_ALIAS_COUNT = 1000;

function parserDiagnostics(path: string, doc: Document, lineCounter: LineCounter, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const position = (pos: [number, number]): Position => {
    const a = lineCounter.linePos(Math.min(pos[0], text.length));
    const b = lineCounter.linePos(Math.min(Math.max(pos[1], pos[0]), text.length));
    return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  };
  for (const e of doc.errors) {
    // Duplicate keys get a better message (naming the first definition) from inspectDocument.
    if (e.code === 'DUPLICATE_KEY') continue;
    const message = sentenceCase(e.message.replace(/; please use YAML\.parseAllDocuments\(\)$/, ''));
    out.push({ code: 'yaml-syntax', severity: 'error', message, file: path, ...position(e.pos), hint: HINTS[e.code] });
  }
  for (const w of doc.warnings) {
    out.push({ code: 'yaml-warning', severity: 'warning', message: sentenceCase(w.message), file: path, ...position(w.pos) });
  }
  return out;
}

/** Our messages start in lower case (`Tabs are...` -> `tabs are...`), acronyms excepted. */
function sentenceCase(message: string): string {
  return /^[A-Z][a-z]/.test(message) ? message[0]!.toLowerCase() + message.slice(1) : message;
}

function withoutUndefined(d: Diagnostic): Diagnostic {
  if (d.hint === undefined) delete d.hint;
  return d;
}

/**
 * Parses mcp.yaml keeping source ranges, so every later diagnostic can point at the right
 * line and column. Never throws: any input, binary junk included, gives a value or diagnostics.
 */
export function loadManifest(path: string, text: string): LoadedManifest {
  try {
    return load(path, text);
  } catch (error) {
    return failed(path, text, `could not parse the YAML: ${errorMessage(error)}`);
  }
}

function load(path: string, text: string): LoadedManifest {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    merge: true,
    // inspectDocument finds duplicates in linear time and names the first definition.
    uniqueKeys: false,
    // The yaml package otherwise prints some warnings to the console itself.
    logLevel: 'silent',
  });
  const locator = createLocator(doc, lineCounter, text);
  const diagnostics = parserDiagnostics(path, doc, lineCounter, text);
  const inspected = inspectDocument(doc, lineCounter, text, path);
  diagnostics.push(...inspected.diagnostics);
  const syntaxBroken = diagnostics.some((d) => d.code === 'yaml-syntax') || inspected.fatal;

  let value: unknown;
  if (!inspected.fatal) {
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      diagnostics.push({
        code: 'yaml-too-complex',
        severity: 'error',
        message: `the YAML could not be loaded: ${errorMessage(error)}`,
        file: path,
        ...locator.locate([]),
        hint: 'aliases that expand to huge documents, or extremely deep nesting, are rejected',
      });
    }
  }
  const broken = syntaxBroken || (value === undefined && diagnostics.some((d) => d.severity === 'error'));
  return { path, text, value, diagnostics: diagnostics.map(withoutUndefined), syntaxBroken: broken, ...locator };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function failed(path: string, text: string, message: string): LoadedManifest {
  const start: Position = { line: 1, col: 1 };
  const locate = (_: JsonPath): Position => start;
  return {
    path,
    text,
    value: undefined,
    diagnostics: [{ code: 'yaml-too-complex', severity: 'error', message, file: path, ...start }],
    syntaxBroken: true,
    locate,
    locateKey: locate,
    locateText: locate,
    sourceOf: () => undefined,
  };
}
