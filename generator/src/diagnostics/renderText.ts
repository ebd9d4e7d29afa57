import { palette } from './ansi.js';
import { codeFrame } from './codeFrame.js';
import { countDiagnostics, sortDiagnostics, summarize, type Diagnostic } from './diagnostic.js';

export interface RenderTextOptions {
  /** ANSI colour. The CLI decides (TTY, NO_COLOR, FORCE_COLOR); renderers never look. */
  color: boolean;
  /** Lines of context around the marked line in code frames. Default 2. */
  context?: number;
}

/**
 * Human output, one block per diagnostic:
 *
 *     mcp.yaml:3:5 error[unknown-key]: unknown key `tittle` in tools.get_forecast
 *       1 | ...
 *     > 3 |     tittle: Weather
 *         |     ^^^^^^
 *       = hint: did you mean `title`?
 *
 * followed by a summary line (`2 errors, 1 warning`). An empty list renders as ''.
 * `sources` maps each diagnostic's `file` to its text; files missing from it get no frame.
 */
export function renderText(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  options: RenderTextOptions,
): string {
  const sorted = sortDiagnostics(diagnostics);
  if (sorted.length === 0) return '';
  const p = palette(options.color);
  const blocks = sorted.map((d) => {
    const mark = d.severity === 'error' ? p.error : p.warning;
    const head =
      `${p.bold(`${d.file}:${d.line}:${d.col}`)} ` +
      `${p.bold(mark(`${d.severity}[${d.code}]`))}${p.bold(':')} ${d.message}`;
    const lines = [head];
    const source = sources.get(d.file);
    if (source !== undefined) {
      const frame = codeFrame(source, d, { context: options.context ?? 2, mark, palette: p });
      if (frame) lines.push(frame);
    }
    if (d.hint) lines.push(...d.hint.split('\n').map((l, i) => (i === 0 ? `  ${p.hint('= hint:')} ${l}` : `          ${l}`)));
    return lines.join('\n');
  });
  const { errors } = countDiagnostics(sorted);
  const summary = summarize(sorted);
  return `${blocks.join('\n\n')}\n\n${p.bold(errors > 0 ? p.error(summary) : p.warning(summary))}\n`;
}
