import type { Diagnostic } from './diagnostics/index.js';
import { loadManifest } from './load/index.js';
import type { Manifest } from './manifest.js';
import { validateManifest, type ValidateOptions } from './validate/index.js';

/**
 * The generator's front end in one call: parse mcp.yaml, then validate it. `manifest` is set
 * only when there are no errors; `diagnostics` holds everything found, sorted. Never throws.
 */
export function readManifest(path: string, text: string, options: ValidateOptions = {}): { manifest?: Manifest; diagnostics: Diagnostic[] } {
  return validateManifest(loadManifest(path, text), path, options);
}
