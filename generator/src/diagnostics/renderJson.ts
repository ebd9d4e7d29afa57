import { sortDiagnostics, type Diagnostic } from './diagnostic.js';

/** Fixed key order, so the JSON is byte-stable whatever order producers set fields in. */
function normalize(d: Diagnostic): Diagnostic {
  const out: Diagnostic = { code: d.code, severity: d.severity, message: d.message, file: d.file, line: d.line, col: d.col };
  if (d.endLine !== undefined) out.endLine = d.endLine;
  if (d.endCol !== undefined) out.endCol = d.endCol;
  if (d.hint !== undefined) out.hint = d.hint;
  return out;
}

/** A sorted JSON array of diagnostics (`--format json`), newline-terminated. */
export function renderJson(diagnostics: readonly Diagnostic[]): string {
  return `${JSON.stringify(sortDiagnostics(diagnostics).map(normalize), null, 2)}\n`;
}
