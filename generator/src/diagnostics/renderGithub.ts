import { sortDiagnostics, type Diagnostic } from './diagnostic.js';

/** Workflow-command escaping for the message part (GitHub's `escapeData`). */
export function escapeGithubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command escaping for `key=value` properties (GitHub's `escapeProperty`). */
export function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions annotations, one line per diagnostic:
 * `::error file=mcp.yaml,line=3,col=5,endColumn=10,title=unknown-key::message`.
 * The hint rides along on a second message line (an escaped newline).
 */
export function renderGithub(diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics)
    .map((d) => {
      const props = [`file=${escapeGithubProperty(d.file)}`, `line=${d.line}`, `col=${d.col}`];
      if (d.endLine !== undefined && d.endLine !== d.line) props.push(`endLine=${d.endLine}`);
      // GitHub's endColumn is inclusive and only meaningful on a single line.
      if ((d.endLine === undefined || d.endLine === d.line) && d.endCol !== undefined && d.endCol > d.col + 1) {
        props.push(`endColumn=${d.endCol - 1}`);
      }
      props.push(`title=${escapeGithubProperty(d.code)}`);
      const message = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
      return `::${d.severity} ${props.join(',')}::${escapeGithubData(message)}\n`;
    })
    .join('');
}
