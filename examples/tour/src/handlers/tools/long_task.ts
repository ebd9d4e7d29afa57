import { notImplemented } from "@mcpgen/runtime";
import type { LongTaskHandler } from "../../generated/contract.js";

/** Process multiple files with progress tracking. */
export const handler: LongTaskHandler = async (input, ctx) => {
  throw notImplemented("Tool", "long_task", "src/handlers/tools/long_task.ts");
};
