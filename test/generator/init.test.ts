/**
 * `mcpgen init` whatever package.json `npm init` wrote: an empty project switches to ESM
 * (and says so), a project with CommonJS code keeps its "type" and is told the one
 * change, and the result type-checks once that change is made.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { nodeMajor } from "../../generator/src/cli/init.js";
import { cli, read, scratchProject, typecheck, write } from "./helpers.js";

const run = promisify(execFile);

/** What `npm init -y` writes with npm 11. */
const NPM_INIT = { name: "app", version: "1.0.0", description: "", main: "index.js", scripts: { test: 'echo "Error: no test specified" && exit 1' }, keywords: [], author: "", license: "ISC", type: "commonjs" };

/** A scratch project holding only what `npm init -y` leaves (plus `extra` files). */
function npmInitProject(t: Parameters<typeof scratchProject>[0], extra: Record<string, string> = {}): string {
  const dir = scratchProject(t, "");
  rmSync(join(dir, "mcp.yaml"));
  rmSync(join(dir, "tsconfig.json"));
  write(dir, "package.json", JSON.stringify(NPM_INIT, null, 2) + "\n");
  for (const [path, text] of Object.entries(extra)) write(dir, path, text);
  return dir;
}

describe("init", () => {
  it("after `npm init -y`: switches the empty project to ESM, says so, pins @types/node, and the result type-checks", async (t) => {
    const dir = npmInitProject(t);
    const r = await cli(dir, "init");
    assert.equal(r.code, 0);
    assert.match(r.stderr, /"type": "module" \(was "commonjs": the generated code is ES modules, and nothing here was CommonJS yet\)/);
    const pkg = JSON.parse(read(dir, "package.json"));
    assert.equal(pkg.type, "module");
    assert.equal(pkg.main, "index.js", "what npm init wrote is kept");
    assert.equal(pkg.devDependencies["@types/node"], `^${process.versions.node.split(".")[0]}`);
    assert.equal(pkg.devDependencies.typescript, "^5.9.3 || ^7.0.2");
    assert.match(pkg.dependencies["@mcpgen/runtime"], /^\^\d/);
    assert.deepEqual(JSON.parse(read(dir, "tsconfig.json")).compilerOptions.types, ["node"]);
    assert.match(r.stderr, /Next: npm install, then npx mcpgen/);

    const gen = await cli(dir);
    assert.equal(gen.code, 0, gen.stderr);
    assert.doesNotMatch(gen.stderr, /ES modules/);
    const tc = await typecheck(dir);
    assert.ok(tc.ok, tc.output);
  });

  it("with CommonJS code: keeps the type, names the one change; after it, tsc passes and the CommonJS code still runs", async (t) => {
    const dir = npmInitProject(t, { "index.js": "module.exports = { answer: 42 };\nif (require.main === module) console.log(module.exports.answer);\n" });
    const r = await cli(dir, "init");
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(read(dir, "package.json")).type, "commonjs");
    assert.match(r.stderr, /warning: package\.json says "type": "commonjs", but the code mcpgen generates is ES modules: tsc stops at src\/server\.ts's top-level await \(TS1309\)\. The one change: set "type": "module" in package\.json\. Your index\.js would then be ES modules too: rename CommonJS ones to \.cjs/);
    const gen = await cli(dir);
    assert.equal(gen.code, 0);
    assert.match(gen.stderr, /warning: package\.json says "type": "commonjs"/);
    const before = await typecheck(dir);
    assert.equal(before.ok, false);
    assert.match(before.output, /TS1309/);

    // The change init named.
    write(dir, "package.json", JSON.stringify({ ...JSON.parse(read(dir, "package.json")), type: "module", main: "index.cjs" }, null, 2));
    renameSync(join(dir, "index.js"), join(dir, "index.cjs"));
    const after = await typecheck(dir);
    assert.ok(after.ok, after.output);
    const cjs = await run(process.execPath, ["index.cjs"], { cwd: dir });
    assert.equal(cjs.stdout, "42\n");
  });

  it("without a package.json: writes one for ESM and the running Node's major", async (t) => {
    const dir = npmInitProject(t);
    rmSync(join(dir, "package.json"));
    const r = await cli(dir, "init");
    assert.equal(r.code, 0);
    const pkg = JSON.parse(read(dir, "package.json"));
    const major = process.versions.node.split(".")[0];
    assert.equal(pkg.type, "module");
    assert.deepEqual(pkg.engines, { node: `>=${major}` });
    assert.equal(pkg.devDependencies["@types/node"], `^${major}`);
  });

  it("@types/node follows engines, and a newer one installed is pointed out", async (t) => {
    assert.equal(nodeMajor({ engines: { node: ">=22.13.0" } }), 22);
    assert.equal(nodeMajor({ engines: { node: "^20.19 || >=22" } }), 20);
    assert.equal(nodeMajor({ engines: { node: "v24.x" } }), 24);
    const dir = npmInitProject(t);
    write(dir, "package.json", JSON.stringify({ ...NPM_INIT, engines: { node: ">=22" }, devDependencies: { "@types/node": "^26.6.11" } }));
    const r = await cli(dir, "init");
    assert.match(r.stderr, /@types\/node \^26\.6\.11 describes Node 26, but this project runs on Node 22 .*npm install -D @types\/node@22/);
    assert.equal(JSON.parse(read(dir, "package.json")).devDependencies["@types/node"], "^26.6.11", "never changed");
  });
});
