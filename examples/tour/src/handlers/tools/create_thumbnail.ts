import { readFile } from "node:fs/promises";
import { image, ToolError } from "@mcpgen/runtime";
import type { CreateThumbnailHandler } from "../../generated/contract.js";
import { encodePng, fitWithin, isPng, pngSize } from "../../lib/png.js";

const MAX = 100;

/**
 * Create a thumbnail for a PNG file (the README's "Images" example). The demo has no
 * image decoder: a PNG of at most 100x100 is returned as it is; a larger one gets a
 * generated placeholder PNG with the thumbnail's size (the source's aspect ratio, fitted
 * in 100x100), drawn as a gradient rather than resampled from the source pixels.
 */
export const handler: CreateThumbnailHandler = async ({ image_path }) => {
  let bytes: Buffer;
  try {
    bytes = await readFile(image_path);
  } catch (error) {
    throw new ToolError(`Cannot read ${image_path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!isPng(bytes)) throw new ToolError(`${image_path} is not a PNG file`);
  const source = pngSize(bytes);
  if (source.width <= MAX && source.height <= MAX) return image(bytes, "image/png");
  const { width, height } = fitWithin(source.width, source.height, MAX);
  const thumbnail = encodePng(width, height, (x, y) => [
    Math.round((255 * x) / Math.max(1, width - 1)),
    Math.round((255 * y) / Math.max(1, height - 1)),
    160,
  ]);
  return image(thumbnail, "image/png");
};
