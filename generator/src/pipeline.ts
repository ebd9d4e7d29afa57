import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import type { Diagnostic } from "./diagnostics/index.js";
import { emitGenerated } from "./emit/index.js";
import { formatFiles } from "./format.js";
import { readManifest } from "./frontend.js";
import { buildModel, type Model } from "./model/build.js";
import { planGeneration, type Plan } from "./write/plan.js";
import { handlerFiles } from "./emit/layout.js";
import { STATE_FILE, inputHash, makeState } from "./write/state.js";
import { generatorRecordVersion } from "./version.js";

export interface PipelineInput {
  /** Working directory (the CLI's --cwd). */
  cwd: string;
  /** Manifest path relative to cwd (the CLI's --config); default mcp.yaml. */
  config?: string;
}

export interface PipelineResult {
  /** Manifest path as shown to the user (relative to cwd, POSIX). */
  displayPath: string;
  /** The folder generated paths are relative to: the manifest's folder. */
  root: string;
  /** Every source text read, for code frames. */
  sources: Map<string, string>;
  diagnostics: Diagnostic[];
  model?: Model;
  plan?: Plan;
}

/** load → validate → model → emit → format → plan. Nothing is written here. */
export async function runPipeline(input: PipelineInput, options: { validateOnly?: boolean } = {}): Promise<PipelineResult> {
  const abs = resolve(input.cwd, input.config ?? "mcp.yaml");
  const displayPath = relative(input.cwd, abs).split("\\").join("/") || "mcp.yaml";
  const root = dirname(abs);
  const sources = new Map<string, string>();
  if (!existsSync(abs)) {
    return {
      displayPath, root, sources,
      diagnostics: [{
        code: "manifest-missing", severity: "error", file: displayPath, line: 1, col: 1,
        message: `No manifest at ${displayPath}`,
        hint: "Run `npx mcpgen init` to create one, or pass --config <path>.",
      }],
    };
  }
  const text = await readFile(abs, "utf8");
  sources.set(displayPath, text);
  const { manifest, diagnostics } = readManifest(displayPath, text, { baseDir: root });
  if (!manifest || options.validateOnly) return { displayPath, root, sources, diagnostics, model: undefined };
  const model = buildModel(manifest, abs);
  const generated = await emitGenerated(model);
  if (model.format) await formatFiles(root, generated);
  const authorFiles = [model.paths.entry, ...(model.lifespan ? [`${model.paths.handlers}/lifespan.ts`] : [])];
  const recordInput = inputHash(root, text, generatorRecordVersion());
  // The record is planned last: it notes the stubs this very plan writes.
  const stateFile = (stubs: Record<string, string>) => ({
    path: `${model.paths.out}/${STATE_FILE}`,
    content: JSON.stringify(makeState(recordInput, generated, handlerFiles(model), authorFiles, stubs), null, 2) + "\n",
    format: false,
  });
  const plan = await planGeneration(root, model, generated, stateFile);
  return { displayPath, root, sources, diagnostics, model, plan };
}


