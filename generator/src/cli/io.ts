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

/**
 * A command: its arguments are those after its name (global options included, wherever
 * they were typed); it parses them itself (see `parseCommandArgs` in args.ts) and returns
 * the exit code. A `UsageError` it throws is printed with a pointer to its help, exit 2.
 */
export type Command = (argv: string[], io: CliIO) => Promise<number>;
