import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { hasErrors, renderText } from "../diagnostics/index.js";
import { httpFlags, parseCommandArgs, replacePort, type CommonOptions } from "./args.js";
import { describeChanges, fastUpToDate } from "./generate.js";
import { orphanLines } from "./orphans.js";
import { ensureInspector, freePort, inspectorCommand, inspectorUrl, InspectorError, portIsFree, type InspectorTarget } from "./inspector.js";
import { ExitCode, type CliIO } from "./io.js";
import { exited, forward, lines, onTermination, PARENT_WATCHDOG, stopChild } from "./process.js";
import { distEntry, findTsx, readProject, tsxArgs, type Project, type Tsx } from "./project.js";
import { DirWatcher, filesUnder } from "./watch.js";

export const DEV_USAGE = `Usage: mcpgen dev [options] [server options] [-- server arguments]

Generates, starts the server (src/server.ts through tsx) and watches:
  - mcp.yaml, the files it embeds (resources.*.file) and prettier config: regenerate, then
    restart the server when the output changed. A broken manifest prints its errors and
    the server keeps running the last good version until you fix it.
  - your code (the entry's folder, handlers included; not the generated folder):
    restart the server.
Changes are debounced; files mcpgen writes itself do not trigger anything.

Server options are passed through: stdio by default (the server talks on this terminal's
stdin/stdout; mcpgen's own lines go to stderr), \`--http [port]\` (and --host, --path,
--stateless, ...) for Streamable HTTP. \`--http 0\` picks a free port once, so the URL
stays the same across restarts.

Options:
      --inspect         Start the MCP Inspector (installed on first use into mcpgen's
                        cache, with Node 22 when needed) connected to the server: over
                        HTTP with --http, else it starts the server itself over stdio.
                        UI port: $CLIENT_PORT, else 6274 when free, else any.
      --force           Regenerate at start even when the last generation is current

Examples:
  mcpgen dev --http 3000          serve http://127.0.0.1:3000/mcp, reload on every change
  mcpgen dev --http --inspect     and open the Inspector on it
`;

const DEBOUNCE_MS = 80;
const CODE_FILE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs|json)$/;
// Files whose change changes the generated output besides the manifest (see write/state.ts).
const FORMATTER_CONFIGS = new Set([".prettierrc", ".prettierrc.json", ".prettierrc.yaml", ".prettierrc.yml", ".prettierrc.json5", ".prettierrc.js", ".prettierrc.mjs", ".prettierrc.cjs", "prettier.config.js", "prettier.config.mjs", "prettier.config.cjs", ".editorconfig"]);

export async function devCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, passthrough, common } = parseCommandArgs(argv, io, {
    name: "dev",
    options: { inspect: { type: "boolean" }, force: { type: "boolean" } },
    passthrough: true,
  });
  if (!existsSync(common.manifest)) {
    io.stderr.write(`[mcpgen] no manifest at ${common.manifest}. Run this in your server's folder, pass --cwd <dir> or --config <file>, or create one with \`npx mcpgen init\`.\n`);
    return ExitCode.UserError;
  }
  const project = readProject(common.manifest);
  const tsx = findTsx(project.root);
  if (!tsx) {
    io.stderr.write(`[mcpgen] mcpgen dev runs ${project.entry} through tsx, which is not installed here: npm install -D tsx, then run mcpgen dev again.\n`);
    return ExitCode.UserError;
  }
  let serverArgs = passthrough;
  const http = httpFlags(serverArgs);
  if (http.enabled && http.port === 0) serverArgs = replacePort(serverArgs, 0, await freePort());
  return new DevSession(io, common, project, tsx, serverArgs, http.enabled, { inspect: values.inspect === true, force: values.force === true }).run();
}

const sha = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

/** Folders holding code: the entry's top folder and the handlers' (the root when the entry sits there). */
export function codeRoots(p: Project): string[] {
  const top = (path: string) => (path.includes("/") ? resolve(p.root, path.split("/")[0]!) : p.root);
  return [...new Set([top(p.entry), top(p.handlers)])];
}

/** Folders never watched for code: node_modules, dot folders, the generated folder, the build output. */
export function skipDir(p: Project, abs: string, buildDir?: string): boolean {
  if (abs === p.root || p.includes.some((f) => dirname(f) === abs)) return false;
  const name = basename(abs);
  if (name === "node_modules" || name.startsWith(".")) return true;
  return abs === resolve(p.root, p.out) || abs === buildDir;
}

/**
 * What a changed path means to dev: an input of generation (the manifest, a file it embeds,
 * the formatter's config), code (restart), or nothing (mcpgen's own output and the rest).
 */
