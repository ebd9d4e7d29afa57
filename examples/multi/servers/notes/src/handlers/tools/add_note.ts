import { ToolError } from "@mcpgen/runtime";
import type { AddNoteHandler } from "../../generated/contract.js";

/** Save a note. Titles are unique; saving an existing title is an error. */
export const handler: AddNoteHandler = async ({ title, body, tags = [] }, ctx) => {
  try {
    return ctx.app.notebook.add({ title, body, tags });
  } catch (error) {
    throw new ToolError((error as Error).message);
  }
};
