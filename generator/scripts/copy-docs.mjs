// The published package carries the user docs (the repo's single source is ../docs/), so
// `mcpgen --help` can point at a file on the user's disk that matches the installed version.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
const here = new URL("..", import.meta.url);
const target = new URL("docs/", here);
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const name of readdirSync(new URL("../docs/", here))) {
  // benchmarks.md is about this repository's harness, not about using mcpgen.
  if (name.endsWith(".md") && name !== "benchmarks.md") copyFileSync(new URL(`../docs/${name}`, here), new URL(name, target));
}
