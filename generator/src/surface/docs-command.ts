/**
 * `mcpgen docs`: a Markdown (or one-page HTML) reference of the server, from the manifest.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { hasErrors } from "../diagnostics/index.js";
import { commandArgs, Exit, internalError, reportDiagnostics, useColor, type CommandIO } from "./command-common.js";
import { buildDocs, renderHtml, renderMarkdown } from "./docs.js";
import { loadCurrentSurface, manifestLocation } from "./load.js";

export const DOCS_HELP = `mcpgen docs: a reference of the server (tools, resources, prompts, auth) from the manifest

Usage: mcpgen docs [options]

      --out <file>      Write to <file> (relative to --cwd) instead of stdout
      --html            One self-contained HTML page instead of Markdown
  -c, --config <file>   Manifest path (default: mcp.yaml)
      --cwd <dir>       Run as if started in <dir>
      --no-color        Plain diagnostics (also NO_COLOR=1)
  -h, --help            Show this help

Exit codes: 0 ok, 2 invalid manifest or usage.
`;

export async function docsCommand(argv: string[], io: CommandIO): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: commandArgs(argv, "docs"),
      allowPositionals: false,
      options: {
        out: { type: "string" },
        html: { type: "boolean" },
        config: { type: "string", short: "c" },
        cwd: { type: "string" },
        "no-color": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    io.stderr.write(`mcpgen docs: ${(error as Error).message}\n\n${DOCS_HELP}`);
    return Exit.UserError;
  }
  if (values.help) {
    io.stdout.write(DOCS_HELP);
    return Exit.Ok;
  }
  if (values.out === "") {
    io.stderr.write("mcpgen docs: --out needs a file name\n");
    return Exit.UserError;
  }
  try {
    const cwd = resolve(io.cwd, values.cwd ?? ".");
    const current = loadCurrentSurface(manifestLocation(cwd, values.config));
    if (!current.surface || hasErrors(current.diagnostics)) {
      reportDiagnostics(io, current.diagnostics, new Map([[current.displayPath, current.text]]), "text", useColor(io, "stderr", values["no-color"]));
      return Exit.UserError;
    }
    const doc = buildDocs(current.surface);
    const output = values.html ? renderHtml(doc) : renderMarkdown(doc);
    if (values.out === undefined) {
      io.stdout.write(output);
      return Exit.Ok;
    }
    const target = resolve(cwd, values.out);
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, output);
    } catch (error) {
      io.stderr.write(`mcpgen docs: cannot write ${values.out}: ${(error as Error).message}\n`);
      return Exit.UserError;
    }
    io.stderr.write(`mcpgen docs: wrote ${relative(cwd, target).split("\\").join("/") || values.out}\n`);
    return Exit.Ok;
  } catch (error) {
    return internalError(io, "docs", error);
  }
}
