import { notImplemented } from "@mcpgen/runtime";
import type { CreateThumbnailHandler } from "../../generated/contract.js";

/** Create a thumbnail for a PNG file. Images of at most 100x100 pixels are returned as they are; larger ones get a generated 100x100-bounded placeholder PNG (a gradient with the source's aspect ratio), not a resampled copy: this demo ships no image decoder. */
export const handler: CreateThumbnailHandler = async (input, ctx) => {
  throw notImplemented("Tool", "create_thumbnail", "src/handlers/tools/create_thumbnail.ts");
};
