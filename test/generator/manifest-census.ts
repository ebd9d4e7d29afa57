/**
 * `npm run fuzz:manifests -- --census --runs N --seed S`: checks N drawn manifests without
 * shrinking and counts failures by class (the step, plus the first error code or TS error),
 * printing the smallest manifest seen per class. With `--shrink`, each class's first case is
 * then replayed and shrunk (within that class, up to MCPGEN_FUZZ_SHRINK_S seconds per class)
 * and printed as a manifest. For surveys; the test is the property.
 */
import fc from "fast-check";
import { manifestArb, type JsonObject } from "./manifest-arbitraries.js";
import { checkManifest, manifestText, SurfaceMismatch } from "./manifest-property.js";

const runs = Number(process.env.MCPGEN_FUZZ_RUNS ?? 100);
const seed = Number(process.env.MCPGEN_FUZZ_SEED ?? 14);
const arb = manifestArb({ tools: 6, resources: 4, templates: 3, prompts: 4, types: 4 });
const samples = fc.sample(arb, { numRuns: runs, seed });
const shrink = process.env.MCPGEN_FUZZ_SHRINK === "1";
const shrinkSeconds = Number(process.env.MCPGEN_FUZZ_SHRINK_S ?? 90);

/** A coarse class for a failure: step plus the first diagnostic code, TS error or list field. */
function classify(error: unknown): string {
  if (!(error instanceof SurfaceMismatch)) return `other: ${String((error as Error)?.message ?? error).split("\n")[0]!.slice(0, 120)}`;
  const m = error.message;
  // Names and positions vary from case to case; the kind of failure does not.
  const firstLine = m.split("\n")[0]!.replace(/"[^"]*"/g, '"…"').replace(/\(\d+:\d+\)/g, "").replace(/\d+/g, "#").slice(0, 110);
  const code = /error\[([a-z0-9-]+)\]/.exec(m)?.[1] ?? /error (TS\d+)/.exec(m)?.[1] ?? /^\[list\] ([^ ]+)/.exec(m)?.[1] ?? firstLine;
  return `${error.step}: ${code}`;
}

const classes = new Map<string, { count: number; smallest: JsonObject; message: string; first: number }>();
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
    if (!entry) classes.set(key, { count: 1, smallest: manifest, message: String((error as Error).message), first: i });
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

if (shrink) {
  for (const [key, { first }] of classes) {
    // Fails only for this class, so shrinking cannot wander into another one.
    const sameClass = async (m: JsonObject) => {
      try {
        await checkManifest(m);
      } catch (error) {
        if ((error as Error)?.constructor?.name === "PreconditionFailure") throw error;
        if (classify(error) === key) throw error;
      }
    };
    const details = await fc.check(fc.asyncProperty(arb, sameClass), {
      seed,
      path: String(first),
      numRuns: 1,
      plugins: [fc.interruptAfterTimeLimit(shrinkSeconds * 1000)],
    });
    const [m] = (details.counterexample as [JsonObject] | null) ?? [undefined];
    console.log(`\n##### shrunk: ${key} (${details.numShrinks} shrinks${details.interrupted ? ", interrupted" : ""}; replay: --seed ${seed} --path ${details.counterexamplePath})`);
    console.log(String((details.errorInstance as Error | undefined)?.message ?? "").split("\n").slice(0, 14).join("\n"));
    console.log(`--- mcp.yaml ---\n${m ? manifestText(m) : "(not reproduced)"}`);
  }
}
