import type { ReportFn } from '../report.js';

export interface CheckContext {
  /** The manifest value: a mapping, but otherwise unvalidated; checks must tolerate any shape. */
  root: Record<string, unknown>;
  report: ReportFn;
  /** Folder of mcp.yaml: `file:` paths are relative to it. */
  manifestDir: string;
}
