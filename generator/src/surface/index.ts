/** The server surface and the commands built on it: `mcpgen diff` and `mcpgen docs`. */
export { diffCommand, DIFF_HELP } from "./diff-command.js";
export { docsCommand, DOCS_HELP } from "./docs-command.js";
export { buildSurface, type Surface } from "./surface.js";
export { compareSurfaces, type Change, type ItemKind } from "./compare.js";
export { RULES, RULE_NAMES, type ChangeSeverity, type RuleName } from "./rules.js";
export { buildDocs, renderHtml, renderMarkdown } from "./docs.js";
export type { CommandIO } from "./command-common.js";
