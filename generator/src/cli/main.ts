import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { hasErrors, renderGithub, renderJson, renderText, type Diagnostic } from "../diagnostics/index.js";
import type { PipelineResult } from "../pipeline.js";
import { generatorFingerprint, generatorVersion } from "../version.js";
import { runInit } from "./init.js";

// The pipeline (schema compilers, formatter) loads only when there is work to do.
const pipeline = () => import("../pipeline.js");

/** Documented exit codes: user errors are told apart from drift and from our own bugs. */
export const ExitCode = {
  Ok: 0,
  /** `check` found drift. */
  Drift: 1,
  /** The manifest is invalid, or the command line is wrong. */
  UserError: 2,
  /** mcpgen itself failed (a bug: please report it). */
  Internal: 70,
} as const;

export interface CliIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  cwd: string;
  env: Record<string, string | undefined>;
}

const HELP = `mcpgen: typed MCP servers from mcp.yaml

Usage: mcpgen [command] [options]

Commands:
  generate   Generate code from the manifest (the default)
  check      Exit 1 if generated code or handler exports are out of date (for CI)
  validate   Check the manifest only
  init       Scaffold mcp.yaml, package.json scripts, tsconfig.json (never overwrites)

Options:
  -c, --config <file>   Manifest path (default: mcp.yaml)
      --cwd <dir>       Run as if started in <dir>
      --format <f>      Diagnostics as text (default), json or github
      --force           Regenerate even when the last generation is still current
      --no-color        Plain text output (also NO_COLOR=1)
  -q, --quiet           Only errors
  -h, --help            Show this help
  -v, --version         Show the version

Exit codes: 0 ok, 1 drift (check), 2 invalid manifest or usage, 70 internal error.
`;

/** The CLI as a function of argv and streams, so tests run it in-process. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: "string", short: "c" },
        cwd: { type: "string" },
        format: { type: "string" },
        "no-color": { type: "boolean" },
        quiet: { type: "boolean", short: "q" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
        force: { type: "boolean" },
      },
    });
  } catch (error) {
    io.stderr.write(`mcpgen: ${(error as Error).message}\n\n${HELP}`);
    return ExitCode.UserError;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return ExitCode.Ok;
  }
  if (values.version) {
    io.stdout.write(`${generatorVersion()}\n`);
    return ExitCode.Ok;
  }
  const command = positionals[0] ?? "generate";
  const format = values.format ?? "text";
  if (!["text", "json", "github"].includes(format)) {
    io.stderr.write(`mcpgen: --format must be text, json or github (got '${format}')\n`);
    return ExitCode.UserError;
  }
  const cwd = resolve(io.cwd, values.cwd ?? ".");
  const color = !values["no-color"] && !io.env.NO_COLOR && io.stderr.isTTY === true && io.env.TERM !== "dumb";
  const ctx = { io, cwd, config: values.config, format, color, quiet: values.quiet === true, force: values.force === true };
  try {
    switch (command) {
      case "generate":
        return await generate(ctx);
      case "check":
        return await check(ctx);
      case "validate":
        return await validate(ctx);
      case "init":
        return await runInit(cwd, io, values.config ?? "mcp.yaml");
      default:
        io.stderr.write(`mcpgen: unknown command '${command}'\n\n${HELP}`);
        return ExitCode.UserError;
    }
  } catch (error) {
    io.stderr.write(`mcpgen: internal error: ${(error as Error).stack ?? error}\nPlease report this at the mcpgen issue tracker.\n`);
    return ExitCode.Internal;
  }
}

interface Ctx {
  io: CliIO;
  cwd: string;
  config?: string;
  format: string;
  color: boolean;
  quiet: boolean;
  force: boolean;
}

/** Answers from the last generation's record when nothing it depends on changed. */
async function fastUpToDate(ctx: Ctx): Promise<number | undefined> {
  if (ctx.force) return undefined;
  const manifest = resolve(ctx.cwd, ctx.config ?? "mcp.yaml");
  if (!existsSync(manifest)) return undefined;
  const { isUpToDate } = await import("../write/state.js");
  const r = isUpToDate(dirname(manifest), readFileSync(manifest, "utf8"), generatorFingerprint());
  return r.upToDate ? r.files : undefined;
}

function report(ctx: Ctx, result: PipelineResult): void {
  const diags: Diagnostic[] = ctx.quiet ? result.diagnostics.filter((d) => d.severity === "error") : result.diagnostics;
  if (diags.length === 0) return;
  if (ctx.format === "json") ctx.io.stdout.write(renderJson(diags) + "\n");
  else if (ctx.format === "github") ctx.io.stdout.write(renderGithub(diags) + "\n");
  else ctx.io.stderr.write(renderText(diags, result.sources, { color: ctx.color }) + "\n");
}

async function generate(ctx: Ctx): Promise<number> {
  const started = performance.now();
  const fresh = await fastUpToDate(ctx);
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
  for (const c of plan.changes) {
    if (c.kind === "stub") say(`  created  ${c.path}`);
    else if (c.kind === "handler-exports") say(`  updated  ${c.path} (added ${c.added.join(", ")})`);
    else if (c.kind === "stale") say(`  removed  ${c.path}`);
    else say(`  ${c.before === undefined ? "created" : "updated"}  ${c.path}`);
  }
  const written = plan.changes.filter((c) => c.kind !== "stale").length;
  const ms = Math.round(performance.now() - started);
  say(`mcpgen: ${written} file${written === 1 ? "" : "s"} written, ${plan.unchanged.length} unchanged in ${ms} ms`);
  return ExitCode.Ok;
}

async function check(ctx: Ctx): Promise<number> {
  const started = performance.now();
  const fresh = await fastUpToDate(ctx);
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
