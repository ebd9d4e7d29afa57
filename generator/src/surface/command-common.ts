/** What the diff and docs commands share with the rest of the CLI: streams, exit codes, reporting. */

import { renderGithub, renderJson, renderText, type Diagnostic } from "../diagnostics/index.js";

/**
 * The CLI's streams and environment. Structurally the CLI's `CliIO` (cli/main.ts), declared
 * here so these commands do not depend on how the CLI module is organised.
 */
export interface CommandIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  cwd: string;
  env: Record<string, string | undefined>;
}

/** The CLI's documented exit codes (cli/main.ts ExitCode). */
export const Exit = { Ok: 0, Breaking: 1, UserError: 2, Internal: 70 } as const;

export type OutputFormat = "text" | "json" | "github";

export function useColor(io: CommandIO, stream: "stdout" | "stderr", noColorFlag: boolean | undefined): boolean {
  return !noColorFlag && !io.env.NO_COLOR && io[stream].isTTY === true && io.env.TERM !== "dumb";
}

/** Manifest diagnostics the way `mcpgen validate` prints them. */
export function reportDiagnostics(io: CommandIO, diagnostics: Diagnostic[], sources: Map<string, string>, format: OutputFormat, color: boolean): void {
  if (diagnostics.length === 0) return;
  if (format === "json") io.stdout.write(renderJson(diagnostics) + "\n");
  else if (format === "github") io.stdout.write(renderGithub(diagnostics) + "\n");
  else io.stderr.write(renderText(diagnostics, sources, { color }) + "\n");
}

/** Drops the command's own name when the caller passed the whole argv (`["diff", ...]`). */
export function commandArgs(argv: string[], name: string): string[] {
  return argv[0] === name ? argv.slice(1) : argv;
}

export function internalError(io: CommandIO, command: string, error: unknown): number {
  io.stderr.write(`mcpgen ${command}: internal error: ${(error as Error)?.stack ?? error}\nPlease report this at the mcpgen issue tracker.\n`);
  return Exit.Internal;
}
