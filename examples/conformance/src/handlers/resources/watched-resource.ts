import type { WatchedResourceRead } from "../../generated/contract.js";

/** Contents of test://watched-resource: they change every 3 s (see lifespan.ts). */
export const read: WatchedResourceRead = async (_uri, ctx) => {
  const { version, updatedAt } = ctx.app.watched;
  return `Watched resource content, version ${version} (updated ${updatedAt.toISOString()})`;
};
