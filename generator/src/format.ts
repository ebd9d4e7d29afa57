import { join } from "node:path";

/**
 * Formats generated TypeScript once, in memory, with the author's prettier config (or
 * prettier's defaults), so what is compared and written is exactly what a formatter
 * would leave. Prettier is loaded only when something needs formatting.
 */
export async function formatFiles(root: string, files: { path: string; content: string; format: boolean }[]): Promise<void> {
  const toFormat = files.filter((f) => f.format);
  if (toFormat.length === 0) return;
  const prettier = await import("prettier");
  const config = (await prettier.resolveConfig(join(root, toFormat[0]!.path), { editorconfig: true })) ?? {};
  await Promise.all(
    toFormat.map(async (f) => {
      f.content = await prettier.format(f.content, { ...config, filepath: join(root, f.path) });
    }),
  );
}
