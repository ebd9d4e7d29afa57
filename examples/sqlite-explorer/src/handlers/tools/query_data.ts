import { ToolError } from "@mcpgen/runtime";
import type { QueryDataHandler } from "../../generated/contract.js";
import { formatValue } from "../../lib/database.js";

/**
 * Execute SQL on the database. Each result set is printed as tab-separated lines under a
 * header of column names; result sets are separated by a blank line. Bad SQL is a tool
 * error (isError: true) with SQLite's message, so the model can fix its query.
 */
export const handler: QueryDataHandler = async ({ sql }, ctx) => {
  let outcome;
  try {
    outcome = await ctx.app.db.execute(sql);
  } catch (error) {
    throw new ToolError(`SQL error: ${(error as Error).message}`);
  }
  const { results, changes } = outcome;
  if (results.length === 0) return `OK (${changes} row${changes === 1 ? "" : "s"} changed)`;
  return results
    .map((set) => [set.columns.join("\t"), ...set.values.map((row) => row.map(formatValue).join("\t"))].join("\n"))
    .join("\n\n");
};
