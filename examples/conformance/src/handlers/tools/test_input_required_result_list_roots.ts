import type { TestInputRequiredResultListRootsHandler } from "../../generated/contract.js";

/** Asks for the client's roots (input_required with one roots/list request) */
export const handler: TestInputRequiredResultListRootsHandler = async (_input, ctx) => {
  const roots = await ctx.listRoots({ key: "client_roots" });
  return `Client roots: ${roots.map((r) => `${r.name ?? r.uri} (${r.uri})`).join(", ") || "none"}`;
};
