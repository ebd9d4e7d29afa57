import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { hasErrors, renderGithub, renderJson, renderText, type Diagnostic } from "../diagnostics/index.js";
import type { PipelineResult } from "../pipeline.js";
import { generatorFingerprint } from "../version.js";
import { parseCommandArgs, UsageError, type CommonOptions } from "./args.js";
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

Exits 1 with a unified diff when generated code is stale, missing or left over, or a
handler export is missing (for CI). Writes nothing.

Options:
      --format <f>      Diagnostics as text (default), json or github
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
}

function context(name: string, argv: string[], io: CliIO, force: boolean): Ctx {
  const { values, common } = parseCommandArgs(argv, io, { name, options: force ? { ...FORMAT_OPTION, ...FORCE_OPTION } : FORMAT_OPTION });
  const format = (values.format as string | undefined) ?? "text";
  if (!["text", "json", "github"].includes(format)) throw new UsageError(`--format must be text, json or github (got '${format}')`);
  return { ...common, io, format, force: values.force === true };
}

export const generateCommand = async (argv: string[], io: CliIO) => generate(context("generate", argv, io, true));
export const checkCommand = async (argv: string[], io: CliIO) => check(context("check", argv, io, true));
export const validateCommand = async (argv: string[], io: CliIO) => validate(context("validate", argv, io, false));

/** Answers from the last generation's record when nothing it depends on changed. */
export async function fastUpToDate(manifest: string, force: boolean): Promise<number | undefined> {
  if (force) return undefined;
  if (!existsSync(manifest)) return undefined;
  const { isUpToDate } = await import("../write/state.js");
  const r = isUpToDate(dirname(manifest), readFileSync(manifest, "utf8"), generatorFingerprint());
  return r.upToDate ? r.files : undefined;
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
  const say = (s: string) => !ctx.quiet && ctx.io.stderr.write(s + "\n");
  for (const w of plan.warnings) say(`warning: ${w}`);
  for (const line of describeChanges(plan)) say(line);
  const written = plan.changes.filter((c) => c.kind !== "stale").length;
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
  const { unifiedDiff } = await import("../write/diff.js");
  const result = await runPipeline({ cwd: ctx.cwd, config: ctx.config });
  report(ctx, result);
  if (hasErrors(result.diagnostics) || !result.plan) return ExitCode.UserError;
  const { warnings } = result.plan;
  // A record that only notes a different mcpgen or formatter config is not drift.
  const changes = result.plan.changes.filter((c) => !(c.kind === "generated" && c.recordOnly));
  const out = (s: string) => ctx.io.stdout.write(s);
  for (const w of warnings) if (!ctx.quiet) ctx.io.stderr.write(`warning: ${w}\n`);
  if (changes.length === 0) {
    if (!ctx.quiet) ctx.io.stderr.write(`mcpgen check: up to date (${result.plan.unchanged.length} files) in ${Math.round(performance.now() - started)} ms\n`);
    return ExitCode.Ok;
  }
  for (const c of changes) {
    if (c.kind === "generated") {
      out(`${c.before === undefined ? "missing" : "changed"}: ${c.path}\n`);
      out(unifiedDiff(c.path, c.before, c.after));
    } else if (c.kind === "stale") {
      out(`stale: ${c.path} (no longer generated)\n`);
    } else if (c.kind === "stub") {
      out(`missing handler file: ${c.path}\n`);
    } else {
      out(`missing handler exports in ${c.path}: ${c.added.join(", ")}\n`);
    }
  }
  const hint = ctx.config ? ` --config ${ctx.config}` : "";
  ctx.io.stderr.write(`mcpgen check: ${changes.length} file${changes.length === 1 ? " is" : "s are"} out of date. Run \`npx mcpgen${hint}\` and commit the result.\n`);
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
