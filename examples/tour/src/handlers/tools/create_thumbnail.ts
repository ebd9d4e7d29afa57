import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { image, StdioServerTransport, ToolError } from "@mcpgen/runtime";
import type { CreateThumbnailHandler } from "../../generated/contract.js";
import { FileRefused, readConfinedFile } from "../../lib/confined-file.js";
import { encodePng, fitWithin, isPng, pngSize } from "../../lib/png.js";

const MAX = 100;
/** Largest source file read (a thumbnail source has no business being bigger). */
const MAX_BYTES = 5 * 1024 * 1024;
/** The server's own image folder: TOUR_IMAGE_DIR, or this example's assets/. */
const IMAGE_DIR = process.env.TOUR_IMAGE_DIR ? resolve(process.env.TOUR_IMAGE_DIR) : fileURLToPath(new URL("../../../assets/", import.meta.url));

/**
 * Create a thumbnail for a PNG file (the README's "Images" example). The demo has no
 * image decoder: a PNG of at most 100x100 is returned as it is; a larger one gets a
 * generated placeholder PNG with the thumbnail's size (the source's aspect ratio, fitted
 * in 100x100), drawn as a gradient rather than resampled from the source pixels.
 *
 * The path is the model's to choose, so it is confined: only regular files of at most
 * 5 MiB inside the allowed folders are read, and every other path gets the same answer.
 */
export const handler: CreateThumbnailHandler = async ({ image_path }, ctx) => {
  let bytes: Buffer;
  try {
    bytes = await readConfinedFile(image_path, await allowedFolders(ctx), MAX_BYTES);
  } catch (error) {
    if (error instanceof FileRefused) throw new ToolError(`Cannot read ${image_path}: ${error.message}`);
    throw error;
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

/**
 * Where files may be read from: the client's roots when it offers them over stdio (roots
 * name folders on the client's machine, which is this one only when the client started
 * this process), else the server's image folder. Over HTTP a client's roots are never
 * trusted: they would let any remote client name this machine's folders.
 */
async function allowedFolders(ctx: Parameters<CreateThumbnailHandler>[1]): Promise<string[]> {
  if (!ctx.clientCapabilities.roots || !(ctx.session.peer.currentTransport instanceof StdioServerTransport)) return [IMAGE_DIR];
  const folders: string[] = [];
  for (const root of await ctx.listRoots()) {
    try {
      if (root.uri.startsWith("file:")) folders.push(fileURLToPath(root.uri));
    } catch {
      // Not a local file URL (file://other-host/...): not a folder here.
    }
  }
  return folders;
}
