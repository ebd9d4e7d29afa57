import type { SearchNotesHandler } from "../../generated/contract.js";

/** Notes whose title or body contains the query (case-insensitive), optionally only those with a tag. */
export const handler: SearchNotesHandler = async ({ query, tag }, ctx) => ({
  matches: ctx.app.notebook.search(query, tag),
});
