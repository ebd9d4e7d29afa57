import { notImplemented } from "@mcpgen/runtime";
import type { BookTableHandler } from "../../generated/contract.js";

/** Book a table, asking the user to confirm first. */
export const handler: BookTableHandler = async (input, ctx) => {
  throw notImplemented("Tool", "book_table", "src/handlers/tools/book_table.ts");
};
