import type { Palette } from './ansi.js';

export interface FrameSpan {
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

export interface FrameOptions {
  /** Lines shown before and after the marked line. */
  context?: number;
  /** Styles the caret run (error red, warning yellow). */
  mark?: (s: string) => string;
  palette: Palette;
}

function splitLines(source: string): string[] {
  return source.split(/\r\n|\r|\n/);
}

/**
 * Whitespace that lines the caret up with the source: a tab in the source stays a tab, so
 * the caret lands under the right character whatever the terminal's tab width.
 */
function caretIndent(lineText: string, col: number): string {
  let out = '';
  for (let i = 0; i < col - 1; i++) out += lineText[i] === '\t' ? '\t' : ' ';
  return out;
}

function caretWidth(lineText: string, span: FrameSpan): number {
  const start = span.col - 1;
  if (span.endLine === span.line && span.endCol !== undefined && span.endCol > span.col) {
    return Math.max(1, Math.min(span.endCol - 1, Math.max(lineText.length, start + 1)) - start);
  }
  if (span.endLine !== undefined && span.endLine > span.line) {
    // A multi-line node (a mapping, a block scalar): underline the rest of its first line.
    return Math.max(1, lineText.trimEnd().length - start);
  }
  return 1;
}

/**
 * A babel-style frame: `context` lines around the marked one, a line-number gutter, and a
 * caret run under the span. Returns '' when the line does not exist in `source`.
 */
export function codeFrame(source: string, span: FrameSpan, options: FrameOptions): string {
  const lines = splitLines(source);
  const context = options.context ?? 2;
  const p = options.palette;
  const mark = options.mark ?? ((s: string) => s);
  if (span.line < 1 || span.line > lines.length) return '';
  const first = Math.max(1, span.line - context);
  let last = Math.min(lines.length, span.line + context);
  // A trailing newline leaves an empty last "line" that editors do not show; skip it as context.
  if (last > span.line && last === lines.length && lines[last - 1] === '') last--;
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1] ?? '';
    const number = String(n).padStart(width);
    const isMarked = n === span.line;
    const prefix = isMarked ? mark('>') : ' ';
    out.push(`${prefix} ${p.gutter(`${number} |`)}${text === '' ? '' : ' ' + text}`);
    if (isMarked) {
      const col = Math.max(1, Math.min(span.col, text.length + 1));
      const carets = '^'.repeat(caretWidth(text, { ...span, col }));
      out.push(`  ${p.gutter(`${' '.repeat(width)} |`)} ${caretIndent(text, col)}${mark(carets)}`);
    }
  }
  return out.join('\n');
}
