/**
 * `mcpgen diff --against <git-ref|file>`: what changed in the server's surface since another
 * version of mcp.yaml, each change classified breaking, dangerous or safe (docs/diff.md).
 */

import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { hasErrors } from "../diagnostics/index.js";
import { commandArgs, Exit, internalError, reportDiagnostics, useColor, type CommandIO, type OutputFormat } from "./command-common.js";
import { compareSurfaces } from "./compare.js";
import { GitError, readAtRevision } from "./git.js";
import { loadCurrentSurface, manifestLocation, surfaceFromText, type LoadedSurface } from "./load.js";
import { locateChanges, orderChanges, renderDiffGithub, renderDiffJson, renderDiffText, type DiffReport } from "./render-diff.js";

export const DIFF_HELP = `mcpgen diff: compare the server's surface with another version of the manifest

Usage: mcpgen diff --against <git-ref|file> [options]

  --against <ref|file>  A file (old/mcp.yaml), a git revision (HEAD, main, v1.2.0) whose copy of
                        the manifest is read with git, or <rev>:<path> for a path in the repository
  -c, --config <file>   Manifest path (default: mcp.yaml)
      --cwd <dir>       Run as if started in <dir>
      --format <f>      text (default), json or github (workflow annotations)
      --no-color        Plain text output (also NO_COLOR=1)
  -h, --help            Show this help

Every change is breaking, dangerous or safe under a named rule (docs/diff.md).
Exit codes: 0 nothing breaking, 1 breaking changes, 2 usage or manifest errors.
`;

export async function diffCommand(argv: string[], io: CommandIO): Promise<number> {
  let values;
  try {
    const parsed = parseArgs({
      args: commandArgs(argv, "diff"),
      allowPositionals: false,
      options: {
        against: { type: "string" },
        config: { type: "string", short: "c" },
        cwd: { type: "string" },
        format: { type: "string" },
        "no-color": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    values = parsed.values;
  } catch (error) {
    io.stderr.write(`mcpgen diff: ${(error as Error).message}\n\n${DIFF_HELP}`);
    return Exit.UserError;
  }
  if (values.help) {
    io.stdout.write(DIFF_HELP);
    return Exit.Ok;
  }
  const format = (values.format ?? "text") as OutputFormat;
  if (!["text", "json", "github"].includes(format)) {
    io.stderr.write(`mcpgen diff: --format must be text, json or github (got '${format}')\n`);
    return Exit.UserError;
  }
  if (values.against === undefined || values.against === "") {
    io.stderr.write(`mcpgen diff: --against <git-ref|file> is required\n\n${DIFF_HELP}`);
    return Exit.UserError;
  }
  try {
    return await runDiff({ io, cwd: resolve(io.cwd, values.cwd ?? "."), config: values.config, against: values.against, format, noColor: values["no-color"] });
  } catch (error) {
    return internalError(io, "diff", error);
  }
}

interface DiffOptions {
  io: CommandIO;
  cwd: string;
  config?: string;
  against: string;
  format: OutputFormat;
  noColor?: boolean;
}

async function runDiff(o: DiffOptions): Promise<number> {
  const { io } = o;
  const errColor = useColor(io, "stderr", o.noColor);
  const where = manifestLocation(o.cwd, o.config);
  const current = loadCurrentSurface(where);
  if (!current.surface || hasErrors(current.diagnostics)) {
    reportDiagnostics(io, current.diagnostics, new Map([[current.displayPath, current.text]]), o.format, errColor);
    return Exit.UserError;
  }

  let old: LoadedSurface;
  const againstFile = resolve(o.cwd, o.against);
  if (existsSync(againstFile) && statSync(againstFile).isFile()) {
    const label = relative(o.cwd, againstFile).split("\\").join("/") || o.against;
    old = surfaceFromText(label, readFileSync(againstFile, "utf8"), dirname(againstFile));
  } else {
    try {
      const file = await readAtRevision(o.against, where.abs);
      old = surfaceFromText(file.label, file.text, dirname(where.abs));
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      io.stderr.write(`mcpgen diff: --against ${o.against}: ${error.message}\n`);
      return Exit.UserError;
    }
  }
  if (!old.surface || hasErrors(old.diagnostics)) {
    io.stderr.write(`mcpgen diff: the manifest to compare with (${old.displayPath}) is not valid:\n`);
    reportDiagnostics(io, old.diagnostics.filter((d) => d.severity === "error"), new Map([[old.displayPath, old.text]]), o.format, errColor);
    return Exit.UserError;
  }

  const changes = compareSurfaces(old.surface, current.surface);
  const report: DiffReport = {
    manifest: current.displayPath,
    against: old.displayPath,
    changes: orderChanges(locateChanges(changes, current.displayPath, current.locator)),
  };
  if (o.format === "json") io.stdout.write(renderDiffJson(report));
  else if (o.format === "github") io.stdout.write(renderDiffGithub(report));
  else io.stdout.write(renderDiffText(report, { color: useColor(io, "stdout", o.noColor) }));
  return report.changes.some((c) => c.severity === "breaking") ? Exit.Breaking : Exit.Ok;
}
