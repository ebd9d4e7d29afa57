import { dirname } from 'node:path';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/index.js';
import type { LoadedManifest } from '../load/index.js';
import type { Manifest } from '../manifest.js';
import { reportsFromAjv } from './ajvErrors.js';
import { SEMANTIC_CHECKS } from './checks/index.js';
import { isRecord } from './guards.js';
import { manifestValidators } from './manifestSchema.js';
import { createReporter, type ReportFn } from './report.js';

export interface ValidateOptions {
  /** Folder that `file:` paths are relative to. Default: the folder of `path`. */
  baseDir?: string;
}

export interface ValidationResult {
  /** Present only when there are no errors (warnings allowed). */
  manifest?: Manifest;
  /** Loader and validator diagnostics together, sorted by position. */
  diagnostics: Diagnostic[];
}

/** A crash in one check must not hide the others' findings, nor escape as an exception. */
function guarded(report: ReportFn, name: string, run: () => void): void {
  try {
    run();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    report({ code: 'internal-error', message: `mcpgen's ${name} check failed: ${detail}`, hint: 'this is a bug in mcpgen; please report it with this manifest', at: [], point: true });
  }
}

/**
 * Validates a loaded manifest in two layers that always both run, so one pass reports every
 * problem: the JSON Schema (schemas/mcp.schema.json) for shape, then semantic checks for what
 * a schema cannot say (references, template variables, name collisions...).
 * `path` is printed in diagnostics and, unless `options.baseDir` says otherwise, locates
 * `file:` resources; default: the loaded path.
 */
export function validateManifest(loaded: LoadedManifest, path: string = loaded.path, options: ValidateOptions = {}): ValidationResult {
  const { report, diagnostics } = createReporter(loaded, path);
  const loadDiagnostics = loaded.diagnostics.map((d) => ({ ...d, file: path }));
  const done = (): ValidationResult => {
    const all = sortDiagnostics([...loadDiagnostics, ...diagnostics]);
    return hasErrors(all) ? { diagnostics: all } : { manifest: loaded.value as Manifest, diagnostics: all };
  };
  // The parser's recovery guesses would only produce confusing follow-up errors.
  if (loaded.syntaxBroken) return done();

  const value = loaded.value;
  if (value === null || value === undefined) {
    report({ code: 'manifest-empty', message: 'the manifest is empty', hint: 'start with `version: 1` and a `server:` section with `name` and `version`', at: [], point: true });
    return done();
  }
  if (!isRecord(value)) {
    const what = Array.isArray(value) ? 'a list' : `a single value (${typeof value})`;
    report({ code: 'manifest-type', message: `the manifest must be a mapping of keys such as \`version\` and \`server\`, not ${what}`, at: [], point: true });
    return done();
  }

  guarded(report, 'schema', () => {
    const { validate } = manifestValidators();
    if (!validate(value)) for (const r of reportsFromAjv(validate.errors, { sourceOf: loaded.sourceOf })) report(r);
  });
  const ctx = { root: value, report, manifestDir: options.baseDir ?? dirname(path) };
  for (const check of SEMANTIC_CHECKS) guarded(report, check.name, () => check.run(ctx));
  return done();
}
