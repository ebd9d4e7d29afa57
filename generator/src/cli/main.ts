import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generatorVersion } from "../version.js";
import { UsageError } from "./args.js";
import { CHECK_USAGE, GENERATE_USAGE, VALIDATE_USAGE, checkCommand, generateCommand, validateCommand } from "./generate.js";
import { INIT_USAGE, initCommand } from "./init.js";

export { ExitCode, type CliIO, type Command } from "./io.js";
import { ExitCode, type CliIO, type Command } from "./io.js";

export interface CommandEntry {
  /** One line for `mcpgen --help`. */
  summary: string;
  run: Command;
  /**
   * Printed for `mcpgen <command> --help` (a function: loaded then). Without it `--help`
   * is passed to the command.
   */
  usage?: string | (() => Promise<string>);
}

// Commands that start processes load their code only when they run.
const lazy =
  <K extends string>(load: () => Promise<Record<K, Command>>, name: K): Command =>
  async (argv, io) =>
    (await load())[name](argv, io);

/** The commands, in the order `--help` lists them. A new command is one line here. */
export const COMMANDS: Record<string, CommandEntry> = {
  generate: { summary: "Generate code from the manifest (the default)", run: generateCommand, usage: GENERATE_USAGE },
  check: { summary: "Exit 1 if generated code or handler exports are out of date (for CI)", run: checkCommand, usage: CHECK_USAGE },
  validate: { summary: "Check the manifest only", run: validateCommand, usage: VALIDATE_USAGE },
  init: { summary: "Scaffold mcp.yaml, package.json scripts, tsconfig.json (never overwrites)", run: initCommand, usage: INIT_USAGE },
  rename: {
    summary: "Rename a tool, resource or prompt in mcp.yaml and move its handler code along",
    run: lazy(() => import("./rename.js"), "renameCommand"),
    usage: async () => (await import("./rename.js")).RENAME_USAGE,
  },
  dev: {
    summary: "Regenerate on manifest changes, restart the server on code changes",
    run: lazy(() => import("./dev.js"), "devCommand"),
    usage: async () => (await import("./dev.js")).DEV_USAGE,
  },
  run: {
    summary: "Run the server once (the built entry when current, else through tsx)",
    run: lazy(() => import("./run.js"), "runCommand"),
    usage: async () => (await import("./run.js")).RUN_USAGE,
  },
  install: {
    summary: "Add the server to Claude Desktop, Claude Code, Cursor or VS Code",
    run: lazy(() => import("./install.js"), "installCommand"),
    usage: async () => (await import("./install.js")).INSTALL_USAGE,
  },
  diff: {
    summary: "Compare the server's surface with a git revision or file (exit 1 on breaking changes)",
    run: lazy(() => import("../surface/diff-command.js"), "diffCommand"),
    usage: async () => (await import("../surface/diff-command.js")).DIFF_HELP,
  },
  docs: {
    summary: "Write a Markdown (--html: HTML) reference of the server",
    run: lazy(() => import("../surface/docs-command.js"), "docsCommand"),
    usage: async () => (await import("../surface/docs-command.js")).DOCS_HELP,
  },
};

const COMMON_HELP = `Options for every command:
  -c, --config <file>   Manifest path (default: mcp.yaml)
      --cwd <dir>       Run as if started in <dir>
      --no-color        Plain text output (also NO_COLOR=1)
  -q, --quiet           Only errors
  -h, --help            Show help (mcpgen <command> --help: that command's)
  -v, --version         Show the version
`;

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 3;
  const list = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`)
    .join("\n");
  return `mcpgen: typed MCP servers from mcp.yaml

Usage: mcpgen [command] [options]

Commands:
${list}

${COMMON_HELP}
generate and check also take --format <text|json|github> and --force; validate --format.
Exit codes: 0 ok, 1 drift or orphans (check), 2 invalid manifest or usage, 70 internal error.

Docs: ${docsPath("cli.md")}
      (manifest.md, runtime.md, http.md beside it; online: ${DOCS_URL}/cli.md)
`;
}

/** The repository's docs folder online (package.json's repository). */
export const DOCS_URL = "https://github.com/mcpgen/mcpgen/blob/main/docs";
export const ISSUES_URL = "https://github.com/mcpgen/mcpgen/issues";

/**
 * A doc as a file on this disk: the copy the package ships (docs/, written at pack time),
 * else the repository's own when mcpgen runs from a checkout; else the URL.
 */
export function docsPath(name: string): string {
  for (const dir of ["../../docs/", "../../../docs/"]) {
    const file = fileURLToPath(new URL(dir + name, import.meta.url));
    if (existsSync(file)) return file;
  }
  return `${DOCS_URL}/${name}`;
}

// Global options that take a value: skipped with their value when finding the command.
const VALUE_OPTIONS = new Set(["--cwd", "-c", "--config", "--format"]);

/** The command's name (the first argument that is not an option) and the other arguments. */
function findCommand(argv: string[]): { name?: string; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") break;
    if (arg.startsWith("-")) {
      if (VALUE_OPTIONS.has(arg)) i++;
      continue;
    }
    return { name: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { rest: argv };
}

/** Whether an option appears before any `--`. */
const has = (argv: string[], ...flags: string[]) => {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => flags.includes(a));
};

/** The CLI as a function of argv and streams, so tests run it in-process. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const { name, rest } = findCommand(argv);
  if (has(argv, "-v", "--version")) {
    io.stdout.write(`${generatorVersion()}\n`);
    return ExitCode.Ok;
  }
  const entry = name === undefined ? COMMANDS.generate! : Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.stderr.write(`mcpgen: unknown command '${name}'\n\n${help()}`);
    return ExitCode.UserError;
  }
  const commandName = name ?? "generate";
  if (has(rest, "-h", "--help") && (name === undefined || entry.usage !== undefined)) {
    const usage = name === undefined ? help() : typeof entry.usage === "function" ? await entry.usage() : entry.usage!;
    io.stdout.write(name === undefined ? usage : `${usage}\n${COMMON_HELP}`);
    return ExitCode.Ok;
  }
  try {
    return await entry.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`mcpgen ${commandName}: ${error.message}\nRun \`mcpgen ${commandName} --help\` for its options.\n`);
      return ExitCode.UserError;
    }
    io.stderr.write(`mcpgen: internal error: ${(error as Error).stack ?? error}\nPlease report this at ${ISSUES_URL}\n`);
    return ExitCode.Internal;
  }
}
