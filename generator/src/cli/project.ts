import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import { normalizeDir } from "../model/build.js";
import { parseJson, toValue } from "./jsonc.js";

/**
 * What the CLI's process commands need to know about a project, read leniently from the
 * manifest (a broken manifest still names its entry and folders as well as it can).
 */
export interface Project {
  /** Absolute path of the manifest. */
  manifest: string;
  /** The manifest's folder: every generated path is relative to it. */
  root: string;
  /** `server.name`, when the manifest has one. */
  name?: string;
  /** Relative to root, POSIX. */
  out: string;
  handlers: string;
  entry: string;
  /** Files the manifest embeds (`resources.*.file`), absolute. */
  includes: string[];
}

export function readProject(manifest: string): Project {
  let doc: any;
  try {
    doc = parse(readFileSync(manifest, "utf8"));
  } catch {
    doc = undefined;
  }
  return projectFrom(manifest, doc);
}

/** The project as a manifest's parsed document describes it (defaults for anything missing). */
export function projectFrom(manifest: string, doc: any): Project {
  const root = dirname(manifest);
  const gen = doc && typeof doc.generate === "object" && doc.generate ? doc.generate : {};
  const str = (v: unknown, d: string) => (typeof v === "string" && v.trim() !== "" ? v : d);
  const includes: string[] = [];
  if (doc && typeof doc.resources === "object" && doc.resources) {
    for (const r of Object.values<any>(doc.resources)) {
      if (r && typeof r.file === "string") includes.push(isAbsolute(r.file) ? r.file : resolve(root, r.file));
    }
  }
  return {
    manifest,
    root,
    name: typeof doc?.server?.name === "string" ? doc.server.name : undefined,
    out: normalizeDir(str(gen.out, "src/generated")),
    handlers: normalizeDir(str(gen.handlers, "src/handlers")),
    entry: normalizeDir(str(gen.entry, "src/server.ts")),
    includes,
  };
}

/** Where tsx's loader is, and whose it is. */
export interface Tsx {
  /** A file: URL for `node --import`, so it works from any working directory. */
  loader: string;
  /** The package folder. */
  dir: string;
  from: "project" | "mcpgen";
}

/**
 * tsx, from the project's node_modules first (its version wins), else mcpgen's own
 * dependency. Undefined when neither has it.
 */
export function findTsx(root: string): Tsx | undefined {
  const tries: [string, Tsx["from"]][] = [
    [join(root, "package.json"), "project"],
    [import.meta.url, "mcpgen"],
  ];
  for (const [base, from] of tries) {
    try {
      const pkgJson = createRequire(base).resolve("tsx/package.json");
      const dir = dirname(pkgJson);
      const pkg = JSON.parse(readFileSync(pkgJson, "utf8"));
      const dot = pkg.exports?.["."];
      const target = typeof dot === "string" ? dot : (dot?.import?.default ?? dot?.import ?? dot?.default);
      const file = join(dir, typeof target === "string" ? target : "dist/loader.mjs");
      if (existsSync(file)) return { loader: pathToFileURL(file).href, dir, from };
    } catch {
      // not installed there
    }
  }
  return undefined;
}

/** The `node` arguments that run a TypeScript entry through tsx. */
export const tsxArgs = (tsx: Tsx, entryAbs: string) => ["--import", tsx.loader, entryAbs];

/**
 * The compiled entry, from the project's tsconfig.json (`outDir`, `rootDir`): for the
 * default layout src/server.ts → dist/server.js. Undefined when the tsconfig does not
 * emit (no outDir, or noEmit).
 */
export function distEntry(project: Project): { file: string; outDir: string; srcDir: string } | undefined {
  const options = tsconfigOptions(join(project.root, "tsconfig.json"));
  if (!options || options.noEmit === true || typeof options.outDir !== "string") return undefined;
  const outDir = resolve(project.root, options.outDir);
  const entryAbs = resolve(project.root, project.entry);
  // Without rootDir, tsc's is the common folder of the inputs: for mcpgen's layout, the
  // entry's top folder (src/), or the project itself when the entry sits at the top.
  const top = project.entry.includes("/") ? project.entry.split("/")[0]! : ".";
  const srcDir = resolve(project.root, typeof options.rootDir === "string" ? options.rootDir : top);
  const rel = relative(srcDir, entryAbs);
  if (rel.startsWith("..") || isAbsolute(rel)) return undefined;
  const js = rel.replace(/\.mts$/, ".mjs").replace(/\.cts$/, ".cjs").replace(/\.tsx?$/, ".js");
  return { file: join(outDir, js), outDir, srcDir };
}

