/**
 * Diagnostics are plain data. Producers (loader, validator, later the emitter) build them;
 * renderers in this folder turn them into text, JSON or CI annotations. Keeping the two apart
 * lets every output format share one sorted, deduplicated list.
 */

export type Severity = 'error' | 'warning';

/** A place in a source file. Lines and columns are 1-based; `endCol` is exclusive. */
export interface Position {
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

export interface Diagnostic {
  /** Stable, documented identifier (`unknown-key`, `ref-unknown-type`...): safe to match in scripts. */
  code: string;
  severity: Severity;
  message: string;
  /** The path as the caller passed it (the CLI passes a POSIX path relative to cwd). */
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  hint?: string;
}

function compareStrings(a: string, b: string): number {
  // Plain code-unit order, not localeCompare: output must not depend on the machine's locale.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareStrings(a.file, b.file) ||
    a.line - b.line ||
    a.col - b.col ||
    (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
    compareStrings(a.code, b.code) ||
    compareStrings(a.message, b.message) ||
    compareStrings(a.hint ?? '', b.hint ?? '')
  );
}

function identity(d: Diagnostic): string {
  return [d.file, d.line, d.col, d.severity, d.code, d.message, d.hint ?? ''].join('\u0000');
}

/** Sorted by file, line, column (then severity, code, message) with exact duplicates removed. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique: Diagnostic[] = [];
  for (const d of diagnostics) {
    const key = identity(d);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(d);
  }
  return unique.sort(compareDiagnostics);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function countDiagnostics(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 errors, 1 warning`. */
export function summarize(diagnostics: readonly Diagnostic[]): string {
  const { errors, warnings } = countDiagnostics(diagnostics);
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
