import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../", import.meta.url));
// --prefer-offline: packages already in npm's cache (typescript 7, @types/node) are not
// fetched again, so a CI machine with a warm cache installs without the network.
const npm = (cwd: string, ...args: string[]) =>
  run("npm", [...args, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd, maxBuffer: 64 * 1024 * 1024 });
const TS59 = join(repoRoot, "node_modules", "typescript", "bin", "tsc");

/** Runs a command expected to fail; its exit code and output. */
async function failing(file: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(file, args, { cwd });
    assert.fail(`${file} ${args.join(" ")} succeeded:\n${r.stdout}${r.stderr}`);
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** Calls one tool over stdio on the built server, as a client app starts it. */
async function callOverStdio(app: string, tool: string, args: Record<string, unknown>) {
  const transport = new StdioClientTransport({ command: process.execPath, args: ["dist/server.js"], cwd: app, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (c: Buffer) => (stderr += c));
  const client = new Client({ name: "first-hour", version: "1.0.0" });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    const result = await client.callTool({ name: tool, arguments: args });
    return { tools: tools.map((x) => x.name), result, stderr: () => stderr };
  } finally {
    await client.close();
  }
}

/**
 * A new user's first hour, from the packed packages, in an empty folder outside the
 * workspace: `npm init -y` (npm 11 writes "type": "commonjs") → install → `mcpgen init` →
 * `npm install` (TypeScript 7, the current `latest`, and @types/node for this Node) →
 * `mcpgen` → tsc 7 and 5.9 → run on stdio and HTTP → rename a tool → regenerate → tsc →
 * `check`.
 */
describe("packaging: the first hour", () => {
  it("packs both packages; npm init -y → init → generate → tsc 7 and 5.9 → stdio and HTTP → rename → check", { timeout: 600_000 }, async (t) => {
    const work = mkdtempSync(join(tmpdir(), "mcpgen-pack-"));
    const children: ChildProcess[] = [];
    t.after(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      rmSync(work, { recursive: true, force: true });
    });

    // The tarballs: sources only as dist, README, LICENSE, docs, and where the project lives.
    const packed: string[] = [];
    for (const pkg of ["runtime", "generator"]) {
      const { stdout } = await npm(join(repoRoot, pkg), "pack", "--json", "--pack-destination", work);
      const info = JSON.parse(stdout)[0];
      packed.push(join(work, info.filename));
      const files: string[] = info.files.map((f: { path: string }) => f.path);
      assert.ok(!files.some((f) => f.startsWith("src/")), `${pkg} ships sources only as dist`);
      for (const f of ["README.md", "LICENSE", "package.json"]) assert.ok(files.includes(f), `${pkg} ships ${f}`);
      const manifest = JSON.parse(readFileSync(join(repoRoot, pkg, "package.json"), "utf8"));
      assert.equal(manifest.license, "MIT");
      assert.match(manifest.repository?.url ?? "", /^git\+https:\/\//);
      assert.match(manifest.homepage ?? "", /^https:\/\//);
      assert.match(manifest.bugs?.url ?? "", /^https:\/\//);
      assert.match(readFileSync(join(repoRoot, pkg, "README.md"), "utf8"), /## Quick start/);
      if (pkg === "generator") {
        for (const f of ["schemas/mcp.schema.json", "templates/handler.ts.hbs", "docs/cli.md", "docs/manifest.md"]) assert.ok(files.includes(f), `mcpgen ships ${f}`);
      }
    }

    // npm init -y, then the packages: the runtime for production, mcpgen for development.
    const app = join(work, "app");
    mkdirSync(app);
    await run("npm", ["init", "-y"], { cwd: app });
    const initial = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
    await npm(app, "install", packed[0]!);
    await npm(app, "install", "--save-dev", packed[1]!);
    const mcpgen = join(app, "node_modules/.bin/mcpgen");

    // --help points at docs the user can open: the copy inside the package.
    const help = await run(mcpgen, ["--help"], { cwd: app });
    const docs = /^Docs: (\S+)$/m.exec(help.stdout)?.[1];
    assert.ok(docs && existsSync(docs) && docs.startsWith(join(app, "node_modules", "mcpgen")), help.stdout);

    const init = await run(mcpgen, ["init"], { cwd: app });
    assert.match(init.stderr, /created {2}mcp\.yaml/);
    const pkg = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
    assert.equal(pkg.type, "module");
    if (initial.type === "commonjs") assert.match(init.stderr, /"type": "module" \(was "commonjs"/);
    const major = process.versions.node.split(".")[0];
    assert.equal(pkg.devDependencies["@types/node"], `^${major}`);
    assert.match(init.stderr, /Next: npm install, then npx mcpgen/);
    await npm(app, "install");
    const tsVersion = JSON.parse(readFileSync(join(app, "node_modules/typescript/package.json"), "utf8")).version;
    assert.match(tsVersion, /^7\./, "init's range installs the current TypeScript, 7");
    assert.equal(JSON.parse(readFileSync(join(app, "node_modules/@types/node/package.json"), "utf8")).version.split(".")[0], major);

    const gen = await run(mcpgen, [], { cwd: app });
    assert.match(gen.stderr, /files written/);
    assert.doesNotMatch(gen.stderr, /warning/);

    // The author's first handler, using a node: module (what failed under TypeScript 7
    // without "types": ["node"]).
    writeFileSync(
      join(app, "src/handlers/tools/add.ts"),
      `import { createHash } from "node:crypto";
import type { AddHandler } from "../../generated/contract.js";

/** Add two integers. */
export const handler: AddHandler = async ({ a, b }) => {
  void createHash("sha256");
  return a + b;
};
`,
    );
    const tsc7 = join(app, "node_modules/.bin/tsc");
    const typecheckBoth = async () => {
      await run(tsc7, ["-p", "tsconfig.json"], { cwd: app });
      await run(process.execPath, [TS59, "-p", "tsconfig.json", "--noEmit"], { cwd: app });
    };
    await typecheckBoth();

    // stdio: the tool answers; the server's one line went to stderr.
    const stdio = await callOverStdio(app, "add", { a: 2, b: 3 });
    assert.deepEqual(stdio.tools, ["add"]);
    assert.deepEqual(stdio.result.structuredContent, { result: 5 });
    assert.match(stdio.stderr(), /^app 0\.1\.0 serving MCP on stdio \(app --help: HTTP and other options\)$/m);

    // The server's own command line: a typo is an error with the usage line, not stdio.
    const typo = await failing(process.execPath, ["dist/server.js", "--htp", "3000"], app);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /Unknown option --htp \(did you mean --http\?\)\nUsage: app \[--stdio \| --http \[port\] \[options\]\]/);
    const badPort = await failing(process.execPath, ["dist/server.js", "--http", "abc"], app);
    assert.equal(badPort.code, 2);

    // HTTP on a free port: the URL is on stderr.
    const server = spawn(process.execPath, ["dist/server.js", "--http", "0"], { cwd: app, stdio: ["ignore", "ignore", "pipe"] });
    children.push(server);
    const url = await new Promise<string>((resolve, reject) => {
      let err = "";
      server.stderr!.on("data", (c: Buffer) => {
        err += c;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(err);
        if (m) resolve(m[1]!);
      });
      server.once("exit", (code) => reject(new Error(`server exited ${code}: ${err}`)));
    });
    const http = new Client({ name: "first-hour-http", version: "1.0.0" });
    await http.connect(new StreamableHTTPClientTransport(new URL(url)));
    assert.deepEqual((await http.callTool({ name: "add", arguments: { a: 4, b: 5 } })).structuredContent, { result: 9 });
    await http.close();
    server.kill("SIGTERM");
    await new Promise((resolve) => (server.exitCode !== null ? resolve(null) : server.once("exit", resolve)));

    // Rename the tool: the code moves with it (ts-morph edits it, with TypeScript 7 installed
    // beside it: ts-morph brings its own compiler).
    const rename = await run(mcpgen, ["rename", "tool", "add", "sum"], { cwd: app });
    assert.match(rename.stderr, /moved {4}src\/handlers\/tools\/add\.ts -> src\/handlers\/tools\/sum\.ts/);
    assert.match(readFileSync(join(app, "mcp.yaml"), "utf8"), /^ {2}sum:$/m);
    assert.match(readFileSync(join(app, "src/handlers/tools/sum.ts"), "utf8"), /export const handler: SumHandler = async \(\{ a, b \}\)/);
    const regen = await run(mcpgen, [], { cwd: app });
    assert.match(regen.stderr, /0 files written/);
    await typecheckBoth();
    const check = await run(mcpgen, ["check"], { cwd: app });
    assert.match(check.stderr, /up to date/);
    const renamed = await callOverStdio(app, "sum", { a: 2, b: 3 });
    assert.deepEqual(renamed.tools, ["sum"]);
    assert.deepEqual(renamed.result.structuredContent, { result: 5 });

    // A rename by hand instead: check fails on the orphan and names the command.
    writeFileSync(join(app, "mcp.yaml"), readFileSync(join(app, "mcp.yaml"), "utf8").replace(/^ {2}sum:$/m, "  total:"));
    const orphan = await failing(mcpgen, ["check"], app);
    assert.equal(orphan.code, 1);
    assert.match(orphan.stdout, /src\/handlers\/tools\/sum\.ts is an orphan.*\n.*npx mcpgen rename tool sum total/);

    // What a production install of the server pulls: its package.json, --omit=dev.
    const prodDir = join(work, "prod");
    mkdirSync(prodDir);
    const prodPkg = { ...pkg, dependencies: { ...pkg.dependencies, "@mcpgen/runtime": `file:${packed[0]}` } };
    delete prodPkg.devDependencies;
    writeFileSync(join(prodDir, "package.json"), JSON.stringify(prodPkg));
    await npm(prodDir, "install", "--omit=dev");
    const prod = await npm(prodDir, "ls", "--all", "--parseable");
    const installed = prod.stdout.split("\n").filter((l) => l.includes("node_modules"));
    assert.deepEqual(installed.map((l) => l.slice(l.lastIndexOf("node_modules/") + 13)), ["@mcpgen/runtime"]);
  });
});
