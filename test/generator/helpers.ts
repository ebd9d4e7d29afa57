import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { pathToFileURL } from "node:url";
import { main } from "../../generator/src/cli/main.js";
import { createMemoryTransportPair, McpClient } from "../../runtime/src/index.js";
import { cacheFile } from "../../generator/src/write/dev-cache.js";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

/**
 * A scratch project inside the repository (so `@mcpgen/runtime` resolves through the
 * workspace's node_modules), removed when the test ends.
 */
export function scratchProject(t: { after(fn: () => void): void }, manifest: string): string {
  const base = join(repoRoot, "test", ".tmp");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "proj-"));
  writeFileSync(join(dir, "mcp.yaml"), manifest);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ extends: "../../../tsconfig.base.json", compilerOptions: { noEmit: true, rootDir: "src" }, include: ["src"] }),
  );
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
    // What a run noted about the generator's code for this folder (write/dev-cache.ts).
    const cache = cacheFile(dir, "src/generated");
    if (cache) rmSync(cache, { force: true });
  });
  return dir;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams. */
export async function cli(cwd: string, ...argv: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd,
    env: { NO_COLOR: "1" },
  });
  return { code, stdout, stderr };
}

/** Type-checks a project with the workspace's TypeScript; returns tsc's output and whether it passed. */
export async function typecheck(dir: string): Promise<{ ok: boolean; output: string }> {
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  try {
    const r = await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], { cwd: dir });
    return { ok: true, output: r.stdout };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}

export const read = (dir: string, path: string) => readFileSync(join(dir, path), "utf8");
export const write = (dir: string, path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};

/**
 * Imports a generated project's `createServer` (TypeScript, through tsx), serves it in memory
 * and connects our client: the quickest whole check of what generated code lists and answers.
 */
export async function connectGenerated(dir: string): Promise<{ client: McpClient; server: any }> {
  const { createServer } = await import(pathToFileURL(join(dir, "src/generated/server.ts")).href);
  const server = createServer();
  const [a, b] = createMemoryTransportPair();
  await server.connect(a);
  const client = new McpClient({ name: "t", version: "1" });
  await client.connect(b);
  return { client, server };
}
