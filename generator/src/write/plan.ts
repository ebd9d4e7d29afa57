import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { GENERATED_HEADER, type GeneratedFile } from "../emit/index.js";
import { handlerFiles } from "../emit/layout.js";
import { emitEntry, emitHandlerStub, emitLifespanStub } from "../emit/stubs.js";
import type { Model } from "../model/build.js";
import { addMissingExports } from "./handlers.js";
import { readState, sha, STATE_FILE } from "./state.js";

export type Change =
  | { kind: "generated"; path: string; before?: string; after: string; recordOnly?: boolean }
  | { kind: "stale"; path: string; before: string }
  | { kind: "stub"; path: string; after: string }
  | { kind: "handler-exports"; path: string; before: string; after: string; added: string[] }
  /** A stub mcpgen wrote, never edited, whose item left the manifest: removed. */
  | { kind: "unused-stub"; path: string; before: string };

/** A handler file whose item left the manifest, edited by its author: kept, and reported. */
export interface Orphan {
  path: string;
  kind: "tool" | "resource" | "prompt";
  /** The item the file was for, as its file name says. */
  name: string;
  /** Items of the same kind that got a fresh stub in this run: likely the new name. */
  renamedTo: string[];
}

export interface Plan {
  changes: Change[];
  unchanged: string[];
  warnings: string[];
  orphans: Orphan[];
}

const readText = async (path: string) => (existsSync(path) ? readFile(path, "utf8") : undefined);

/**
 * Compares what generation would produce with what is on disk, in memory. Both
 * `generate` (which applies it) and `check` (which reports it) use this one plan.
 */
export async function planGeneration(root: string, model: Model, generated: GeneratedFile[], stateFile: (stubs: Record<string, string>) => GeneratedFile): Promise<Plan> {
  const plan: Plan = { changes: [], unchanged: [], warnings: [], orphans: [] };
  const previous = readState(root, model.paths.out)?.stubs ?? {};
  const stubs: Record<string, string> = {};
  const untouchedStubs = new Set<string>();
  const compare = async (f: GeneratedFile) => {
    const before = await readText(join(root, f.path));
    if (before === f.content) plan.unchanged.push(f.path);
    else plan.changes.push({ kind: "generated", path: f.path, before, after: f.content, recordOnly: onlyInputHashDiffers(f.path, before, f.content) });
  };
  await Promise.all(generated.map(compare));
  const wanted = new Set(generated.map((f) => f.path));
  wanted.add(`${model.paths.out}/${STATE_FILE}`);
  for (const path of await listFiles(root, model.paths.out)) {
    if (wanted.has(path)) continue;
    const before = await readFile(join(root, path), "utf8");
    // Only files we made are ever removed; anything else in the folder is reported.
    if (before.startsWith(GENERATED_HEADER)) plan.changes.push({ kind: "stale", path, before });
    else plan.warnings.push(`${path} is in the generated folder but was not written by mcpgen; leaving it alone`);
  }

  const handlers = handlerFiles(model);
  for (const file of handlers) {
    const before = await readText(join(root, file.path));
    if (before === undefined) {
      const after = emitHandlerStub(model, file);
      plan.changes.push({ kind: "stub", path: file.path, after });
      stubs[file.path] = sha(after);
      untouchedStubs.add(file.path);
      continue;
    }
    const untouched = previous[file.path] !== undefined && previous[file.path] === sha(before);
    const update = await addMissingExports(model, file, before);
    if (update.unparseable) plan.warnings.push(`${update.unparseable} (not updated: fix the syntax error, then run mcpgen again)`);
    else if (update.text !== undefined && update.added.length > 0) {
      plan.changes.push({ kind: "handler-exports", path: file.path, before, after: update.text, added: update.added });
      // A stub that only gained exports is still mcpgen's own text.
      if (untouched) stubs[file.path] = sha(update.text);
      continue;
    }
    if (previous[file.path] !== undefined) stubs[file.path] = previous[file.path]!;
    if (untouched) untouchedStubs.add(file.path);
  }
  const authorStub = (path: string, emit: () => string) => {
    if (!existsSync(join(root, path))) {
      const after = emit();
      plan.changes.push({ kind: "stub", path, after });
      stubs[path] = sha(after);
    } else if (previous[path] !== undefined) stubs[path] = previous[path]!;
  };
  if (model.lifespan) authorStub(`${model.paths.handlers}/lifespan.ts`, emitLifespanStub);
  authorStub(model.paths.entry, () => emitEntry(model));

  // Handlers whose item left the manifest: an untouched stub is removed (it imports types
  // that no longer exist), an edited file is kept and reported, with a likely new name.
  const expected = new Set(handlers.map((h) => h.path));
  if (model.lifespan) expected.add(`${model.paths.handlers}/lifespan.ts`);
  const fresh = (kinds: string[]) => handlers.filter((h) => kinds.includes(h.kind) && untouchedStubs.has(h.path)).map((h) => h.itemName);
  for (const sub of ["tools", "resources", "prompts"] as const) {
    for (const path of await listFiles(root, `${model.paths.handlers}/${sub}`)) {
      if (!path.endsWith(".ts") || path.endsWith(".d.ts") || path.endsWith(".test.ts") || expected.has(path)) continue;
      const before = await readFile(join(root, path), "utf8");
      if (previous[path] !== undefined && previous[path] === sha(before)) {
        plan.changes.push({ kind: "unused-stub", path, before });
        continue;
      }
      const kind = sub === "tools" ? "tool" : sub === "prompts" ? "prompt" : "resource";
      const name = posix.basename(path, ".ts");
      plan.orphans.push({ path, kind, name, renamedTo: fresh(kind === "resource" ? ["resource", "template"] : [kind]) });
    }
  }
  await compare(stateFile(stubs));
  plan.changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  plan.unchanged.sort();
  plan.warnings.sort();
  return plan;
}

/**
 * A generation record that differs only in its input hash (a newer mcpgen, or another
 * formatter config, that produced the same files): worth rewriting, not drift.
 */
function onlyInputHashDiffers(path: string, before: string | undefined, after: string): boolean {
  if (!path.endsWith(`/${STATE_FILE}`) || before === undefined) return false;
  try {
    const a = JSON.parse(before);
    const b = JSON.parse(after);
    return JSON.stringify({ ...a, input: "" }) === JSON.stringify({ ...b, input: "" });
  } catch {
    return false;
  }
}

async function listFiles(root: string, dir: string): Promise<string[]> {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const e of await readdir(abs, { withFileTypes: true })) {
    if (e.isFile()) out.push(`${dir}/${e.name}`);
  }
  return out.sort();
}

/**
 * Writes a plan so that a failure leaves no half-written tree: every new text goes to
 * a temporary file first, and only when all are written are they renamed into place.
 */
export async function applyPlan(root: string, plan: Plan): Promise<void> {
  const temps: { tmp: string; dest: string }[] = [];
  const suffix = `.mcpgen-tmp-${process.pid}`;
  try {
    for (const c of plan.changes) {
      if (c.kind === "stale" || c.kind === "unused-stub") continue;
      const dest = join(root, c.path);
      await mkdir(dirname(dest), { recursive: true });
      const tmp = dest + suffix;
      await writeFile(tmp, c.after);
      temps.push({ tmp, dest });
    }
  } catch (error) {
    await Promise.all(temps.map((t) => rm(t.tmp, { force: true })));
    throw error;
  }
  for (const t of temps) await rename(t.tmp, t.dest);
  for (const c of plan.changes) if (c.kind === "stale" || c.kind === "unused-stub") await rm(join(root, c.path), { force: true });
}
