import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { generatorFingerprint, isCheckout } from "../version.js";
import { STATE_FILE } from "./state.js";

/**
 * A checkout of mcpgen records only its version in a project's generation record (see
 * generatorRecordVersion), so the record stays the same across commits to mcpgen. Whether
 * the last generation was made by exactly this code is kept here instead, outside the
 * tree: node_modules/.cache/mcpgen/, one small file per generated folder.
 */
export function cacheFile(root: string, out: string): string | undefined {
  let dir = resolve(root);
  for (;;) {
    if (existsSync(join(dir, "node_modules"))) {
      const key = createHash("sha256").update(resolve(root, out)).digest("hex").slice(0, 24);
      return join(dir, "node_modules", ".cache", "mcpgen", `${key}.json`);
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The record's `input`, read from disk. */
function recordedInput(root: string, out: string): string | undefined {
  try {
    return JSON.parse(readFileSync(join(root, out, STATE_FILE), "utf8")).input;
  } catch {
    return undefined;
  }
}

/** True unless this is a checkout whose code differs from the one that made the record. */
export function sameGeneratorCode(root: string, out: string): boolean {
  if (!isCheckout()) return true;
  const file = cacheFile(root, out);
  if (!file || !existsSync(file)) return false;
  try {
    const cached = JSON.parse(readFileSync(file, "utf8"));
    return cached.fingerprint === generatorFingerprint() && cached.input === recordedInput(root, out);
  } catch {
    return false;
  }
}

/** After a generation: notes which code made the record now on disk (checkout only). */
export function noteGeneratorCode(root: string, out: string): void {
  if (!isCheckout()) return;
  const file = cacheFile(root, out);
  const input = recordedInput(root, out);
  if (!file || input === undefined) return;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ fingerprint: generatorFingerprint(), input }) + "\n");
  } catch {
    // Only the fast path is lost.
  }
}
