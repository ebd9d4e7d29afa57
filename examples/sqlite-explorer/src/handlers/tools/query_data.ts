import { ToolError } from "@mcpgen/runtime";
import type { QueryDataHandler } from "../../generated/contract.js";
import { formatValue } from "../../lib/database.js";
import { QueryStopped } from "../../lib/query-runner.js";

/**
 * Execute SQL on the database. Each result set is printed as tab-separated lines under a
 * header of column names; result sets are separated by a blank line. Bad SQL is a tool
 * error (isError: true) with SQLite's message, so the model can fix its query. The query
 * runs in a worker thread with a time limit, and stops when the request is cancelled.
 */
export const handler: QueryDataHandler = async ({ sql }, ctx) => {
  let outcome;
  try {
    outcome = await ctx.app.db.execute(sql, ctx.signal);
  } catch (error) {
    if (error instanceof QueryStopped) throw new ToolError(error.message);
    const message = (error as Error).message;
    if (!ctx.app.writable && /readonly database/.test(message)) {
      throw new ToolError(`SQL error: ${message} (this server is read-only; start it with SQLITE_WRITABLE=1 to allow changes)`);
    }
    throw new ToolError(`SQL error: ${message}`);
  }
  const { results, changes } = outcome;
  if (results.length === 0) return `OK (${changes} row${changes === 1 ? "" : "s"} changed)`;
  return results
    .map((set) => [set.columns.join("\t"), ...set.values.map((row) => row.map(formatValue).join("\t"))].join("\n"))
    .join("\n\n");
};
