import type { Diagnostic, Position } from '../diagnostics/index.js';
import type { JsonPath, LoadedManifest } from '../load/index.js';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from './codes.js';

export interface Report {
  code: DiagnosticCode;
  message: string;
  hint?: string;
  /** Where in the manifest value the problem is. */
  at: JsonPath;
  /** `key`: point at the key of `at` (unknown or misnamed keys); default: its value. */
  target?: 'key' | 'value';
  /** Point at this text inside the scalar at `at` (a `{{placeholder}}`). */
  text?: { needle: string; occurrence: number };
  /** Only a line and column, no span (a problem with a whole mapping, such as a missing key). */
  point?: boolean;
}

export type ReportFn = (report: Report) => void;

/** Collects diagnostics, turning manifest paths into positions; severity comes from the code. */
export function createReporter(loaded: LoadedManifest, file: string): { report: ReportFn; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report: ReportFn = (r) => {
    let pos: Position;
    if (r.text) pos = loaded.locateText(r.at, r.text.needle, r.text.occurrence);
    else if (r.target === 'key') pos = loaded.locateKey(r.at);
    else pos = loaded.locate(r.at);
    const d: Diagnostic = { code: r.code, severity: DIAGNOSTIC_CODES[r.code].severity, message: r.message, file, line: pos.line, col: pos.col };
    if (!r.point && pos.endLine !== undefined) {
      d.endLine = pos.endLine;
      d.endCol = pos.endCol;
    }
    if (r.hint) d.hint = r.hint;
    diagnostics.push(d);
  };
  return { report, diagnostics };
}
