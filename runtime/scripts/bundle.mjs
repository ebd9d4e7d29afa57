// Second step of the runtime's build: tsc has written dist/ (JavaScript and .d.ts, one
// file per source file); this replaces the JavaScript with one bundle per entry point
// (`.`, `./core`, `./http`, `./validation`), sharing code through chunks, so loading
// the runtime reads a handful of files instead of sixty. Node's ESM loader spends
// about half a millisecond per file, which was most of a generated server's cold start.
// The .d.ts files stay as tsc wrote them. Dynamic imports (the HTTP entry of `runMain`,
// ajv, jose) stay dynamic: a stdio server never loads the HTTP code.
import { build } from "esbuild";
import { readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const out = join(dist, "..", ".bundle-tmp");
const ENTRIES = ["index.js", "core.js", "http.js", "server/validation-runtime.js"];

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: ENTRIES.map((e) => join(dist, e)),
  outbase: dist,
  outdir: out,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Optional peers, loaded by name when used.
  external: ["ajv", "ajv/*", "jose"],
  logLevel: "warning",
  legalComments: "none",
});

/** Every file under a folder, as paths relative to it. */
function files(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p, base) : [relative(base, p)];
  });
}

// tsc's per-file JavaScript goes; the bundles take the entry points' places.
for (const f of files(dist)) if (f.endsWith(".js")) rmSync(join(dist, f));
for (const f of files(out)) renameSync(join(out, f), join(dist, f));
rmSync(out, { recursive: true, force: true });