/** compilerOptions of a tsconfig, following `extends` to relative files. */
function tsconfigOptions(file: string, depth = 0): Record<string, unknown> | undefined {
  if (!existsSync(file) || depth > 5) return undefined;
  let config: any;
  try {
    config = toValue(parseJson(readFileSync(file, "utf8"), { comments: true }));
  } catch {
    return undefined;
  }
  let base: Record<string, unknown> = {};
  if (typeof config?.extends === "string" && config.extends.startsWith(".")) {
    const ext = resolve(dirname(file), config.extends);
    const inherited = tsconfigOptions(ext.endsWith(".json") ? ext : `${ext}.json`, depth + 1);
    if (inherited) {
      // Paths in the base config are relative to the base config's folder.
      base = { ...inherited };
      for (const k of ["outDir", "rootDir"]) if (typeof base[k] === "string") base[k] = resolve(dirname(ext), base[k] as string);
    }
  }
  const own = { ...(config?.compilerOptions ?? {}) };
  for (const k of ["outDir", "rootDir"]) if (typeof own[k] === "string") own[k] = resolve(dirname(file), own[k]);
  return { ...base, ...own };
}

/** Newest modification time (ms) of the files under `dir`, skipping node_modules and dot folders. */
export function newestMtime(dir: string, skip: (abs: string) => boolean = () => false): { mtime: number; file?: string } {
  let best: { mtime: number; file?: string } = { mtime: 0 };
  if (!existsSync(dir)) return best;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.name === "node_modules" || e.name.startsWith(".") || skip(p)) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const t = statSync(p).mtimeMs;
        if (t > best.mtime) best = { mtime: t, file: p };
      }
    }
  };
  walk(dir);
  return best;
}

/**
 * Why the built entry is out of date (`dist/server.js is older than src/x.ts`), or
 * undefined when it is current or there is none. The one staleness check: \`mcpgen run\`
 * falls back to tsx on it, \`mcpgen install\` refuses on it.
 */
export function staleBuild(project: Project): string | undefined {
  const dist = distEntry(project);
  if (!dist || !existsSync(dist.file)) return undefined;
  const rel = (p: string) => relative(project.root, p).split(sep).join("/");
  const built = newestMtime(dist.outDir);
  const source = newestMtime(dist.srcDir, (p) => p === dist.outDir);
  if (built.mtime >= source.mtime) return undefined;
  return `${rel(dist.file)} is older than ${source.file ? rel(source.file) : "the sources"}`;
}

/** How to start the server: node with these arguments. */
export interface Launch {
  kind: "dist" | "tsx";
  command: string;
  args: string[];
  /** What runs, relative to the root, for messages. */
  shown: string;
  /** Why this one, for messages. */
  reason: string;
}

export class LaunchError extends Error {}

/**
 * Chooses how to run the entry: the built dist entry when it exists and nothing under the
 * source folder is newer (`prefer: "auto"`), else the TypeScript entry through tsx.
 * `prefer: "dist"` or `"tsx"` forces one. `requireFresh: false` (install) takes an existing
 * dist entry even when older than the sources: the client runs whatever is built later.
 */
export function chooseLaunch(project: Project, options: { prefer?: "auto" | "dist" | "tsx"; requireFresh?: boolean; node?: string } = {}): Launch {
  const prefer = options.prefer ?? "auto";
  const node = options.node ?? process.execPath;
  const entryAbs = resolve(project.root, project.entry);
  const rel = (p: string) => relative(project.root, p).split(sep).join("/");
  const dist = distEntry(project);
  const distExists = dist !== undefined && existsSync(dist.file);
  if (prefer === "dist") {
    if (!dist) throw new LaunchError(`tsconfig.json in ${project.root} emits nothing (no compilerOptions.outDir, or noEmit): there is no built entry. Set outDir, or drop --dist to run ${project.entry} through tsx.`);
    if (!distExists) throw new LaunchError(`${rel(dist.file)} does not exist: build first (npx tsc, or npm run build), or drop --dist to run ${project.entry} through tsx.`);
    return { kind: "dist", command: node, args: [dist.file], shown: rel(dist.file), reason: "--dist" };
  }
  let staleReason: string | undefined;
  if (prefer === "auto" && distExists) {
    if (options.requireFresh === false) return { kind: "dist", command: node, args: [dist.file], shown: rel(dist.file), reason: "built entry" };
    staleReason = staleBuild(project);
    if (staleReason === undefined) return { kind: "dist", command: node, args: [dist.file], shown: rel(dist.file), reason: "built after the last source change" };
  }
  if (!existsSync(entryAbs)) throw new LaunchError(`${project.entry} does not exist: run \`npx mcpgen\` to generate it (and the handler stubs).`);
  const tsx = findTsx(project.root);
  if (!tsx) {
    throw new LaunchError(
      distExists
        ? `tsx is not installed, and ${staleReason}: install tsx (npm install -D tsx) or rebuild (npx tsc) and pass --dist.`
        : `running ${project.entry} needs tsx, which is not installed: npm install -D tsx (or build with tsc and pass --dist).`,
    );
  }
  const reason = prefer === "tsx" ? "--tsx" : staleReason ? `${staleReason}` : dist ? `${rel(dist.file)} is not built` : "no build output configured";
  return { kind: "tsx", command: node, args: tsxArgs(tsx, entryAbs), shown: `${project.entry} through tsx`, reason };
}
