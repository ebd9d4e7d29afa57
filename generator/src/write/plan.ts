import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { GENERATED_HEADER, type GeneratedFile } from "../emit/index.js";
import { handlerFiles } from "../emit/layout.js";
import { emitEntry, emitHandlerStub, emitLifespanStub } from "../emit/stubs.js";
import type { Model } from "../model/build.js";
import { addMissingExports } from "./handlers.js";
import { STATE_FILE } from "./state.js";

export type Change =
  | { kind: "generated"; path: string; before?: string; after: string; recordOnly?: boolean }
  | { kind: "stale"; path: string; before: string }
  | { kind: "stub"; path: string; after: string }
  | { kind: "handler-exports"; path: string; before: string; after: string; added: string[] };

export interface Plan {
  changes: Change[];
  unchanged: string[];
  warnings: string[];
}

const readText = async (path: string) => (existsSync(path) ? readFile(path, "utf8") : undefined);

/**
 * Compares what generation would produce with what is on disk, in memory. Both
 * `generate` (which applies it) and `check` (which reports it) use this one plan.
 */
export async function planGeneration(root: string, model: Model, generated: GeneratedFile[]): Promise<Plan> {
  const plan: Plan = { changes: [], unchanged: [], warnings: [] };
  const wanted = new Set(generated.map((f) => f.path));
  await Promise.all(
    generated.map(async (f) => {
      const before = await readText(join(root, f.path));
      if (before === f.content) plan.unchanged.push(f.path);
      else plan.changes.push({ kind: "generated", path: f.path, before, after: f.content, recordOnly: onlyInputHashDiffers(f.path, before, f.content) });
    }),
  );
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
      plan.changes.push({ kind: "stub", path: file.path, after: emitHandlerStub(model, file) });
      continue;
    }
    const update = await addMissingExports(model, file, before);
    if (update.unparseable) plan.warnings.push(`${update.unparseable} (not updated: fix the syntax error, then run mcpgen again)`);
    else if (update.text !== undefined && update.added.length > 0) {
      plan.changes.push({ kind: "handler-exports", path: file.path, before, after: update.text, added: update.added });
    }
  }
  if (model.lifespan) {
    const path = `${model.paths.handlers}/lifespan.ts`;
    if (!existsSync(join(root, path))) plan.changes.push({ kind: "stub", path, after: emitLifespanStub() });
  }
  if (!existsSync(join(root, model.paths.entry))) plan.changes.push({ kind: "stub", path: model.paths.entry, after: emitEntry(model) });

  // Handlers whose item left the manifest: reported, never deleted.
  const expected = new Set(handlers.map((h) => h.path));
  if (model.lifespan) expected.add(`${model.paths.handlers}/lifespan.ts`);
  for (const sub of ["tools", "resources", "prompts"]) {
    for (const path of await listFiles(root, `${model.paths.handlers}/${sub}`)) {
      if (path.endsWith(".ts") && !path.endsWith(".d.ts") && !path.endsWith(".test.ts") && !expected.has(path)) {
        plan.warnings.push(`${path} is an orphan: its ${sub.replace(/s$/, "")} is no longer in mcp.yaml (kept; delete it when you no longer need it)`);
      }
    }
  }
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
      if (c.kind === "stale") continue;
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
  for (const c of plan.changes) if (c.kind === "stale") await rm(join(root, c.path), { force: true });
}
