/**
 * The property of issue 14: for every manifest the contract allows, the generated project
 * compiles, starts, and lists exactly what the manifest says. One check runs one manifest
 * through generate → tsc → stdio server → SDK client; failures are thrown as errors that name
 * the step, so fast-check can shrink them and the report can group them.
 */
import fc from "fast-check";
import YAML from "yaml";
import { expectedSurface, sortedListing } from "./manifest-expected.js";
import type { JsonObject } from "./manifest-arbitraries.js";
import { canonicalJson, generate, makeProject, serveAndList, typecheck } from "./surface-harness.js";

/**
 * The manifest file text for a drawn manifest (YAML, exactly what the generator reads). A key
 * `<<` is quoted: mcpgen reads YAML merge keys, and a plain `<<` would be one.
 */
export function manifestText(manifest: JsonObject): string {
  const doc = new YAML.Document(manifest);
  YAML.visit(doc, {
    Pair(_, pair) {
      if (YAML.isScalar(pair.key) && pair.key.value === "<<") pair.key.type = "QUOTE_DOUBLE";
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** Parses a manifest the way mcpgen's loader does (merge keys on). */
export const parseManifest = (text: string): JsonObject => YAML.parse(text, { merge: true }) as JsonObject;

/** Which step failed, for grouping failures into classes. */
export type Step = "refused" | "generate" | "typecheck" | "start" | "list" | "read";

export class SurfaceMismatch extends Error {
  constructor(readonly step: Step, message: string) {
    super(`[${step}] ${message}`);
  }
}

/** `error[code]` lines of the CLI's text output. */
export const errorCodes = (output: string): string[] => [...output.matchAll(/error\[([a-z0-9-]+)\]/g)].map((m) => m[1]!);

const clip = (text: string, lines = 40) => {
  const all = text.split("\n");
  return all.length <= lines ? text : `${all.slice(0, lines).join("\n")}\n... (${all.length - lines} more lines)`;
};

/** A first difference between two JSON texts, for readable messages. */
function firstDifference(expected: string, actual: string): string {
  const e = expected.split("\n");
  const a = actual.split("\n");
  let i = 0;
  while (i < e.length && i < a.length && e[i] === a[i]) i++;
  const from = Math.max(0, i - 6);
  return `first difference at line ${i + 1}:\n--- expected\n${e.slice(from, i + 6).join("\n")}\n--- listed\n${a.slice(from, i + 6).join("\n")}`;
}

function assertSame(step: Step, what: string, expected: unknown, actual: unknown): void {
  const e = canonicalJson(expected);
  const a = canonicalJson(actual);
  if (e !== a) throw new SurfaceMismatch(step, `${what} differs from the manifest; ${firstDifference(e, a)}`);
}

/**
 * Refusals the manifest contract asks for: names that collide once mapped (`id:` resolves them),
 * and types that reach themselves through references and combinators alone (`ref-cycle`:
 * `X: {anyOf: [{$ref: "#/types/X"}, …]}`), which no TypeScript type can name.
 */
export const SPECIFIED_REFUSALS: ReadonlySet<string> = new Set(["name-collision", "ref-cycle"]);

/**
 * Runs one manifest through the whole chain. Throws `SurfaceMismatch` on a failure, and
 * `fc.pre` discards a manifest refused only for a specified reason (`SPECIFIED_REFUSALS`).
 */
export async function checkManifest(manifest: JsonObject, options: { discardSpecified?: boolean } = {}): Promise<void> {
  const text = manifestText(manifest);
  // The harness's own check: the file says what was drawn (so a printed case is the real one).
  const reread = parseManifest(text);
  if (canonicalJson(reread) !== canonicalJson(manifest)) throw new Error("harness: the YAML text does not round-trip the drawn manifest");
  const project = makeProject(text, "prop-");
  try {
    const gen = await generate(project.dir);
    if (!gen.ok) {
      const codes = errorCodes(gen.output);
      // Inside the property a specified refusal is discarded; a regression test sees it as a refusal.
      if (options.discardSpecified !== false) fc.pre(!(codes.length > 0 && codes.every((c) => SPECIFIED_REFUSALS.has(c))));
      throw new SurfaceMismatch(codes.length > 0 ? "refused" : "generate", clip(gen.output));
    }
    const tsc = typecheck(project.dir);
    if (!tsc.ok) throw new SurfaceMismatch("typecheck", clip(tsc.output));
    const expected = expectedSurface(reread);
    let listed;
    // Compared after the lists, so a list difference is reported first.
    const reads: [string, unknown, unknown][] = [];
    try {
      // Served without code, so checkable: inline resource texts and prompt templates.
      listed = await serveAndList(project.dir, undefined, async (client) => {
        for (const [uri, text] of expected.inlineTexts) {
          const read = await client.readResource({ uri }).catch((e: Error) => ({ error: e.message }));
          reads.push([`resources/read of ${JSON.stringify(uri)}`, [text], "error" in read ? read : read.contents.map((c) => (c as { text?: string }).text)]);
        }
        for (const p of expected.renderedPrompts) {
          const got = await client.getPrompt({ name: p.name, arguments: p.args }).catch((e: Error) => ({ error: e.message }));
          reads.push([`prompts/get of ${JSON.stringify(p.name)}`, p.messages, "error" in got ? got : got.messages]);
        }
      });
    } catch (error) {
      if (error instanceof SurfaceMismatch) throw error;
      throw new SurfaceMismatch("start", clip((error as Error).message));
    }
    const got = sortedListing(listed);
    assertSame("list", "tools/list", expected.tools, got.tools);
    assertSame("list", "resources/list", expected.resources, got.resources);
    assertSame("list", "resources/templates/list", expected.resourceTemplates, got.resourceTemplates);
    assertSame("list", "prompts/list", expected.prompts, got.prompts);
    assertSame("list", "initialize serverInfo", expected.serverInfo, listed.initialize.serverInfo);
    assertSame("list", "initialize instructions", expected.instructions ?? null, listed.initialize.instructions ?? null);
    for (const [what, e, a] of reads) assertSame("read", what, e, a);
  } finally {
    project.remove();
  }
}

/** A failure report a developer can paste: seed, path, the step's error and the manifest. */
export function describeFailure(details: fc.RunDetails<unknown>, command: string): string {
  const [manifest] = (details.counterexample as [JsonObject] | null) ?? [undefined];
  const error = details.errorInstance as Error | undefined;
  return [
    `Manifest property failed after ${details.numRuns} runs and ${details.numShrinks} shrinks${details.interrupted ? " (interrupted by the time limit; the case may not be fully shrunk)" : ""}.`,
    `Replay: ${command} --seed ${details.seed} --path ${details.counterexamplePath}`,
    "",
    String(error?.message ?? error),
    "",
    "--- mcp.yaml (shrunk) ---",
    manifest ? manifestText(manifest) : "(none)",
  ].join("\n");
}
