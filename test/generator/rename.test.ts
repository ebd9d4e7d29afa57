/**
 * Renames keep code, orphans are reported on every generate and check (check fails),
 * untouched stubs of removed items go away, and check's output stays readable.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cli, read, scratchProject, typecheck, write } from "./helpers.js";

const MANIFEST = `version: 1
server: { name: calc, version: 1.0.0 }

tools:
  # Adds; the comment stays through a rename.
  add:   # trailing comment
    description: Add two integers.
    input:
      type: object
      properties: { a: { type: integer }, b: { type: integer } }
      required: [a, b]
    output: { type: integer }

resources:
  greeting:
    uri: greeting://{name}
    mimeType: text/plain
`;

const ADD_CODE = `import type { AddHandler } from "../../generated/contract.js";

// The author's code.
export const handler: AddHandler = async ({ a, b }) => a + b;
`;

describe("rename and orphans", () => {
  it("rename tool moves the code, renames its type, keeps the manifest's comments, and type-checks", async (t) => {
    const dir = scratchProject(t, MANIFEST);
    assert.equal((await cli(dir)).code, 0);
    write(dir, "src/handlers/tools/add.ts", ADD_CODE);

    const r = await cli(dir, "rename", "tool", "add", "sum");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /renamed {2}tools\.add -> tools\.sum in mcp\.yaml/);
    assert.match(r.stderr, /moved {4}src\/handlers\/tools\/add\.ts -> src\/handlers\/tools\/sum\.ts/);
    assert.equal(read(dir, "mcp.yaml"), MANIFEST.replace("  add:   # trailing", "  sum:   # trailing"));
    assert.equal(existsSync(join(dir, "src/handlers/tools/add.ts")), false);
    assert.equal(read(dir, "src/handlers/tools/sum.ts"), ADD_CODE.replaceAll("AddHandler", "SumHandler"));
    const tc = await typecheck(dir);
    assert.ok(tc.ok, tc.output);
    assert.equal((await cli(dir, "check")).code, 0);
  });

  it("a rename by hand leaves an orphan that generate and check name, with the command that fixes it", async (t) => {
    const dir = scratchProject(t, MANIFEST);
    assert.equal((await cli(dir)).code, 0);
    write(dir, "src/handlers/tools/add.ts", ADD_CODE);
    write(dir, "mcp.yaml", MANIFEST.replace("  add:", "  plus:"));

    const gen = await cli(dir);
    assert.equal(gen.code, 0);
    assert.match(gen.stderr, /warning: src\/handlers\/tools\/add\.ts is an orphan: tool 'add' is no longer in mcp\.yaml/);
    assert.match(gen.stderr, /renamed it to 'plus'\? npx mcpgen rename tool add plus/);
    // Every run says it again, the fast path included.
    const again = await cli(dir);
    assert.match(again.stderr, /add\.ts is an orphan/);

    const check = await cli(dir, "check");
    assert.equal(check.code, 1);
    assert.match(check.stdout, /src\/handlers\/tools\/add\.ts is an orphan/);
    assert.match(check.stdout, /npx mcpgen rename tool add plus/);
    assert.match(check.stdout, /not needed\? delete src\/handlers\/tools\/add\.ts/);
    assert.match(check.stderr, /1 orphan handler: rename or delete it/);
    const github = await cli(dir, "check", "--format", "github");
    assert.equal(github.code, 1);
    assert.match(github.stdout, /^::error file=src\/handlers\/tools\/add\.ts,title=mcpgen orphan::tool 'add' is no longer in mcp\.yaml/m);

    // The command finishes the rename: the manifest is kept, the stub for plus replaced.
    const r = await cli(dir, "rename", "tool", "add", "plus");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /kept {5}mcp\.yaml \(it already names tools\.plus\)/);
    assert.equal(read(dir, "src/handlers/tools/plus.ts"), ADD_CODE.replaceAll("AddHandler", "PlusHandler"));
    assert.equal((await cli(dir, "check")).code, 0);
    assert.ok((await typecheck(dir)).ok);
  });

  it("refuses to overwrite an edited handler of the new name, and changes nothing", async (t) => {
    const dir = scratchProject(t, MANIFEST.replace("resources:", "  sum:\n    input: { type: object }\n\nresources:"));
    assert.equal((await cli(dir)).code, 0);
    write(dir, "src/handlers/tools/add.ts", ADD_CODE);
    write(dir, "src/handlers/tools/sum.ts", "// edited\nexport const handler = async () => 1;\n");
    write(dir, "mcp.yaml", read(dir, "mcp.yaml").replace("  sum:\n    input: { type: object }\n", ""));
    const manifest = read(dir, "mcp.yaml");
    const r = await cli(dir, "rename", "tool", "add", "sum");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /src\/handlers\/tools\/sum\.ts exists and has been edited/);
    assert.equal(read(dir, "mcp.yaml"), manifest);
    assert.equal(read(dir, "src/handlers/tools/add.ts"), ADD_CODE);
  });

  it("usage errors: unknown kind, unknown item, both names present", async (t) => {
    const dir = scratchProject(t, MANIFEST);
    assert.equal((await cli(dir, "rename", "widget", "a", "b")).code, 2);
    assert.equal((await cli(dir, "rename", "tool", "add")).code, 2);
    const unknown = await cli(dir, "rename", "tool", "nope", "other");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no tool 'nope' \(nor 'other'\) under tools:\. The tools: add\./);
    const both = await cli(dir, "rename", "resource", "greeting", "greeting2");
    assert.equal(both.code, 0, both.stderr);
    assert.match(read(dir, "mcp.yaml"), /^ {2}greeting2:$/m);
  });

  it("replacing the starter manifest removes its untouched stubs, so tsc passes; an edited one is kept and reported", async (t) => {
    const dir = scratchProject(t, "");
    // init writes its starter manifest only where there is none.
    rmSync(join(dir, "mcp.yaml"));
    assert.equal((await cli(dir, "init")).code, 0);
    assert.equal((await cli(dir)).code, 0);
    assert.ok(existsSync(join(dir, "src/handlers/tools/add.ts")));
    write(dir, "src/handlers/resources/greeting.ts", read(dir, "src/handlers/resources/greeting.ts") + "// edited\n");
    write(dir, "mcp.yaml", "version: 1\nserver: { name: mine, version: 1.0.0 }\ntools:\n  echo:\n    input: { type: object, properties: { text: { type: string } } }\n");
    const r = await cli(dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /removed {2}src\/handlers\/tools\/add\.ts \(an untouched stub/);
    assert.match(r.stderr, /src\/handlers\/resources\/greeting\.ts is an orphan/);
    assert.deepEqual(readdirSync(join(dir, "src/handlers/tools")), ["echo.ts"]);
    rmSync(join(dir, "src/handlers/resources/greeting.ts"));
    const tc = await typecheck(dir);
    assert.ok(tc.ok, tc.output);
    assert.equal((await cli(dir, "check")).code, 0);
  });
});

describe("check output", () => {
  it("one line per file, a short diff for source, a size/hash line for data; --diff full shows everything", async (t) => {
    const dir = scratchProject(t, MANIFEST);
    assert.equal((await cli(dir)).code, 0);
    // Many edits at once: new tools with long schemas make validators.ts change a lot.
    let manifest = MANIFEST;
    for (let i = 0; i < 12; i++) {
      manifest = manifest.replace("resources:", `  t${i}:\n    input: { type: object, properties: { s${i}: { type: string, pattern: "^[a-z]{${i + 1}}$", maxLength: ${i + 5} } }, required: [s${i}] }\n\nresources:`);
    }
    write(dir, "mcp.yaml", manifest);
    const short = await cli(dir, "check");
    assert.equal(short.code, 1);
    const full = await cli(dir, "check", "--diff", "full");
    assert.equal(full.code, 1);
    assert.ok(short.stdout.length * 3 < full.stdout.length, `short ${short.stdout.length} vs full ${full.stdout.length}`);
    assert.ok(short.stdout.length < 12_000, `short output is ${short.stdout.length} chars`);
    for (const line of short.stdout.split("\n")) assert.ok(line.length <= 200, `a line of ${line.length} chars: ${line.slice(0, 80)}`);
    assert.match(short.stdout, /^changed: src\/generated\/server\.ts$/m);
    assert.match(short.stdout, /more diff lines \(mcpgen check --diff full shows them\)/);
    assert.match(short.stdout, /^changed: src\/generated\/mcpgen-state\.json\n {2}data: \d+ -> \d+ bytes, sha256 [0-9a-f]{12} -> [0-9a-f]{12}/m);
    assert.match(short.stdout, /^missing handler file: src\/handlers\/tools\/t0\.ts$/m);
    assert.equal((await cli(dir, "check", "--verbose")).stdout, full.stdout);
    const none = await cli(dir, "check", "--diff", "none");
    assert.ok(none.stdout.split("\n").every((l) => /^(changed|missing|missing handler file|stale)|^$/.test(l) || l.startsWith("  ")), none.stdout);
    assert.equal((await cli(dir, "check", "--diff", "most")).code, 2);
    const github = await cli(dir, "check", "--format", "github");
    assert.match(github.stdout, /^::error file=src\/generated\/server\.ts,title=mcpgen check::generated code is out of date\. Run npx mcpgen and commit the result\.$/m);
  });
});
