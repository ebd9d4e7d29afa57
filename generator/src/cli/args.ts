import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { CliIO } from "./io.js";

/** One option of a command, in node:util parseArgs' terms. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
}

/**
 * Options every command accepts (the lead's commands parse these themselves). `-h` and
 * `-v` are answered by `main` before a command runs; they are listed so that parsing a
 * command's arguments never trips over them.
 */
export const COMMON_OPTIONS = {
  config: { type: "string", short: "c" },
  cwd: { type: "string" },
  "no-color": { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const satisfies Record<string, OptionSpec>;

/** What every command knows once its arguments are parsed. */
export interface CommonOptions {
  /** The working directory: `--cwd` resolved against the process's. */
  cwd: string;
  /** `--config` as given (relative to cwd), if given. */
  config?: string;
  /** Manifest path, absolute. */
  manifest: string;
  color: boolean;
  quiet: boolean;
}

export interface CommandSpec {
  /** The command's name as typed, for messages. */
  name: string;
  /** The command's own options, besides the common ones. */
  options?: Record<string, OptionSpec>;
  /** How many positional arguments are allowed (default 0). */
  positionals?: number;
  /**
   * Arguments the command does not know are passed through (to the server), in order,
   * as is everything after `--`. Without it an unknown option is a usage error.
   */
  passthrough?: boolean;
}

export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Parsed {
  values: Values;
  positionals: string[];
  passthrough: string[];
  common: CommonOptions;
}

export class UsageError extends Error {}

/** Whether colour is wanted on stderr (the TTY, NO_COLOR, TERM=dumb, --no-color). */
export function wantColor(io: CliIO, noColor: boolean): boolean {
  return !noColor && !io.env.NO_COLOR && io.stderr.isTTY === true && io.env.TERM !== "dumb";
}

/**
 * Parses a command's arguments: the common options plus its own. Throws UsageError with
 * a message naming the problem; `main` prints it with the way to get help.
 */
export function parseCommandArgs(argv: string[], io: CliIO, spec: CommandSpec): Parsed {
  const options: Record<string, OptionSpec> = { ...COMMON_OPTIONS, ...spec.options };
  let mine = argv;
  let passthrough: string[] = [];
  if (spec.passthrough) ({ mine, passthrough } = partition(argv, options));
  let parsed;
  try {
    parsed = parseArgs({ args: mine, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  const max = spec.positionals ?? 0;
  if (parsed.positionals.length > max) throw new UsageError(`unexpected argument '${parsed.positionals[max]}'`);
  const values = parsed.values as Values;
  const cwd = resolve(io.cwd, (values.cwd as string | undefined) ?? ".");
  const config = values.config as string | undefined;
  return {
    values,
    positionals: parsed.positionals,
    passthrough,
    common: {
      cwd,
      config,
      manifest: resolve(cwd, config ?? "mcp.yaml"),
      color: wantColor(io, values["no-color"] === true),
      quiet: values.quiet === true,
    },
  };
}

/**
 * Splits arguments into the ones a command knows and the ones it passes on, keeping the
 * order of each. Known: `--name`, `--name=value`, `-x` (with the next argument as the
 * value of a string option). Everything after `--` is passed on.
 */
export function partition(argv: string[], options: Record<string, OptionSpec>): { mine: string[]; passthrough: string[] } {
  const byShort = new Map(Object.entries(options).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  const mine: string[] = [];
  const passthrough: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      passthrough.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline = false;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq !== -1;
    } else if (/^-[A-Za-z]$/.test(arg)) {
      name = byShort.get(arg[1]!);
    }
    const option = name === undefined ? undefined : options[name];
    if (!option) {
      passthrough.push(arg);
      continue;
    }
    mine.push(arg);
    if (option.type === "string" && !inline && i + 1 < argv.length) mine.push(argv[++i]!);
  }
  return { mine, passthrough };
}

/** Strings of a repeatable string option. */
export const strings = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : typeof v === "string" ? [v] : []);

/** HTTP serving asked of the entry by pass-through flags: `--http [port]`, `--http=port`, `--port <n>` (which implies --http, as in the runtime). */
export interface HttpFlags {
  enabled: boolean;
  /** The port given, if any (0: any free port). */
  port?: number;
}

export function httpFlags(args: string[]): HttpFlags {
  const out: HttpFlags = { enabled: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--http") {
      out.enabled = true;
      if (/^\d+$/.test(args[i + 1] ?? "")) out.port = Number(args[i + 1]);
    } else if (a.startsWith("--http=")) {
      out.enabled = true;
      if (/^\d+$/.test(a.slice(7))) out.port = Number(a.slice(7));
    } else if (a === "--port" && /^\d+$/.test(args[i + 1] ?? "")) {
      out.enabled = true;
      out.port = Number(args[i + 1]);
    } else if (a.startsWith("--port=") && /^\d+$/.test(a.slice(7))) {
      out.enabled = true;
      out.port = Number(a.slice(7));
    }
  }
  return out;
}

/** The same arguments with every port given as `port` replaced by `replacement`. */
export function replacePort(args: string[], port: number, replacement: number): string[] {
  const out = [...args];
  for (let i = 0; i < out.length; i++) {
    const a = out[i]!;
    if ((a === "--http" || a === "--port") && out[i + 1] === String(port)) out[i + 1] = String(replacement);
    else if (a === `--http=${port}`) out[i] = `--http=${replacement}`;
    else if (a === `--port=${port}`) out[i] = `--port=${replacement}`;
  }
  return out;
}