export function classifyChange(p: Project, abs: string, buildDir?: string): "manifest" | "code" | undefined {
  if (abs === p.manifest || p.includes.includes(abs)) return "manifest";
  if (dirname(abs) === p.root && FORMATTER_CONFIGS.has(basename(abs))) return "manifest";
  if (abs.includes(".mcpgen-tmp-")) return undefined;
  const out = resolve(p.root, p.out);
  if (abs === out || abs.startsWith(out + sep)) return undefined;
  if (!CODE_FILE.test(abs)) return undefined;
  for (const root of codeRoots(p)) {
    if (!abs.startsWith(root + sep)) continue;
    let dir = root;
    let skipped = false;
    for (const part of relative(root, abs).split(sep).slice(0, -1)) {
      dir = join(dir, part);
      if (skipDir(p, dir, buildDir)) skipped = true;
    }
    if (!skipped) return "code";
  }
  return undefined;
}

class DevSession {
  private server?: ChildProcess;
  private serverReady = false;
  private serverUrl?: string;
  private readonly stopping = new WeakSet<ChildProcess>();
  private inspector?: ChildProcess;
  private inspectorStarted = false;
  private watcher?: DirWatcher;
  /** Content hash of every watched file as last seen (or as mcpgen wrote it). */
  private readonly known = new Map<string, string>();
  private readonly pending = new Set<string>();
  private timer?: ReturnType<typeof setTimeout>;
  private busy = false;
  private again = false;
  private shuttingDown = false;
  private finish!: (code: number) => void;

  constructor(
    private readonly io: CliIO,
    private readonly opts: CommonOptions,
    private project: Project,
    private readonly tsx: Tsx,
    private readonly serverArgs: string[],
    private readonly http: boolean,
    private readonly flags: { inspect: boolean; force: boolean },
  ) {}

  private log(s: string): void {
    if (!this.opts.quiet) this.io.stderr.write(`[mcpgen] ${s}\n`);
  }
  private error(s: string): void {
    this.io.stderr.write(`[mcpgen] ${s}\n`);
  }
  private rel(p: string): string {
    return relative(this.project.root, p).split(sep).join("/") || ".";
  }
  /** The Inspector starts the server itself (stdio), so dev runs none of its own. */
  private get inspectorOwnsServer(): boolean {
    return this.flags.inspect && !this.http;
  }

  async run(): Promise<number> {
    const done = new Promise<number>((resolve) => (this.finish = resolve));
    const offSignals = onTermination(() => void this.shutdown());
    try {
      await this.generate(true);
      this.startWatching();
      if (this.inspectorOwnsServer) void this.startInspector();
      else if (existsSync(this.entryAbs)) this.startServer();
      else this.log(`waiting for a valid ${this.rel(this.project.manifest)} to generate ${this.project.entry}…`);
      this.log(`watching ${this.rel(this.project.manifest)} and ${this.codeRoots().map((d) => `${this.rel(d)}/`).join(", ")} (Ctrl+C to stop)`);
      return await done;
    } finally {
      offSignals();
    }
  }

  private get entryAbs(): string {
    return resolve(this.project.root, this.project.entry);
  }

  // ---- generation -----------------------------------------------------------------------

