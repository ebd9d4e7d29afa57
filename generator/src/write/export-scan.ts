/**
 * Whether a handler file already exports what the wiring imports, by a text scan: it
 * keeps ts-morph (and its TypeScript) unloaded on runs where nothing is missing.
 */

function exportsByScan(text: string, name: string): boolean {
  const decl = new RegExp(`\\bexport\\s+(?:declare\\s+)?(?:const|let|var|(?:async\\s+)?function\\*?|class)\\s+${name}\\b`);
  if (decl.test(text)) return true;
  for (const m of text.matchAll(/\bexport\s*(?:type\s*)?\{([^}]*)\}/g)) {
    for (const spec of m[1]!.split(",")) {
      const parts = spec.trim().split(/\s+as\s+/);
      if ((parts[1] ?? parts[0])?.trim() === name) return true;
    }
  }
  return false;
}

/** Export names a handler file is missing (by a quick scan; ts-morph confirms before editing). */
export function missingExportsByScan(text: string, file: { exports: readonly { name: string }[] }): string[] {
  return file.exports.filter((e) => !exportsByScan(text, e.name)).map((e) => e.name);
}
