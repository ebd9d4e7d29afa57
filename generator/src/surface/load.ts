/**
 * Manifest in, surface out, for the diff and docs commands: load (keeping source positions),
 * validate, build the surface. Never throws for bad input: problems come back as diagnostics.
 */

import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/index.js";
import { loadManifest, type Locator } from "../load/index.js";
import { validateManifest } from "../validate/index.js";
import { buildSurface, type Surface } from "./surface.js";

export interface LoadedSurface {
  /** The name diagnostics and locations use (`mcp.yaml`, `HEAD:mcp.yaml`). */
  displayPath: string;
  text: string;
  /** Present when the manifest is valid (warnings allowed). */
  surface?: Surface;
  diagnostics: Diagnostic[];
  /** Source positions of the manifest's nodes. */
  locator: Locator;
}

/** Parses and validates manifest text; `baseDir` is where its `file:` paths are relative to. */
export function surfaceFromText(displayPath: string, text: string, baseDir: string): LoadedSurface {
  const loaded = loadManifest(displayPath, text);
  const { manifest, diagnostics } = validateManifest(loaded, displayPath, { baseDir });
  return { displayPath, text, diagnostics, locator: loaded, surface: manifest ? buildSurface(manifest) : undefined };
}

export interface ManifestLocation {
  /** Absolute path of the manifest. */
  abs: string;
  /** Relative to cwd, POSIX (as the other commands print it). */
  displayPath: string;
}

export function manifestLocation(cwd: string, config: string | undefined): ManifestLocation {
  const abs = resolve(cwd, config ?? "mcp.yaml");
  return { abs, displayPath: relative(cwd, abs).split("\\").join("/") || "mcp.yaml" };
}

/** The current manifest from disk; a missing file is a `manifest-missing` diagnostic, as in `generate`. */
export function loadCurrentSurface(where: ManifestLocation): LoadedSurface {
  if (!existsSync(where.abs) || !statSync(where.abs).isFile()) {
    const missing: Diagnostic = {
      code: "manifest-missing",
      severity: "error",
      file: where.displayPath,
      line: 1,
      col: 1,
      message: `No manifest at ${where.displayPath}`,
      hint: "Run `npx mcpgen init` to create one, or pass --config <path>.",
    };
    const start = () => ({ line: 1, col: 1 });
    return {
      displayPath: where.displayPath,
      text: "",
      diagnostics: [missing],
      locator: { locate: start, locateKey: start, locateText: start, sourceOf: () => undefined },
    };
  }
  return surfaceFromText(where.displayPath, readFileSync(where.abs, "utf8"), dirname(where.abs));
}
