/**
 * `npm run fuzz:manifests -- --census --runs N --seed S`: checks N drawn manifests without
 * shrinking and counts failures by class (the step, plus the first error code or TS error),
 * printing the smallest manifest seen per class. For surveys; the test is the property.
 */
import fc from "fast-check";
import { manifestArb, type JsonObject } from "./manifest-arbitraries.js";
import { checkManifest, manifestText, SurfaceMismatch } from "./manifest-property.js";

const runs = Number(process.env.MCPGEN_FUZZ_RUNS ?? 100);
const seed = Number(process.env.MCPGEN_FUZZ_SEED ?? 14);
const samples = fc.sample(manifestArb({ tools: 6, resources: 4, templates: 3, prompts: 4, types: 4 }), { numRuns: runs, seed });

/** A coarse class for a failure: step plus the first diagnostic code, TS error or list field. */
function classify(error: unknown): string {
  if (!(error instanceof SurfaceMismatch)) return `other: ${String((error as Error)?.message ?? error).split("\n")[0]!.slice(0, 120)}`;
  const m = error.message;
  const code = /error\[([a-z0-9-]+)\]/.exec(m)?.[1] ?? /error (TS\d+)/.exec(m)?.[1] ?? /^\[list\] ([^ ]+)/.exec(m)?.[1] ?? m.split("\n")[0]!.slice(0, 100);
  return `${error.step}: ${code}`;
}

const classes = new Map<string, { count: number; smallest: JsonObject; message: string }>();
let passed = 0;
let discarded = 0;
for (const [i, manifest] of samples.entries()) {
  try {
    await checkManifest(manifest);
    passed++;
  } catch (error) {
    if ((error as Error)?.constructor?.name === "PreconditionFailure") {
      discarded++;
      continue;
    }
    const key = classify(error);
    const entry = classes.get(key);
    if (!entry) classes.set(key, { count: 1, smallest: manifest, message: String((error as Error).message) });
    else {
      entry.count++;
      if (manifestText(manifest).length < manifestText(entry.smallest).length) Object.assign(entry, { smallest: manifest, message: String((error as Error).message) });
    }
  }
  process.stderr.write(`\r${i + 1}/${runs} checked, ${passed} passed`);
}
console.log(`\n${runs} manifests (seed ${seed}): ${passed} passed, ${discarded} refused only for name collisions, ${runs - passed - discarded} failed`);
for (const [key, { count, smallest, message }] of [...classes].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`\n=== ${count} × ${key}\n${message.split("\n").slice(0, 12).join("\n")}\n--- smallest manifest (${manifestText(smallest).length} chars) ---\n${manifestText(smallest).slice(0, 1500)}`);
}
