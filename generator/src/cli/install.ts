import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { unifiedDiff } from "../write/diff.js";
import { parseCommandArgs, strings, UsageError } from "./args.js";
import { CLIENTS, mergeEntry, type ServerEntry } from "./clients.js";
import { ExitCode, type CliIO } from "./io.js";
import { JsonShapeError, JsonSyntaxError, setMember } from "./jsonc.js";
import { chooseLaunch, LaunchError, readProject, staleBuild } from "./project.js";

export const INSTALL_USAGE = `Usage: mcpgen install <client> [options]

Adds this project's server to an MCP client's config file, or updates it. Other servers,
unknown keys, comments (VS Code) and the file's indentation are kept; the previous file is
saved as <file>.bak and the new one written atomically. Running it again changes nothing.

Clients:
  claude-desktop   macOS ~/Library/Application Support/Claude/claude_desktop_config.json,
                   Windows %APPDATA%\\Claude\\claude_desktop_config.json,
                   Linux ~/.config/Claude/claude_desktop_config.json
  claude-code      .mcp.json in the working directory
  cursor           .cursor/mcp.json in the working directory (~/.cursor/mcp.json with --global)
  vscode           .vscode/mcp.json in the working directory

The entry runs \`node <dist entry>\` when the project has been built (tsconfig outDir),
else \`node --import <tsx loader> <src entry>\`: absolute paths, so it starts from any
working directory. A build older than the sources (the check \`mcpgen run\` makes) is
refused: rebuild (npm run build) and run install again, or pass --tsx.

Options:
      --name <name>        Server name in the config (default: the manifest's server.name)
  -e, --env KEY=VALUE      Environment variable for the server (repeatable)
      --env-file <file>    Load variables from this file at start (node --env-file)
      --http <url>         Add a remote Streamable HTTP server at <url> instead
      --dist | --tsx       Run the built entry, or the TypeScript entry through tsx
      --global             cursor: the user-wide ~/.cursor/mcp.json
      --config-path <file> Edit this file instead of the client's usual one
      --dry-run            Print the change as a diff; write nothing
`;

const OPTIONS = {
  name: { type: "string" },
  env: { type: "string", short: "e", multiple: true },
  "env-file": { type: "string" },
  http: { type: "string" },
  dist: { type: "boolean" },
  tsx: { type: "boolean" },
  global: { type: "boolean" },
  "config-path": { type: "string" },
  "dry-run": { type: "boolean" },
} as const;

