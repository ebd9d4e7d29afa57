import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { normalizeDir } from "../model/build.js";
import { missingExportsByScan } from "./export-scan.js";
import type { HandlerFile } from "../emit/layout.js";

/**
 * A record of the last generation, written beside the generated files. When the
 * manifest, the formatter config and mcpgen itself are unchanged, and every file still
 * has the content we wrote, a re-run has nothing to do: it answers from this record
 * without loading the schema compilers or the formatter.
 */
export const STATE_FILE = "mcpgen-state.json";

export interface GenerationState {
  /** Hash of everything generation depends on. */
  input: string;
  /** Generated files (project-relative) and the hash of their content. */
  files: Record<string, string>;
  /** Author files that must exist with these exports. */
  handlers: { path: string; exports: string[] }[];
  /**
   * Author files mcpgen wrote as stubs, with the hash of the stub's text: a stub whose
   * item left the manifest and which is still exactly as written is removed (it would
   * otherwise import types that no longer exist); an edited one is kept and reported.
   */
  stubs?: Record<string, string>;
}

export const sha = (s: string | Buffer) => createHash("sha256").update(s).digest("hex").slice(0, 32);

const PRETTIER_CONFIGS = [".prettierrc", ".prettierrc.json", ".prettierrc.yaml", ".prettierrc.yml", ".prettierrc.json5", ".prettierrc.js", ".prettierrc.mjs", ".prettierrc.cjs", "prettier.config.js", "prettier.config.mjs", "prettier.config.cjs", ".editorconfig", "package.json"];

/** Hash of the manifest, the formatter's config files and the generator's own version. */
export function inputHash(root: string, manifestText: string, generatorVersion: string): string {
  const parts = [generatorVersion, manifestText];
  for (const f of PRETTIER_CONFIGS) {
    const p = join(root, f);
    if (!existsSync(p)) continue;
    const text = readFileSync(p, "utf8");
    parts.push(f, f === "package.json" ? JSON.stringify(JSON.parse(text).prettier ?? null) : text);
  }
  return sha(parts.join("\0"));
}

export function makeState(input: string, files: { path: string; content: string }[], handlers: HandlerFile[], extraAuthorFiles: string[], stubs: Record<string, string> = {}): GenerationState {
  const sortedStubs = Object.fromEntries(Object.entries(stubs).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    input,
    files: Object.fromEntries(files.map((f) => [f.path, sha(f.content)]).sort(([a], [b]) => (a! < b! ? -1 : 1))),
    handlers: [
      ...handlers.map((h) => ({ path: h.path, exports: h.exports.map((e) => e.name) })),
      ...extraAuthorFiles.map((path) => ({ path, exports: [] })),
    ],
    ...(Object.keys(sortedStubs).length > 0 ? { stubs: sortedStubs } : {}),
  };
}

/** The last generation's record, if there is a readable one. */
export function readState(root: string, out: string): GenerationState | undefined {
  try {
    const state = JSON.parse(readFileSync(join(root, out, STATE_FILE), "utf8"));
    return state && typeof state === "object" ? (state as GenerationState) : undefined;
  } catch {
    return undefined;
  }
}

/** The generated folder named by a manifest (without validating the rest of it). */
export function outDirOf(manifestText: string): string {
  try {
    const out = (parse(manifestText) as { generate?: { out?: unknown } } | null)?.generate?.out;
    return typeof out === "string" ? normalizeDir(out) : "src/generated";
  } catch {
    return "src/generated";
  }
}

/** The handlers folder named by a manifest (without validating the rest of it). */
export function handlersDirOf(manifestText: string): string {
  try {
    const dir = (parse(manifestText) as { generate?: { handlers?: unknown } } | null)?.generate?.handlers;
    return typeof dir === "string" ? normalizeDir(dir) : "src/handlers";
  } catch {
    return "src/handlers";
  }
}

/** Handler files (tools/, resources/, prompts/) that the record does not name: orphans to report. */
function hasUnrecordedHandlers(root: string, handlersDir: string, state: GenerationState): boolean {
  const known = new Set(state.handlers.map((h) => h.path));
  for (const sub of ["tools", "resources", "prompts"]) {
    let names: string[];
    try {
      names = readdirSync(join(root, handlersDir, sub));
    } catch {
      continue;
    }
    for (const n of names) if (n.endsWith(".ts") && !n.endsWith(".d.ts") && !n.endsWith(".test.ts") && !known.has(`${handlersDir}/${sub}/${n}`)) return true;
  }
  return false;
}

/** True when the recorded generation is still exactly what is on disk. */
export function isUpToDate(root: string, manifestText: string, generatorVersion: string): { upToDate: boolean; files: number } {
  const out = outDirOf(manifestText);
  const statePath = join(root, out, STATE_FILE);
  if (!existsSync(statePath)) return { upToDate: false, files: 0 };
  let state: GenerationState;
  try {
    state = JSON.parse(readFileSync(statePath, "utf8"));
  } catch {
    return { upToDate: false, files: 0 };
  }
  if (state.input !== inputHash(root, manifestText, generatorVersion)) return { upToDate: false, files: 0 };
  const expected = new Set([...Object.keys(state.files), `${out}/${STATE_FILE}`]);
  for (const name of readdirSync(join(root, out))) if (!expected.has(`${out}/${name}`)) return { upToDate: false, files: 0 };
  for (const [path, hash] of Object.entries(state.files)) {
    const p = join(root, path);
    if (!existsSync(p) || sha(readFileSync(p, "utf8")) !== hash) return { upToDate: false, files: 0 };
  }
  for (const h of state.handlers) {
    const p = join(root, h.path);
    if (!existsSync(p)) return { upToDate: false, files: 0 };
    if (h.exports.length === 0) continue;
    if (missingExportsByScan(readFileSync(p, "utf8"), { exports: h.exports.map((name) => ({ name })) }).length > 0) return { upToDate: false, files: 0 };
  }
  // Orphans are reported on every run: the full run finds and names them.
  if (hasUnrecordedHandlers(root, handlersDirOf(manifestText), state)) return { upToDate: false, files: 0 };
  return { upToDate: true, files: Object.keys(state.files).length + 1 };
}
