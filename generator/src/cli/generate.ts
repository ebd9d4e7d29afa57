import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { hasErrors, renderGithub, renderJson, renderText, type Diagnostic } from "../diagnostics/index.js";
import type { PipelineResult } from "../pipeline.js";
import { generatorRecordVersion } from "../version.js";
import { parseCommandArgs, UsageError, type CommonOptions, type OptionSpec } from "./args.js";
import type { DiffMode } from "./check-report.js";
import { orphanAnnotation, orphanLines } from "./orphans.js";
import { esmAdvice, nearestPackageType } from "./module-type.js";
import { ExitCode, type CliIO } from "./io.js";

// The pipeline (schema compilers, formatter) loads only when there is work to do.
const pipeline = () => import("../pipeline.js");

const FORMAT_OPTION = { format: { type: "string" } } as const;
const FORCE_OPTION = { force: { type: "boolean" } } as const;

export const GENERATE_USAGE = `Usage: mcpgen [generate] [options]

Generates src/generated/, handler stubs and the entry from the manifest. Answers at once
when nothing the last generation depended on changed.

Options:
      --format <f>      Diagnostics as text (default), json or github
      --force           Regenerate even when the last generation is still current
`;

export const CHECK_USAGE = `Usage: mcpgen check [options]

Exits 1 when generated code is stale, missing or left over, a handler export is missing,
or a handler is an orphan (its item left mcp.yaml), naming the fix (for CI). Writes nothing.
One line per file; a short diff for source files, a size and hash line for data files
(validators, schemas).

Options:
      --diff <d>        short (default), full (every line of every diff) or none
      --verbose         Same as --diff full
      --format <f>      Diagnostics as text (default), json or github (annotations)
      --force           Compare even when the last generation's record says current
`;

export const VALIDATE_USAGE = `Usage: mcpgen validate [options]

Checks the manifest only: every error at once, with positions.

Options:
      --format <f>      Diagnostics as text (default), json or github
`;

interface Ctx extends CommonOptions {
  io: CliIO;
  format: string;
  force: boolean;
  diff: DiffMode;
}

const DIFF_OPTIONS = { diff: { type: "string" }, verbose: { type: "boolean" } } as const;

function context(name: string, argv: string[], io: CliIO, force: boolean, extra: Record<string, OptionSpec> = {}): Ctx {
  const { values, common } = parseCommandArgs(argv, io, { name, options: { ...(force ? { ...FORMAT_OPTION, ...FORCE_OPTION } : FORMAT_OPTION), ...extra } });
  const format = (values.format as string | undefined) ?? "text";
  if (!["text", "json", "github"].includes(format)) throw new UsageError(`--format must be text, json or github (got '${format}')`);
  const diff = (values.diff as string | undefined) ?? (values.verbose ? "full" : "short");
  if (!["short", "full", "none"].includes(diff)) throw new UsageError(`--diff must be short, full or none (got '${diff}')`);
  return { ...common, io, format, force: values.force === true, diff: diff as DiffMode };
}

export const generateCommand = async (argv: string[], io: CliIO) => generate(context("generate", argv, io, true));
export const checkCommand = async (argv: string[], io: CliIO) => check(context("check", argv, io, true, DIFF_OPTIONS));
export const validateCommand = async (argv: string[], io: CliIO) => validate(context("validate", argv, io, false));

/** Answers from the last generation's record when nothing it depends on changed. */
export async function fastUpToDate(manifest: string, force: boolean): Promise<number | undefined> {
  if (force) return undefined;
  if (!existsSync(manifest)) return undefined;
  const { isUpToDate, outDirOf } = await import("../write/state.js");
  const { sameGeneratorCode } = await import("../write/dev-cache.js");
  const text = readFileSync(manifest, "utf8");
  const r = isUpToDate(dirname(manifest), text, generatorRecordVersion());
  return r.upToDate && sameGeneratorCode(dirname(manifest), outDirOf(text)) ? r.files : undefined;
}

/** Prints a run's diagnostics in the chosen format (errors only with --quiet). */
export function report(ctx: { io: CliIO; format: string; quiet: boolean; color: boolean }, result: PipelineResult): void {
  const diags: Diagnostic[] = ctx.quiet ? result.diagnostics.filter((d) => d.severity === "error") : result.diagnostics;
  if (diags.length === 0) return;
  if (ctx.format === "json") ctx.io.stdout.write(renderJson(diags) + "\n");
  else if (ctx.format === "github") ctx.io.stdout.write(renderGithub(diags) + "\n");
  else ctx.io.stderr.write(renderText(diags, result.sources, { color: ctx.color }) + "\n");
}

