import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join, posix, win32 } from "node:path";

/**
 * The official MCP Inspector (@modelcontextprotocol/inspector), installed on demand into
 * mcpgen's cache with the npm client, together with a Node 22 binary from the npm package
 * node-<os>-<arch> when the running Node is too old for it (2.x needs >= 22.19).
 */
export const INSPECTOR_PACKAGE = "@modelcontextprotocol/inspector";
export const INSPECTOR_RANGE = "^2.12.0";
const INSPECTOR_MAJOR = "2.";
const NODE_NEEDED: [number, number] = [22, 19];
const NODE_RANGE = "^22.19.0";

export class InspectorError extends Error {}

/** mcpgen's cache: $MCPGEN_CACHE_DIR, else the platform's user cache folder. */
export function cacheDir(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): string {
  if (env.MCPGEN_CACHE_DIR) return env.MCPGEN_CACHE_DIR;
  const home = (platform === "win32" ? env.USERPROFILE : env.HOME) ?? homedir();
  if (platform === "win32") return win32.join(env.LOCALAPPDATA ?? win32.join(home, "AppData", "Local"), "mcpgen", "Cache");
  if (platform === "darwin") return posix.join(home, "Library", "Caches", "mcpgen");
  return posix.join(env.XDG_CACHE_HOME || posix.join(home, ".cache"), "mcpgen");
}

/** Whether a Node version can run the Inspector itself. */
export function nodeCanRunInspector(version: string = process.versions.node): boolean {
  const [major, minor] = version.split(".").map(Number) as [number, number];
  return major > NODE_NEEDED[0] || (major === NODE_NEEDED[0] && minor >= NODE_NEEDED[1]);
}

/** The npm package that ships a Node binary for this platform (only those we know the layout of). */
export function nodePackage(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  if ((platform === "linux" || platform === "darwin") && (arch === "x64" || arch === "arm64")) return `node-${platform}-${arch}`;
  return undefined;
}

export interface InspectorInstall {
  dir: string;
  /** The Inspector's launcher script. */
  launcher: string;
  /** The node that runs it. */
  node: string;
  version: string;
}

function installed(dir: string, nodePkg: string | undefined): InspectorInstall | undefined {
  const pkgDir = join(dir, "node_modules", ...INSPECTOR_PACKAGE.split("/"));
  let pkg: { version?: string; bin?: Record<string, string> };
  try {
    pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  } catch {
    return undefined;
  }
  if (!pkg.version?.startsWith(INSPECTOR_MAJOR)) return undefined;
  const launcher = join(pkgDir, pkg.bin?.["mcp-inspector"] ?? pkg.bin?.inspector ?? "clients/launcher/build/index.js");
  const node = nodePkg ? join(dir, "node_modules", nodePkg, "bin", "node") : process.execPath;
  if (!existsSync(launcher) || !existsSync(node)) return undefined;
  return { dir, launcher, node, version: pkg.version };
}

/**
 * The Inspector, installing it first when the cache does not have it. `log` gets progress
 * lines. Throws InspectorError saying what to do when it cannot be had.
 */
export async function ensureInspector(env: Record<string, string | undefined>, log: (s: string) => void): Promise<InspectorInstall> {
  const dir = join(cacheDir(env), "inspector");
  const ownNode = nodeCanRunInspector();
  const nodePkg = ownNode ? undefined : nodePackage();
  if (!ownNode && !nodePkg) {
    throw new InspectorError(
      `the MCP Inspector needs Node >= ${NODE_NEEDED.join(".")} (this is ${process.version}), and mcpgen can fetch one only on Linux and macOS: run mcpgen dev under Node 22, or start the Inspector yourself (npx ${INSPECTOR_PACKAGE}).`,
    );
  }
  const have = installed(dir, nodePkg);
  if (have) return have;
  const deps: Record<string, string> = { [INSPECTOR_PACKAGE]: INSPECTOR_RANGE };
  if (nodePkg) deps[nodePkg] = NODE_RANGE;
  const what = Object.entries(deps).map(([n, r]) => `${n}@${r}`);
  log(`installing the MCP Inspector into ${dir} (once; ${what.join(", ")})…`);
  const started = performance.now();
  mkdirSync(dir, { recursive: true });
  // A package.json of its own keeps npm from treating an enclosing folder as the project.
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "mcpgen-inspector-cache", private: true, dependencies: deps }, null, 2) + "\n");
  // npm is a .cmd script on Windows, which only a shell runs (and the shell needs quotes).
  const windows = process.platform === "win32";
  const npm = windows ? "npm.cmd" : "npm";
  const output = await new Promise<{ code: number; text: string }>((resolve) => {
    const child = spawn(npm, ["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", windows ? `"${dir}"` : dir], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      shell: windows,
      env: { ...process.env, ...env },
    });
    let text = "";
    child.stdout.on("data", (c) => (text += c));
    child.stderr.on("data", (c) => (text += c));
    child.once("error", (e) => resolve({ code: 127, text: `${text}${e.message}` }));
    child.once("close", (code) => resolve({ code: code ?? 1, text }));
  });
  const got = output.code === 0 ? installed(dir, nodePkg) : undefined;
  if (!got) {
    const tail = output.text.trim().split("\n").slice(-8).join("\n");
    throw new InspectorError(
      `installing the MCP Inspector failed (npm exit ${output.code}):\n${tail}\nCheck that npm can reach the registry, then run \`npm install --prefix ${dir}\` (or delete ${dir}) and try again.`,
    );
  }
  log(`installed the MCP Inspector ${got.version} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return got;
}

/** What the Inspector connects to: a URL, or a command it starts itself over stdio. */
export type InspectorTarget = { url: string } | { command: string; args: string[]; cwd: string; env?: Record<string, string> };

export interface InspectorCommand {
  command: string;
  args: string[];
  /** Variables to add to the environment. */
  env: Record<string, string>;
}

/**
 * The command line that starts the Inspector's web UI already pointed at the server.
 * `port` is its UI port (CLIENT_PORT); `sandboxPort` its MCP Apps sandbox's (0: any).
 */
export function inspectorCommand(install: Pick<InspectorInstall, "node" | "launcher">, target: InspectorTarget, ports: { port: number; sandboxPort?: number }): InspectorCommand {
  const args = [install.launcher, "--web"];
  if ("url" in target) args.push("--transport", "http", "--server-url", target.url);
  else {
    args.push("--cwd", target.cwd);
    for (const [k, v] of Object.entries(target.env ?? {})) args.push("-e", `${k}=${v}`);
    args.push("--", target.command, ...target.args);
  }
  const env: Record<string, string> = { CLIENT_PORT: String(ports.port) };
  if (ports.sandboxPort !== undefined) env.MCP_SANDBOX_PORT = String(ports.sandboxPort);
  return { command: install.node, args, env };
}

/** The UI's address (with its auth token) from the Inspector's start-up banner. */
export function inspectorUrl(output: string): string | undefined {
  return /up and running at:?\s*(https?:\/\/\S+)/.exec(output)?.[1];
}

/** Whether a TCP port is free on 127.0.0.1. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** `preferred` when free, else a free port the system picks. */
export async function freePort(preferred = 0): Promise<number> {
  if (preferred !== 0 && (await portIsFree(preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
