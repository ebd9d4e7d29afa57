/**
 * generate → type-check → serve → list, for tests that hold a manifest against what a real
 * client sees: the manifest property test, the real-surface fixtures and the focused
 * regression tests. Every step is the real one: the CLI's `generate` in-process, the
 * TypeScript compiler on the fresh project, the entry point started as a stdio process, and
 * the official SDK client listing it. Lists are compared as they came over the wire (the raw
 * JSON-RPC results), so nothing the SDK's result parsing drops or adds hides a difference.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import ts from "typescript";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { cli, repoRoot } from "./helpers.js";

/** A fresh project folder under test/.tmp (so `@mcpgen/runtime` resolves through the repo's node_modules). */
export function makeProject(manifestText: string, prefix = "surface-"): { dir: string; remove(): void } {
  const base = join(repoRoot, "test", ".tmp");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, prefix));
  writeFileSync(join(dir, "mcp.yaml"), manifestText);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ extends: "../../../tsconfig.base.json", compilerOptions: { noEmit: true, rootDir: "src" }, include: ["src"] }),
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `mcpgen generate --cwd dir`, in-process; the CLI's output for failure messages. */
export async function generate(dir: string): Promise<{ ok: boolean; output: string }> {
  const r = await cli(dir, "generate", "--cwd", dir, "--no-color");
  return { ok: r.code === 0, output: `${r.stdout}${r.stderr}` };
}

/**
 * Source files TypeScript has parsed, kept across projects: the runtime's declarations,
 * @types/node and the lib files are the same for every project, and parsing them is most of
 * a cold `tsc` run. Project files are never cached (their paths are fresh folders anyway).
 */
const sharedSourceFiles = new Map<string, ts.SourceFile>();
const isShared = (file: string) => file.includes("/node_modules/") || file.includes("/typescript/lib/");

/**
 * Type-checks a project with the TypeScript compiler (the same checker and options `tsc -p`
 * uses, read from the project's tsconfig.json), sharing parsed library files between calls.
 */
export function typecheck(dir: string): { ok: boolean; output: string } {
  const configPath = join(dir, "tsconfig.json");
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!config) return { ok: false, output: "tsconfig.json could not be read" };
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!isShared(fileName)) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    let sf = sharedSourceFiles.get(key);
    if (!sf) {
      sf = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (sf) sharedSourceFiles.set(key, sf);
    }
    return sf;
  };
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  const diagnostics = [...config.errors, ...ts.getPreEmitDiagnostics(program)];
  const output = ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => dir,
    getNewLine: () => "\n",
  });
  return { ok: diagnostics.length === 0, output };
}

/** Every raw result of a list method, pages followed. */
export interface ListedSurface {
  tools: unknown[];
  resources: unknown[];
  resourceTemplates: unknown[];
  prompts: unknown[];
  /** The initialize result as sent (serverInfo, instructions, protocolVersion). */
  initialize: Record<string, unknown>;
}

/**
 * Starts `node --import tsx <entry>` in `dir`, connects the official SDK client over stdio,
 * lists everything, and stops the server whatever happens. Results are the JSON-RPC
 * responses' `result` members exactly as parsed from the wire.
 */
export async function serveAndList(dir: string, entry = "src/server.ts", andThen?: (client: Client) => Promise<void>): Promise<ListedSurface> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--import", "tsx", entry],
    cwd: dir,
    env: getDefaultEnvironment(),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return listWith(transport, () => stderr, `${dir} ${entry}`, andThen);
}

/** The same listing against any stdio command (used to snapshot published servers). */
export async function listCommand(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<ListedSurface> {
  const transport = new StdioClientTransport({ command, args, cwd, env: { ...getDefaultEnvironment(), ...env }, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return listWith(transport, () => stderr, `${command} ${args.join(" ")}`);
}

async function listWith(transport: StdioClientTransport, stderr: () => string, what: string, andThen?: (client: Client) => Promise<void>): Promise<ListedSurface> {
  const client = new Client({ name: "surface-test", version: "1.0.0" }, { capabilities: {} });
  // Record every response as its bytes arrived, before any schema parsing (the SDK's
  // message schemas rebuild objects, which would turn a `"__proto__"` key into a prototype).
  const raw = new Map<string | number, unknown>();
  let pending = "";
  // Chunks may split a multi-byte character; the decoder carries the partial bytes over.
  const decoder = new StringDecoder("utf8");
  const origStart = transport.start.bind(transport);
  transport.start = async () => {
    await origStart();
    const stdout = (transport as unknown as { _process?: { stdout?: NodeJS.ReadableStream } })._process?.stdout;
    if (!stdout) throw new Error("the SDK's stdio transport no longer exposes the child's stdout");
    stdout.on("data", (chunk: Buffer) => {
      pending += decoder.write(chunk);
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        try {
          const m = JSON.parse(line) as { id?: string | number; result?: unknown };
          if (m.id !== undefined && "result" in m) raw.set(m.id, m.result);
        } catch {
          // not JSON: the SDK reports it
        }
      }
    });
  };
  try {
    try {
      await client.connect(transport);
    } catch (error) {
      throw new Error(`could not start ${what}: ${(error as Error).message}\n--- server stderr ---\n${stderr()}`);
    }
    const caps = client.getServerCapabilities() ?? {};
    const initialize = { ...(firstResult(raw) as Record<string, unknown>) };
    const all = async (method: string, key: string): Promise<unknown[]> => {
      const items: unknown[] = [];
      let cursor: string | undefined;
      do {
        const before = new Set(raw.keys());
        // A permissive result schema: what counts is the raw result recorded above.
        await client.request({ method, params: cursor ? { cursor } : {} } as never, passthrough as never);
        const id = [...raw.keys()].find((k) => !before.has(k));
        const result = raw.get(id!) as Record<string, unknown>;
        items.push(...((result[key] as unknown[]) ?? []));
        cursor = result.nextCursor as string | undefined;
      } while (cursor !== undefined);
      return items;
    };
    const listed = {
      initialize,
      tools: caps.tools ? await all("tools/list", "tools") : [],
      resources: caps.resources ? await all("resources/list", "resources") : [],
      resourceTemplates: caps.resources ? await all("resources/templates/list", "resourceTemplates") : [],
      prompts: caps.prompts ? await all("prompts/list", "prompts") : [],
    };
    await andThen?.(client);
    return listed;
  } catch (error) {
    if ((error as Error).message.startsWith("could not start") || (error as { step?: string }).step) throw error;
    throw new Error(`${(error as Error).message}\n--- server stderr ---\n${stderr()}`);
  } finally {
    await client.close().catch(() => {});
  }
}

const firstResult = (raw: Map<string | number, unknown>) => raw.values().next().value;

/** A zod-compatible schema object that accepts anything (the SDK only calls `safeParse`/`parse`). */
const passthrough = {
  parse: (v: unknown) => v,
  safeParse: (v: unknown) => ({ success: true, data: v }),
  "~standard": { version: 1, vendor: "mcpgen-test", validate: (v: unknown) => ({ value: v }) },
  _def: {},
};

/**
 * JSON text with every object's keys sorted: equal text means deep-equal JSON, `__proto__`
 * own keys included (JSON.stringify writes own enumerable keys, whatever their name).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(value).sort()) {
      Object.defineProperty(out, k, { value: sortKeys((value as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