async function generate(ctx: Ctx): Promise<number> {
  const started = performance.now();
  const fresh = await fastUpToDate(ctx.manifest, ctx.force);
  if (fresh !== undefined) {
    if (!ctx.quiet) ctx.io.stderr.write(`mcpgen: 0 files written, ${fresh} unchanged in ${Math.round(performance.now() - started)} ms (up to date)\n`);
    return ExitCode.Ok;
  }
  const { runPipeline } = await pipeline();
  const { applyPlan } = await import("../write/plan.js");
  const result = await runPipeline({ cwd: ctx.cwd, config: ctx.config });
  report(ctx, result);
  if (hasErrors(result.diagnostics) || !result.plan) return ExitCode.UserError;
  const plan = result.plan;
  await applyPlan(result.root, plan);
  const { noteGeneratorCode } = await import("../write/dev-cache.js");
  noteGeneratorCode(result.root, result.model!.paths.out);
  const say = (s: string) => !ctx.quiet && ctx.io.stderr.write(s + "\n");
  for (const w of plan.warnings) say(`warning: ${w}`);
  for (const line of describeChanges(plan)) say(line);
  const pkg = nearestPackageType(result.root);
  if (pkg && pkg.type !== "module") say(`warning: ${esmAdvice(pkg.type, [])}`);
  const hint = ctx.config ? ` --config ${ctx.config}` : "";
  for (const o of plan.orphans) {
    if (ctx.format === "github") ctx.io.stdout.write(orphanAnnotation(o, hint).replace("::error", "::warning") + "\n");
    for (const line of orphanLines(o, hint)) say(line.startsWith(" ") ? line : `warning: ${line}`);
  }
  const written = plan.changes.filter((c) => c.kind !== "stale" && c.kind !== "unused-stub").length;
  const ms = Math.round(performance.now() - started);
  say(`mcpgen: ${written} file${written === 1 ? "" : "s"} written, ${plan.unchanged.length} unchanged in ${ms} ms`);
  return ExitCode.Ok;
}

/** One `  created  path` line per change of a plan. */
export function describeChanges(plan: NonNullable<PipelineResult["plan"]>): string[] {
  return plan.changes.map((c) => {
    if (c.kind === "stub") return `  created  ${c.path}`;
    if (c.kind === "handler-exports") return `  updated  ${c.path} (added ${c.added.join(", ")})`;
    if (c.kind === "stale") return `  removed  ${c.path}`;
    if (c.kind === "unused-stub") return `  removed  ${c.path} (an untouched stub whose item left the manifest)`;
    return `  ${c.before === undefined ? "created" : "updated"}  ${c.path}`;
  });
}

async function check(ctx: Ctx): Promise<number> {
  const started = performance.now();
  const fresh = await fastUpToDate(ctx.manifest, ctx.force);
  if (fresh !== undefined) {
    if (!ctx.quiet) ctx.io.stderr.write(`mcpgen check: up to date (${fresh} files) in ${Math.round(performance.now() - started)} ms\n`);
    return ExitCode.Ok;
  }
  const { runPipeline } = await pipeline();
  const { describeDrift, driftAnnotation } = await import("./check-report.js");
  const result = await runPipeline({ cwd: ctx.cwd, config: ctx.config });
  report(ctx, result);
  if (hasErrors(result.diagnostics) || !result.plan) return ExitCode.UserError;
  const { warnings, orphans } = result.plan;
  // A record that only notes a different mcpgen or formatter config is not drift.
  const changes = result.plan.changes.filter((c) => !(c.kind === "generated" && c.recordOnly));
  const out = (s: string) => ctx.io.stdout.write(s);
  const hint = ctx.config ? ` --config ${ctx.config}` : "";
  for (const w of warnings) if (!ctx.quiet) ctx.io.stderr.write(`warning: ${w}\n`);
  if (changes.length === 0 && orphans.length === 0) {
    if (!ctx.quiet) ctx.io.stderr.write(`mcpgen check: up to date (${result.plan.unchanged.length} files) in ${Math.round(performance.now() - started)} ms\n`);
    return ExitCode.Ok;
  }
  for (const c of changes) out(ctx.format === "github" ? driftAnnotation(c, hint) + "\n" : describeDrift(c, ctx.diff));
  for (const o of orphans) out(ctx.format === "github" ? orphanAnnotation(o, hint) + "\n" : orphanLines(o, hint).join("\n") + "\n");
  const problems: string[] = [];
  if (changes.length > 0) problems.push(`${changes.length} file${changes.length === 1 ? " is" : "s are"} out of date. Run \`npx mcpgen${hint}\` and commit the result`);
  if (orphans.length > 0) problems.push(`${orphans.length} orphan handler${orphans.length === 1 ? "" : "s"}: rename or delete ${orphans.length === 1 ? "it" : "them"} (above)`);
  ctx.io.stderr.write(`mcpgen check: ${problems.join(". ")}.\n`);
  return ExitCode.Drift;
}

async function validate(ctx: Ctx): Promise<number> {
  const { runPipeline } = await pipeline();
  const result = await runPipeline({ cwd: ctx.cwd, config: ctx.config }, { validateOnly: true });
  report(ctx, result);
  if (hasErrors(result.diagnostics)) return ExitCode.UserError;
  if (!ctx.quiet) ctx.io.stderr.write(`mcpgen: ${result.displayPath} is valid\n`);
  return ExitCode.Ok;
}