  /** Regenerates; `ok: false` when the manifest has errors (printed), `changed` when any file was written. */
  private async generate(initial: boolean): Promise<{ ok: boolean; changed: boolean }> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      if (initial) {
        const fresh = await fastUpToDate(this.project.manifest, this.flags.force);
        if (fresh !== undefined) {
          this.log(`generated code is up to date (${fresh} files, ${ms()} ms)`);
          return { ok: true, changed: false };
        }
      }
      const { runPipeline } = await import("../pipeline.js");
      const { applyPlan } = await import("../write/plan.js");
      const result = await runPipeline({ cwd: this.opts.cwd, config: this.opts.config });
      if (hasErrors(result.diagnostics) || !result.plan) {
        this.io.stderr.write(renderText(result.diagnostics, result.sources, { color: this.opts.color }) + "\n");
        const running = this.server !== undefined || (this.inspectorOwnsServer && this.inspectorStarted);
        this.error(
          `${result.displayPath} has errors (above): ${running ? "the server keeps running the last good version" : existsSync(this.entryAbs) ? "the last generated code stays" : "nothing to serve yet"}. Fix them and save to regenerate.`,
        );
        return { ok: false, changed: false };
      }
      const warnings = result.diagnostics.filter((d) => d.severity === "warning");
      if (warnings.length > 0 && !this.opts.quiet) this.io.stderr.write(renderText(warnings, result.sources, { color: this.opts.color }) + "\n");
      const plan = result.plan;
      // Noted before writing, so the watcher takes these writes for what they are.
      for (const c of plan.changes) this.known.set(resolve(result.root, c.path), c.kind === "stale" || c.kind === "unused-stub" ? "" : sha(c.after));
      await applyPlan(result.root, plan);
      for (const w of plan.warnings) this.log(`warning: ${w}`);
      for (const o of plan.orphans) for (const line of orphanLines(o)) this.log(line.startsWith(" ") ? line.trim() : `warning: ${line}`);
      for (const line of describeChanges(plan)) if (!line.includes(`${this.project.out}/`)) this.log(line.trim().replace(/\s+/, " "));
      const real = plan.changes.filter((c) => !(c.kind === "generated" && c.recordOnly));
      const written = plan.changes.filter((c) => c.kind !== "stale" && c.kind !== "unused-stub").length;
      (await import("../write/dev-cache.js")).noteGeneratorCode(result.root, result.model!.paths.out);
      this.log(real.length === 0 ? `generated code unchanged (${ms()} ms)` : `${initial ? "generated" : "regenerated"} in ${ms()} ms (${written} file${written === 1 ? "" : "s"} written)`);
      this.refreshProject();
      return { ok: true, changed: real.length > 0 };
    } catch (error) {
      this.error(`generation failed: ${(error as Error).stack ?? error}\nThis is a bug in mcpgen: please report it. Still watching.`);
      return { ok: false, changed: false };
    }
  }

  /** Re-reads the manifest's folders and embedded files, and watches any new ones. */
  private refreshProject(): void {
    this.project = readProject(this.project.manifest);
    this.buildDir = distEntry(this.project)?.outDir;
    if (this.watcher) this.watchTargets();
  }

  // ---- watching -------------------------------------------------------------------------

  private codeRoots(): string[] {
    return codeRoots(this.project);
  }
  private skipDir = (abs: string): boolean => skipDir(this.project, abs, this.buildDir);
  private buildDir?: string;
  private classify(abs: string) {
    return classifyChange(this.project, abs, this.buildDir);
  }

  private startWatching(): void {
    this.buildDir = distEntry(this.project)?.outDir;
    this.watcher = new DirWatcher((abs) => this.onPath(abs), this.skipDir);
    this.watchTargets();
  }

  private watchTargets(): void {
    const w = this.watcher!;
    const p = this.project;
    w.watch(p.root, false);
    for (const f of p.includes) w.watch(dirname(f), false);
    for (const root of this.codeRoots()) w.watch(root, true);
    // What is there now is the baseline: only later changes count.
    const baseline = [p.manifest, ...p.includes, ...this.codeRoots().flatMap((r) => filesUnder(r, this.skipDir))];
    for (const f of baseline) if (!this.known.has(f) && this.classify(f)) this.known.set(f, this.hash(f));
  }

  private hash(abs: string): string {
    try {
      return sha(readFileSync(abs));
    } catch {
      return "";
    }
  }

  private onPath(abs: string): void {
    if (this.shuttingDown || !this.classify(abs)) return;
    this.pending.add(abs);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), DEBOUNCE_MS);
  }

  /** Handles the changes collected so far, one batch at a time. */
  private async flush(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        const paths = [...this.pending];
        this.pending.clear();
        let manifest: string | undefined;
        const code: string[] = [];
        for (const abs of paths) {
          const kind = this.classify(abs);
          const now = this.hash(abs);
          if (!kind || this.known.get(abs) === now) continue;
          this.known.set(abs, now);
          if (kind === "manifest") manifest ??= abs;
          else code.push(abs);
        }
        if (this.shuttingDown || (manifest === undefined && code.length === 0)) continue;
        let restart = code.length > 0;
        if (code.length > 0) this.log(`${this.rel(code[0]!)}${code.length > 1 ? ` and ${code.length - 1} more` : ""} changed`);
        if (manifest !== undefined) {
          this.log(`${this.rel(manifest)} changed: regenerating…`);
          const r = await this.generate(false);
          if (r.ok && r.changed) restart = true;
        }
        if (this.shuttingDown) continue;
        if (this.inspectorOwnsServer) {
          if (restart) this.log("the Inspector runs the server: press Restart (or Connect) in the Inspector to load the change");
        } else if (restart || !this.server) {
          if (existsSync(this.entryAbs)) await this.restartServer();
        }
      } while ((this.again || this.pending.size > 0) && !this.shuttingDown);
    } finally {
      this.busy = false;
    }
  }

  // ---- the server -----------------------------------------------------------------------

  private startServer(): void {
    if (this.shuttingDown) return;
    const started = performance.now();
    const args = [...PARENT_WATCHDOG, ...tsxArgs(this.tsx, this.entryAbs), ...this.serverArgs];
    const child = spawn(process.execPath, args, {
      cwd: this.project.root,
      // stdio: the server talks on dev's own stdin/stdout.
      stdio: [this.http ? "ignore" : "inherit", this.io.stdout === process.stdout ? "inherit" : "pipe", "pipe"],
      env: { ...process.env, ...this.io.env },
    });
    this.server = child;
    this.serverReady = false;
    forward(child.stdout, this.io.stdout);
    lines(child.stderr, (line) => {
      this.io.stderr.write(line + "\n");
      const url = /listening on (https?:\/\/\S+)/.exec(line)?.[1];
      if (url && this.server === child && !this.serverReady) {
        this.serverReady = true;
        this.serverUrl = url;
        this.log(`server ready at ${url} (${Math.round(performance.now() - started)} ms)`);
        if (this.flags.inspect && !this.inspectorStarted) void this.startInspector();
      }
    });
    if (!this.http) this.log(`server started on stdio (pid ${child.pid})`);
    child.once("error", (e) => this.error(`could not start the server: ${e.message}`));
    child.once("exit", (code, signal) => {
      if (this.server === child) this.server = undefined;
      if (this.stopping.has(child) || this.shuttingDown) return;
      if (!this.http && code === 0) {
        // A stdio server ends cleanly when its input does: the client is gone, so is dev.
        this.log("the server's input ended (the client disconnected)");
        void this.shutdown();
        return;
      }
      this.error(`server exited (${signal ?? `code ${code}`}). Fix what it printed above and save: it starts again on the next change.`);
    });
  }

  private async stopServer(): Promise<void> {
    const child = this.server;
    if (!child) return;
    this.stopping.add(child);
    this.server = undefined;
    await stopChild(child, 3000);
  }

  private async restartServer(): Promise<void> {
    if (this.shuttingDown) return;
    if (this.server) this.log("restarting server…");
    else this.log("starting server…");
    await this.stopServer();
    this.startServer();
  }

  // ---- the Inspector --------------------------------------------------------------------

  private async startInspector(): Promise<void> {
    if (this.inspectorStarted) return;
    this.inspectorStarted = true;
    let target: InspectorTarget;
    if (this.http) {
      if (!this.serverUrl) return;
      target = { url: this.serverUrl };
    } else {
      target = { command: process.execPath, args: [...tsxArgs(this.tsx, this.entryAbs), ...this.serverArgs], cwd: this.project.root };
    }
    try {
      const install = await ensureInspector({ ...process.env, ...this.io.env }, (s) => this.log(s));
      if (this.shuttingDown) return;
      const env = { ...process.env, ...this.io.env };
      const port = env.CLIENT_PORT ? Number(env.CLIENT_PORT) : await freePort(6274);
      const sandboxPort = env.MCP_SANDBOX_PORT || env.SERVER_PORT ? undefined : (await portIsFree(6275)) ? undefined : 0;
      const cmd = inspectorCommand(install, target, { port, sandboxPort });
      const child = spawn(cmd.command, [...PARENT_WATCHDOG, ...cmd.args], { cwd: this.project.root, stdio: ["ignore", "pipe", "pipe"], env: { ...env, ...cmd.env } });
      this.inspector = child;
      let output = "";
      let announced = false;
      const collect = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        const url = announced ? undefined : inspectorUrl(output);
        if (url) {
          announced = true;
          this.io.stderr.write(`[mcpgen] Inspector: ${url}\n`);
          if (!this.http) this.log("the Inspector starts the server over stdio when you press Connect");
        }
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      child.once("error", (e) => this.error(`could not start the Inspector: ${e.message}`));
      void exited(child).then((status) => {
        if (this.shuttingDown || this.inspector !== child) return;
        this.inspector = undefined;
        this.error(`the Inspector exited (status ${status}):\n${output.trim().split("\n").slice(-15).join("\n")}\nThe server keeps running; restart mcpgen dev --inspect to try again.`);
      });
    } catch (error) {
      this.error(error instanceof InspectorError ? error.message : `could not start the Inspector: ${(error as Error).stack ?? error}`);
    }
  }

  // ---- shutdown -------------------------------------------------------------------------

  private async shutdown(): Promise<void> {
    if (this.shuttingDown) {
      // A second Ctrl+C: do not wait for anyone.
      this.server?.kill("SIGKILL");
      this.inspector?.kill("SIGKILL");
      return;
    }
    this.shuttingDown = true;
    clearTimeout(this.timer);
    this.watcher?.close();
    this.log("stopping…");
    const children = [this.server, this.inspector].filter((c): c is ChildProcess => c !== undefined);
    await Promise.all(children.map((c) => stopChild(c, 3000)));
    this.log("stopped");
    this.finish(ExitCode.Ok);
  }
}
