import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const npm = (cwd: string, ...args: string[]) =>
  run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, maxBuffer: 64 * 1024 * 1024 });

/**
 * A new user's workflow from the packed packages: install the tarballs into an empty
 * folder (outside the workspace), `mcpgen init`, `mcpgen`, compile, run, connect.
 */
describe("packaging", () => {
  it("packs both packages and a fresh project generates, compiles and serves", { timeout: 240_000 }, async (t) => {
    const work = mkdtempSync(join(tmpdir(), "mcpgen-pack-"));
    t.after(() => rmSync(work, { recursive: true, force: true }));
    const packed: string[] = [];
    for (const pkg of ["runtime", "generator"]) {
      const { stdout } = await npm(join(repoRoot, pkg), "pack", "--json", "--pack-destination", work);
      const info = JSON.parse(stdout)[0];
      packed.push(join(work, info.filename));
      const files: string[] = info.files.map((f: { path: string }) => f.path);
      assert.ok(!files.some((f) => f.startsWith("src/")), `${pkg} ships sources only as dist`);
      if (pkg === "generator") {
        assert.ok(files.includes("schemas/mcp.schema.json"));
        assert.ok(files.includes("templates/handler.ts.hbs"));
      }
    }
    const app = join(work, "app");
    await run("mkdir", [app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
    // Production dependency: the runtime only. The generator and its toolchain are dev-only.
    await npm(app, "install", packed[0]!);
    await npm(app, "install", "--save-dev", packed[1]!, "typescript@5.9.3", "@types/node@20");

    const init = await run(join(app, "node_modules/.bin/mcpgen"), ["init"], { cwd: app });
    assert.match(init.stderr, /created {2}mcp\.yaml/);
    const gen = await run(join(app, "node_modules/.bin/mcpgen"), [], { cwd: app });
    assert.match(gen.stderr, /files written/);
    await run(join(app, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], { cwd: app });

    // What a production install of the generated server pulls: its package.json, --omit=dev.
    const prodDir = join(work, "prod");
    await run("mkdir", [prodDir]);
    const appPkg = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
    appPkg.dependencies["@mcpgen/runtime"] = `file:${packed[0]}`;
    delete appPkg.devDependencies;
    writeFileSync(join(prodDir, "package.json"), JSON.stringify(appPkg));
    await npm(prodDir, "install", "--omit=dev");
    const prod = await npm(prodDir, "ls", "--all", "--parseable");
    const installed = prod.stdout.split("\n").filter((l) => l.includes("node_modules"));
    assert.deepEqual(installed.map((l) => l.slice(l.lastIndexOf("node_modules/") + 13)), ["@mcpgen/runtime"]);
    const pkg = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
    assert.equal(pkg.type, "module");

    const transport = new StdioClientTransport({ command: process.execPath, args: ["dist/server.js"], cwd: app, stderr: "pipe" });
    const client = new Client({ name: "pack-test", version: "1.0.0" });
    await client.connect(transport);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((x) => x.name), ["add"]);
    const r = await client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
    assert.equal(r.isError, true);
    assert.match((r.content as { text: string }[])[0]!.text, /not implemented/);
    await client.close();
  });
});
