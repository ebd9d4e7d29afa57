import type { WipeNotesHandler } from "../../generated/contract.js";
import { wipeAll } from "../../notes.js";

/** Deletes every note of every user (notes:admin). */
export const handler: WipeNotesHandler = async (_input, ctx) => {
  const n = wipeAll();
  await ctx.log.warning(`${ctx.auth?.subject ?? "someone"} wiped ${n} notes`);
  return `Deleted ${n} note${n === 1 ? "" : "s"}.`;
};
