import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

let cachedVersion: string | undefined;
let cachedFingerprint: string | undefined;

/** mcpgen's own version. */
export function generatorVersion(): string {
  cachedVersion ??= JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version as string;
  return cachedVersion;
}

/** Whether mcpgen runs from a checkout of its repository (its sources beside the build). */
export function isCheckout(): boolean {
  return existsSync(join(fileURLToPath(new URL("..", import.meta.url)), "src"));
}

/**
 * The version plus a hash of the generator's own code and templates, so any change to
 * mcpgen itself (a release, or a local edit while developing it) makes the next run
 * regenerate instead of trusting the old record.
 */
export function generatorFingerprint(): string {
  if (!cachedFingerprint) {
    const hash = createHash("sha256").update(generatorVersion());
    // The sources when present (a checkout: the same whether this runs from dist/ or src/,
    // and free of stale build output), else the published build.
    const pkg = fileURLToPath(new URL("..", import.meta.url));
    const code = isCheckout() ? join(pkg, "src") : join(pkg, "dist");
    for (const dir of [code, join(pkg, "templates")]) hashTree(dir, hash);
    cachedFingerprint = hash.digest("hex").slice(0, 16);
  }
  return cachedFingerprint;
}

/**
 * What the committed generation record names as the generator: the fingerprint of a
 * published mcpgen (the same on every machine for one release), but only the version of
 * a checkout. A checkout's code changes with every commit to mcpgen, and a record that
 * changed with it would leave every example's record modified after any run; the
 * checkout's full fingerprint is kept outside the tree instead (write/dev-cache.ts).
 */
export function generatorRecordVersion(): string {
  return isCheckout() ? `${generatorVersion()}+checkout` : generatorFingerprint();
}

function hashTree(dir: string, hash: ReturnType<typeof createHash>): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) hashTree(p, hash);
    else if (/\.(js|ts|hbs)$/.test(e.name) && !e.name.endsWith(".d.ts")) hash.update(e.name).update(readFileSync(p));
  }
}
