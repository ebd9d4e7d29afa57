import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
// @ts-expect-error: a plain .mjs script without type declarations
import { LAYERS, checkTree, importsOf } from "../../scripts/check-layers.mjs";

const root = mkdtempSync(join(tmpdir(), "mcpgen-layers-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** Writes a small source tree (path → contents) and returns its directory. */
function tree(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("the layer check", () => {
  it("passes on runtime/src and generator/src as they are", () => {
    const out = execFileSync(process.execPath, ["scripts/check-layers.mjs"], { encoding: "utf8" });
    assert.match(out, /layers ok: runtime\/src, generator\/src/);
  });

  it("finds a planted file cycle, type-only imports included", () => {
    const dir = tree("file-cycle", {
      "server/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
      "server/b.ts": 'import type { A } from "./c.js";\nexport const b = 1 as unknown as A;\n',
      "server/c.ts": 'export type A = typeof import("./a.js");\n',
    });
    const problems: string[] = checkTree(dir, LAYERS["runtime/src"]);
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^file cycle: server\/a\.ts → server\/b\.ts → server\/c\.ts → server\/a\.ts/);
  });

  it("finds a planted folder cycle and an import pointing up the layers", () => {
    const dir = tree("folder-cycle", {
      "protocol/engine.ts": 'import type { Transport } from "../transports/transport.js";\nexport type E = Transport;\n',
      "transports/transport.ts": 'import type { E } from "../protocol/wire.js";\nexport type Transport = E;\n',
      "protocol/wire.ts": "export type E = 1;\n",
    });
    const problems: string[] = checkTree(dir, LAYERS["runtime/src"]);
    assert.ok(problems.includes("protocol/engine.ts imports transports/transport.ts: protocol may not import transports (a later layer)"), problems.join("\n"));
    assert.ok(problems.some((p) => p.startsWith("folder cycle: ")), problems.join("\n"));
  });

  it("refuses imports between siblings of one layer, of entry modules, and of folders with no layer", () => {
    const dir = tree("siblings", {
      "server/s.ts": 'import { c } from "../client/c.js";\nexport const s = c;\n',
      "client/c.ts": "export const c = 1;\n",
      "auth/a.ts": 'import "../index.js";\nimport { x } from "../extras/x.js";\nexport const a = x;\n',
      "extras/x.ts": "export const x = 1;\n",
      "index.ts": 'export * from "./server/s.js";\n',
    });
    const problems: string[] = checkTree(dir, LAYERS["runtime/src"]);
    assert.deepEqual(problems.sort(), [
      "auth/a.ts imports extras/x.ts: extras has no layer; add it to LAYERS in scripts/check-layers.mjs",
      "auth/a.ts imports index.ts: index.ts is an entry module; nothing imports it",
      "server/s.ts imports client/c.ts: server may not import client (a sibling in the same layer)",
    ]);
  });

  it("reads every import form and ignores commented-out ones", () => {
    const source = [
      'import a from "./a.js";',
      'import type { B } from "./b.js";',
      'export * from "./c.js";',
      'import "./d.js";',
      'const e = await import("./e.js");',
      '// import f from "./f.js";',
      '/* import g from "./g.js"; */',
      'import h from "node:fs";',
      'export {\n  i,\n} from "./i.js";',
    ].join("\n");
    assert.deepEqual(importsOf(source), ["./a.js", "./b.js", "./c.js", "./d.js", "./e.js", "./i.js"]);
  });
});
