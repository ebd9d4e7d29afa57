import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * mcpgen's generated code is ES modules (top-level await in the entry, `import` with .js
 * specifiers). Under a package.json whose "type" is "commonjs" (what `npm init -y` writes
 * since npm 11) or absent, tsc compiles src/*.ts as CommonJS and stops at the entry's
 * top-level await (TS1309). These helpers find out which case a project is in.
 */

/** The "type" of the package.json in `root`, or undefined when there is none or it is unreadable. */
export function packageType(root: string): { exists: boolean; type?: string } {
  const file = join(root, "package.json");
  if (!existsSync(file)) return { exists: false };
  try {
    const type = JSON.parse(readFileSync(file, "utf8")).type;
    return { exists: true, type: typeof type === "string" ? type : undefined };
  } catch {
    return { exists: true };
  }
}

const SKIP = new Set(["node_modules", "dist", "build", "out", "coverage", "generated"]);
const CODE = /\.(js|jsx|ts|tsx|cts|cjs)$/;

/**
 * Code files whose module format depends on package.json's "type" (.js, .ts, ...; .mjs,
 * .mts and .d.ts do not), in the project's top folder and under src/ and lib/, leaving out
 * build output and mcpgen's own generated folder: the files a switch to ESM would affect.
 */
export function typeDependentCode(root: string, limit = 5): string[] {
  const found: string[] = [];
  const visit = (dir: string, rel: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (found.length >= limit || e.name.startsWith(".")) continue;
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (depth > 0 && !SKIP.has(e.name)) visit(join(dir, e.name), path, depth - 1);
      } else if (CODE.test(e.name) && !e.name.endsWith(".d.ts")) found.push(path);
    }
  };
  visit(root, "", 0);
  for (const sub of ["src", "lib"]) visit(join(root, sub), sub, 8);
  return found;
}

/** The advice for a project whose package.json makes the generated code CommonJS. */
export function esmAdvice(type: string | undefined, files: string[]): string {
  const says = type === undefined ? `has no "type" (so CommonJS)` : `says "type": "${type}"`;
  const theirs = files.length > 0 ? ` Your ${files.join(", ")}${files.length >= 5 ? ", ..." : ""} would then be ES modules too: rename CommonJS ones to .cjs (.cts for TypeScript), which Node and tsc always treat as CommonJS.` : "";
  return `package.json ${says}, but the code mcpgen generates is ES modules: tsc stops at src/server.ts's top-level await (TS1309). The one change: set "type": "module" in package.json.${theirs}`;
}

/** The "type" of the nearest package.json at or above `dir`, when there is one. */
export function nearestPackageType(dir: string): { file: string; type?: string } | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const found = packageType(d);
    if (found.exists) return { file: join(d, "package.json"), type: found.type };
    if (dirname(d) === d) return undefined;
  }
}