export async function installCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals, common } = parseCommandArgs(argv, io, { name: "install", options: OPTIONS, positionals: 1 });
  const clientId = positionals[0];
  const names = Object.keys(CLIENTS).join(", ");
  if (clientId === undefined) throw new UsageError(`which client? One of ${names}`);
  const client = Object.hasOwn(CLIENTS, clientId) ? CLIENTS[clientId]! : undefined;
  if (!client) throw new UsageError(`unknown client '${clientId}': one of ${names}`);
  const err = (s: string) => io.stderr.write(`mcpgen install: ${s}\n`);
  const say = (s: string) => !common.quiet && io.stderr.write(`${s}\n`);

  const env: Record<string, string> = {};
  for (const pair of strings(values.env)) {
    const eq = pair.indexOf("=");
    const key = eq === -1 ? pair : pair.slice(0, eq);
    if (eq === -1 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new UsageError(`-e takes KEY=VALUE with KEY a variable name (got '${pair}')`);
    env[key] = pair.slice(eq + 1);
  }
  if (values.global && !client.hasGlobal) throw new UsageError(`--global applies to cursor only (${client.title} has one config location)`);
  if (values.dist && values.tsx) throw new UsageError("--dist and --tsx exclude each other");

  let entry: ServerEntry;
  let described: string;
  const httpUrl = values.http as string | undefined;
  if (httpUrl !== undefined) {
    if (Object.keys(env).length > 0 || values["env-file"] || values.dist || values.tsx) {
      throw new UsageError("--http installs a remote server: -e, --env-file, --dist and --tsx apply to a local (stdio) server only");
    }
    let url: URL;
    try {
      url = new URL(httpUrl);
    } catch {
      throw new UsageError(`--http needs a URL such as http://127.0.0.1:3000/mcp (got '${httpUrl}')`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--http needs an http:// or https:// URL (got '${httpUrl}')`);
    entry = { kind: "http", url: url.href };
    described = `remote server at ${url.href}`;
  } else {
    if (!existsSync(common.manifest)) {
      err(`no manifest at ${common.manifest}. Run this in your server's folder (or pass --cwd / --config), or install a running server with --http <url>.`);
      return ExitCode.UserError;
    }
    const project = readProject(common.manifest);
    const stale = values.tsx ? undefined : staleBuild(project);
    if (stale !== undefined) {
      err(`${stale}: the client would run an old build. Rebuild first (npm run build, or npx tsc), then run this again; or pass --tsx to run ${project.entry} through tsx (no build step). Nothing was written.`);
      return ExitCode.UserError;
    }
    let launch;
    try {
      launch = chooseLaunch(project, { prefer: values.dist ? "dist" : values.tsx ? "tsx" : "auto", requireFresh: false });
    } catch (error) {
      if (!(error instanceof LaunchError)) throw error;
      err(error.message);
      return ExitCode.UserError;
    }
    const nodeArgs: string[] = [];
    const envFile = values["env-file"] as string | undefined;
    if (envFile !== undefined) {
      const abs = resolve(common.cwd, envFile);
      if (!existsSync(abs)) {
        err(`--env-file ${envFile}: no such file (${abs}). Create it, or pass variables with -e KEY=VALUE.`);
        return ExitCode.UserError;
      }
      nodeArgs.push(`--env-file=${abs}`);
    }
    entry = { kind: "stdio", command: launch.command, args: [...nodeArgs, ...launch.args], env };
    described = launch.kind === "dist" ? `${launch.shown} (rebuild after changes: npm run build)` : `${launch.shown} (no build step; starts a little slower)`;
    if (launch.kind === "tsx" && launch.args.some((a) => a.includes(`${sep}_npx${sep}`) || a.includes("/_npx/"))) {
      say(`warning: tsx comes from npx's cache, which npm may clear: npm install -D tsx (or mcpgen) in the project, then install again.`);
    }
  }

  const name = (values.name as string | undefined) ?? (existsSync(common.manifest) ? readProject(common.manifest).name : undefined);
  if (!name) {
    err(`no server name: the manifest has no server.name; pass --name <name>.`);
    return ExitCode.UserError;
  }
  const shaped = client.shape(entry);
  if ("unsupported" in shaped) {
    err(String(shaped.unsupported));
    return ExitCode.UserError;
  }

  const configPathOption = values["config-path"] as string | undefined;
  const file = configPathOption !== undefined ? resolve(common.cwd, configPathOption) : client.path({ platform: process.platform, env: io.env, cwd: common.cwd, global: values.global === true });
  const shown = displayPath(file, common.cwd);
  const before = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  let result;
  try {
    result = setMember(before, client.key, name, (current) => mergeEntry(current, shaped, entry.kind), { comments: client.comments });
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      err(`${file}:${error.line}:${error.col}: invalid JSON: ${error.reason}. Nothing was written: fix the file (or move it away to start a new one) and run this again.`);
      return ExitCode.UserError;
    }
    if (error instanceof JsonShapeError) {
      err(`${file}: ${error.message}, so the server cannot be added. Nothing was written: fix the file by hand and run this again.`);
      return ExitCode.UserError;
    }
    throw error;
  }
  const change = { added: `added "${name}" to`, updated: `updated "${name}" in`, unchanged: `unchanged: "${name}" is up to date in` }[result.status];
  if (values["dry-run"]) {
    if (result.status === "unchanged") say(`mcpgen install: dry run: "${name}" in ${shown} is already up to date; nothing to change.`);
    else {
      io.stdout.write(unifiedDiff(shown.replace(/^\/+/, ""), before, result.text));
      say(`mcpgen install: dry run: would have ${result.status === "added" ? `added "${name}" to` : `updated "${name}" in`} ${shown} (${client.title}); nothing written.`);
    }
    return ExitCode.Ok;
  }
  if (result.status !== "unchanged") {
    try {
      writeAtomically(file, result.text, before !== undefined);
    } catch (error) {
      err(`could not write ${file}: ${(error as Error).message}. Check the folder's permissions, or pass --config-path <file>.`);
      return ExitCode.UserError;
    }
  }
  say(`mcpgen install: ${change} ${shown} (${client.title})`);
  say(`  runs     ${described}`);
  if (entry.kind === "stdio") say(`  command  ${[entry.command, ...entry.args].map(quote).join(" ")}`);
  if (result.status !== "unchanged" && before !== undefined) say(`  backup   ${displayPath(file, common.cwd)}.bak`);
  if (result.status !== "unchanged") say(`Next: ${client.next}`);
  return ExitCode.Ok;
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split(sep).join("/") : file;
}

/**
 * Writes next to the file and renames over it, so a reader never sees half a file; the
 * previous file is kept as <file>.bak. A symlinked config is written through the link.
 */
function writeAtomically(file: string, text: string, existed: boolean): void {
  const target = existed && lstatSync(file).isSymbolicLink() ? realpathSync(file) : file;
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.mcpgen-tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    if (existed) {
      chmodSync(tmp, statSync(target).mode & 0o777);
      copyFileSync(target, `${file}.bak`);
    }
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
