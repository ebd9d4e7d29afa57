import { createHash } from "node:crypto";
import type { Change } from "../write/plan.js";
import { unifiedDiff } from "../write/diff.js";

/** How much of each difference `mcpgen check` prints. */
export type DiffMode = "short" | "full" | "none";

/** Diff lines shown per source file in the short mode. */
const SHORT_DIFF_LINES = 40;
/** Characters shown of one diff line in the short mode. */
const SHORT_LINE_CHARS = 160;
/** A file with a line this long is data (minified validators, embedded schemas), not source to read. */
const DATA_LINE_CHARS = 400;

const bytes = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s));
const hash = (s: string | undefined) => (s === undefined ? "none" : createHash("sha256").update(s).digest("hex").slice(0, 12));
const longest = (s: string | undefined) => (s ?? "").split("\n").reduce((m, l) => Math.max(m, l.length), 0);

/** Data rather than source: JSON, or anything with a line no one reads in a CI log. */
export function isDataFile(path: string, before: string | undefined, after: string | undefined): boolean {
  return path.endsWith(".json") || Math.max(longest(before), longest(after)) > DATA_LINE_CHARS;
}

/** The text `check` prints for one out-of-date file: a headline, then a diff or a size/hash line. */
export function describeDrift(c: Change, mode: DiffMode): string {
  const head = (what: string) => `${what}: ${c.path}\n`;
  switch (c.kind) {
    case "stale":
      return head("stale") + `  no longer generated: \`npx mcpgen\` removes it\n`;
    case "unused-stub":
      return head("unused stub") + `  an untouched stub whose item left mcp.yaml: \`npx mcpgen\` removes it\n`;
    case "stub":
      return head("missing handler file");
    case "handler-exports":
      return head("missing handler exports") + `  ${c.added.join(", ")}\n`;
    case "generated": {
      const text = head(c.before === undefined ? "missing" : "changed");
      if (mode === "none" || c.before === undefined) return text;
      if (mode === "full") return text + unifiedDiff(c.path, c.before, c.after);
      if (isDataFile(c.path, c.before, c.after)) {
        return text + `  data: ${bytes(c.before)} -> ${bytes(c.after)} bytes, sha256 ${hash(c.before)} -> ${hash(c.after)} (mcpgen check --diff full shows it)\n`;
      }
      return text + shortDiff(unifiedDiff(c.path, c.before, c.after));
    }
  }
}

/** A unified diff cut to SHORT_DIFF_LINES lines of SHORT_LINE_CHARS characters, saying what was cut. */
function shortDiff(diff: string): string {
  const lines = diff.replace(/\n$/, "").split("\n");
  const shown = lines.slice(0, SHORT_DIFF_LINES).map((l) => (l.length > SHORT_LINE_CHARS ? `${l.slice(0, SHORT_LINE_CHARS)}... (${l.length} chars)` : l));
  const cut = lines.length - shown.length;
  if (cut > 0) shown.push(`... ${cut} more diff line${cut === 1 ? "" : "s"} (mcpgen check --diff full shows them)`);
  return shown.join("\n") + "\n";
}

/** A GitHub Actions annotation for one out-of-date file. */
export function driftAnnotation(c: Change, configHint: string): string {
  const what = {
    generated: "generated code is out of date",
    stale: "generated file is no longer generated",
    "unused-stub": "an untouched stub whose item left mcp.yaml",
    stub: "handler file is missing",
    "handler-exports": "handler exports are missing",
  }[c.kind];
  return `::error file=${c.path},title=mcpgen check::${what}. Run npx mcpgen${configHint} and commit the result.`;
}
