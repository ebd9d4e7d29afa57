import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { parseCommandArgs, UsageError } from "./args.js";
import { ExitCode, type CliIO } from "./io.js";
import { childStdio, exited, forward, onTermination, PARENT_WATCHDOG } from "./process.js";
import { chooseLaunch, LaunchError, readProject } from "./project.js";

export const RUN_USAGE = `Usage: mcpgen run [options] [server options] [-- server arguments]

Runs the project's entry once and exits with the server's exit code. Arguments mcpgen does
not know are passed to the server: stdio by default, \`--http [port]\` (and --host, --path,
--stateless, --json, ...) for Streamable HTTP.

Which entry runs: the built one (tsconfig outDir, e.g. dist/server.js) when it exists and
nothing under the source folder is newer; otherwise src/server.ts through tsx.

Options:
      --dist            Always run the built entry (fails when there is none)
      --tsx             Always run the TypeScript entry through tsx

Examples:
  mcpgen run                      serve on stdio
  mcpgen run --http 3000          serve http://127.0.0.1:3000/mcp
  mcpgen run --tsx -- --http 0    any free port, from the sources
`;

export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, passthrough, common } = parseCommandArgs(argv, io, {
    name: "run",
    options: { dist: { type: "boolean" }, tsx: { type: "boolean" } },
    passthrough: true,
  });
  if (values.dist && values.tsx) throw new UsageError("--dist and --tsx exclude each other");
  const err = (s: string) => io.stderr.write(`mcpgen run: ${s}\n`);
  if (!existsSync(common.manifest)) {
    err(`no manifest at ${common.manifest}. Run this in your server's folder, pass --cwd <dir> or --config <file>, or create one with \`npx mcpgen init\`.`);
    return ExitCode.UserError;
  }
  const project = readProject(common.manifest);
  let launch;
  try {
    launch = chooseLaunch(project, { prefer: values.dist ? "dist" : values.tsx ? "tsx" : "auto" });
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    err(error.message);
    return ExitCode.UserError;
  }
  if (!common.quiet) io.stderr.write(`mcpgen run: ${launch.shown} (${launch.reason})\n`);
  const child = spawn(launch.command, [...PARENT_WATCHDOG, ...launch.args, ...passthrough], {
    cwd: project.root,
    stdio: childStdio(io, "inherit"),
    env: { ...process.env, ...io.env },
  });
  forward(child.stdout, io.stdout);
  forward(child.stderr, io.stderr);
  // The server shuts down gracefully on SIGTERM (a terminal's Ctrl+C reaches it directly too).
  const off = onTermination(() => child.kill("SIGTERM"));
  let spawnError: Error | undefined;
  child.once("error", (e) => (spawnError = e));
  try {
    const status = await exited(child, "close");
    if (spawnError) {
      err(`could not start ${launch.command}: ${spawnError.message}`);
      return ExitCode.UserError;
    }
    return status;
  } finally {
    off();
  }
}
