import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { cli, repoRoot, scratchProject, write } from "./helpers.js";

/** `node … mcpgen <args>` from the sources, as a real process (what the bin does, through tsx). */
const MAIN = pathToFileURL(join(repoRoot, "generator/src/cli/main.ts")).href;
const CLI = [
  "--import",
  "tsx",
  "-e",
  `import { main } from ${JSON.stringify(MAIN)}; process.exitCode = await main(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });`,
  "--",
];

const MANIFEST = `version: 1
server: { name: runner, version: 1.0.0 }
tools:
  add:
    input:
      type: object
      properties: { a: { type: integer }, b: { type: integer } }
      required: [a, b]
    output: { type: integer }
`;

async function project(t: { after(fn: () => void): void }): Promise<string> {
  const dir = scratchProject(t, MANIFEST);
  assert.equal((await cli(dir)).code, 0);
  write(dir, "src/handlers/tools/add.ts", `import type { AddHandler } from "../../generated/contract.js";\nexport const handler: AddHandler = async ({ a, b }) => a + b;\n`);
  return dir;
}

describe("mcpgen run", () => {
  it("serves stdio through tsx: the client talks to the server through mcpgen's stdin/stdout", { timeout: 60_000 }, async (t) => {
    const dir = await project(t);
    const transport = new StdioClientTransport({ command: process.execPath, args: [...CLI, "run"], cwd: dir, stderr: "pipe" });
    let stderr = "";
    transport.stderr?.on("data", (c: Buffer) => (stderr += c));
    const client = new Client({ name: "run-test", version: "1.0.0" });
    t.after(() => client.close());
    await client.connect(transport);
    const r = await client.callTool({ name: "add", arguments: { a: 20, b: 22 } });
    assert.deepEqual(r.structuredContent, { result: 42 });
    assert.match(stderr, /mcpgen run: src\/server\.ts through tsx \(no build output configured\)/);
  });

  it("passes --http through, and ends with the server's exit status on SIGTERM", { timeout: 60_000 }, async (t) => {
    const dir = await project(t);
    const child = spawn(process.execPath, [...CLI, "run", "--http", "0", "--json"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    t.after(() => child.kill("SIGKILL"));
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let stderr = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (c: Buffer) => {
        stderr += c;
        const m = /listening on (http:\/\/\S+) \(sessions, JSON\)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      void exit.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const client = new Client({ name: "run-http", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    assert.deepEqual((await client.callTool({ name: "add", arguments: { a: 1, b: 2 } })).structuredContent, { result: 3 });
    await client.close();
    child.kill("SIGTERM");
    assert.equal(await exit, 0);
  });

  it("exits with the entry's exit code", async (t) => {
    const dir = await project(t);
    write(dir, "src/server.ts", `process.stderr.write("bye\\n");\nprocess.exit(3);\n`);
    const r = await cli(dir, "run");
    assert.equal(r.code, 3);
    assert.match(r.stderr, /bye/);
  });

  it("runs the built entry when it is newer than the sources, else the sources through tsx", async (t) => {
    const dir = await project(t);
    write(dir, "tsconfig.json", JSON.stringify({ compilerOptions: { outDir: "build", rootDir: "src" } }));
    write(dir, "src/server.ts", `console.log("from source", process.argv.slice(2).join(" "));\n`);
    // Not built yet: tsx, and --dist says what to do.
    let r = await cli(dir, "run", "--", "--x");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /from source --x/);
    assert.match(r.stderr, /src\/server\.ts through tsx \(build\/server\.js is not built\)/);
    const dist = await cli(dir, "run", "--dist");
    assert.equal(dist.code, 2);
    assert.match(dist.stderr, /build\/server\.js does not exist: build first \(npx tsc, or npm run build\)/);

    mkdirSync(join(dir, "build"));
    write(dir, "build/server.js", `console.log("from build", process.argv.slice(2).join(" "));\n`);
    const soon = new Date(Date.now() + 10_000);
    utimesSync(join(dir, "build/server.js"), soon, soon);
    r = await cli(dir, "run", "--http", "1234");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /from build --http 1234/);
    assert.match(r.stderr, /mcpgen run: build\/server\.js \(built after the last source change\)/);

    // A source file changed after the build: back to tsx (or --dist to insist).
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, "build/server.js"), past, past);
    write(dir, "src/handlers/tools/add.ts", `import type { AddHandler } from "../../generated/contract.js";\nexport const handler: AddHandler = async ({ a }) => a;\n`);
    r = await cli(dir, "run");
    assert.match(r.stdout, /from source/);
    assert.match(r.stderr, /build\/server\.js is older than src\/handlers\/tools\/add\.ts/);
    r = await cli(dir, "run", "--dist");
    assert.match(r.stdout, /from build/);
    r = await cli(dir, "run", "--tsx", "--dist");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--dist and --tsx exclude each other/);
  });

  it("says what to do without a manifest or an entry", async (t) => {
    const dir = scratchProject(t, MANIFEST);
    const r = await cli(dir, "run");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /src\/server\.ts does not exist: run `npx mcpgen` to generate it/);
    const none = await cli(join(dir, "elsewhere"), "run");
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no manifest at .*mcp\.yaml\. .*`npx mcpgen init`/);
  });
});
