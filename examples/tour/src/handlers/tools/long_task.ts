import type { LongTaskHandler } from "../../generated/contract.js";

/**
 * Process multiple files with progress tracking (the README's "Context" example): logs to
 * the client with ctx.log, reports progress with ctx.progress (sent only when the caller
 * asked for it with a progress token) and reads one of this server's resources.
 */
export const handler: LongTaskHandler = async ({ files }, ctx) => {
  const config = await ctx.readResource("config://app");
  const settings = config.contents.map((c) => ("text" in c ? c.text : "")).join("");
  await ctx.log.info(`Using configuration: ${settings}`);
  for (const [i, file] of files.entries()) {
    await ctx.log.info(`Processing ${file}`);
    // A real task would do the work here.
    await ctx.progress(i + 1, files.length, `Processed ${file}`);
  }
  return `Processing complete: ${files.length} file${files.length === 1 ? "" : "s"}`;
};
