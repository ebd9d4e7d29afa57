import { readFileSync } from "node:fs";

let cached: string | undefined;

/** mcpgen's own version (part of the generation state: a new mcpgen regenerates). */
export function generatorVersion(): string {
  cached ??= JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version as string;
  return cached;
}
