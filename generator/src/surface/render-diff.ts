/**
 * `mcpgen diff` output: text grouped by severity, a JSON document, or GitHub annotations.
 * Changes arrive with manifest paths; `locate` turns them into line and column.
 */

import { palette } from "../diagnostics/ansi.js";
import { escapeGithubData, escapeGithubProperty, type Position } from "../diagnostics/index.js";
import type { JsonPath, Locator } from "../load/index.js";
import type { Change } from "./compare.js";
import { RULES, SEVERITY_ORDER, type ChangeSeverity } from "./rules.js";

export interface LocatedChange extends Change {
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

export interface DiffReport {
  /** The current manifest, as displayed. */
  manifest: string;
  /** What it was compared with (`HEAD:mcp.yaml`, `old/mcp.yaml`). */
  against: string;
  changes: LocatedChange[];
}

/**
 * Line and column of each change: the key of its path in the new manifest, or of the nearest
 * ancestor that exists there (a removed annotation points at `annotations:`, a removed tool at
 * `tools:`).
 */
export function locateChanges(changes: Change[], file: string, locator: Pick<Locator, "locateKey" | "sourceOf">): LocatedChange[] {
  return changes.map((c) => {
    let path: JsonPath = c.at;
    while (path.length > 0 && locator.sourceOf(path) === undefined) path = path.slice(0, -1);
    const pos: Position = locator.locateKey(path);
    const out: LocatedChange = { ...c, file, line: pos.line, col: pos.col };
    if (pos.endLine !== undefined) out.endLine = pos.endLine;
    if (pos.endCol !== undefined) out.endCol = pos.endCol;
    return out;
  });
}

/** Severity order, emission order inside a severity. */
export function orderChanges<T extends Change>(changes: T[]): T[] {
  return SEVERITY_ORDER.flatMap((s) => changes.filter((c) => c.severity === s));
}

export function countBySeverity(changes: readonly Change[]): Record<ChangeSeverity, number> {
  const out: Record<ChangeSeverity, number> = { breaking: 0, dangerous: 0, safe: 0 };
  for (const c of changes) out[c.severity]++;
  return out;
}

const HEADINGS: Record<ChangeSeverity, string> = {
  breaking: "Breaking changes",
  dangerous: "Dangerous changes",
  safe: "Safe changes",
};

export function renderDiffText(report: DiffReport, options: { color: boolean }): string {
  const p = palette(options.color);
  const style: Record<ChangeSeverity, (s: string) => string> = { breaking: p.error, dangerous: p.warning, safe: p.dim };
  const counts = countBySeverity(report.changes);
  const head = `${report.manifest} against ${report.against}`;
  if (report.changes.length === 0) return `${head}: no changes to the server's surface\n`;
  const out: string[] = [];
  for (const severity of SEVERITY_ORDER) {
    const group = report.changes.filter((c) => c.severity === severity);
    if (group.length === 0) continue;
    out.push(p.bold(style[severity](`${HEADINGS[severity]} (${group.length}):`)));
    const locs = group.map((c) => `${c.file}:${c.line}:${c.col}`);
    const locWidth = Math.max(...locs.map((l) => l.length));
    const ruleWidth = Math.max(...group.map((c) => c.rule.length));
    group.forEach((c, i) => {
      out.push(`  ${p.bold(locs[i]!.padEnd(locWidth))}  ${style[severity](c.rule.padEnd(ruleWidth))}  ${c.message}`);
    });
    out.push("");
  }
  const summary = `${head}: ${counts.breaking} breaking, ${counts.dangerous} dangerous, ${counts.safe} safe`;
  out.push(p.bold(counts.breaking > 0 ? p.error(summary) : counts.dangerous > 0 ? p.warning(summary) : summary));
  return out.join("\n") + "\n";
}

export function renderDiffJson(report: DiffReport): string {
  const changes = report.changes.map((c) => {
    const o: Record<string, unknown> = { rule: c.rule, severity: c.severity, kind: c.kind };
    if (c.item !== undefined) o.item = c.item;
    if (c.path !== undefined) o.path = c.path;
    o.message = c.message;
    o.why = RULES[c.rule].why;
    o.file = c.file;
    o.line = c.line;
    o.col = c.col;
    if (c.endLine !== undefined) o.endLine = c.endLine;
    if (c.endCol !== undefined) o.endCol = c.endCol;
    return o;
  });
  const doc = { manifest: report.manifest, against: report.against, summary: countBySeverity(report.changes), changes };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const GITHUB_LEVEL: Record<ChangeSeverity, string> = { breaking: "error", dangerous: "warning", safe: "notice" };

/** One workflow command per change: breaking = error, dangerous = warning, safe = notice. */
export function renderDiffGithub(report: DiffReport): string {
  return report.changes
    .map((c) => {
      const props = [`file=${escapeGithubProperty(c.file)}`, `line=${c.line}`, `col=${c.col}`, `title=${escapeGithubProperty(`${c.severity}: ${c.rule}`)}`];
      return `::${GITHUB_LEVEL[c.severity]} ${props.join(",")}::${escapeGithubData(`${c.message}\n${RULES[c.rule].why}`)}\n`;
    })
    .join("");
}
