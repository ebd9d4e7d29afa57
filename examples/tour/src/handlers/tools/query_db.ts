import type { QueryDbHandler } from "../../generated/contract.js";

/** Run the demo query on the database opened at startup (ctx.app comes from lifespan.ts). */
export const handler: QueryDbHandler = async (_input, ctx) => {
  const rows = ctx.app.db.query();
  return rows.map((row) => `${row.id}\t${row.name}\t${row.role}`).join("\n");
};
