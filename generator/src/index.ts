/** mcpgen's programmatic API: the same pipeline the CLI runs. */
export { main, ExitCode, type CliIO } from "./cli/main.js";
export { runPipeline, type PipelineInput, type PipelineResult } from "./pipeline.js";
export { applyPlan, planGeneration, type Plan, type Change } from "./write/plan.js";
export type { Diagnostic } from "./diagnostics/index.js";
