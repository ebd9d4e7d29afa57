import { image } from "@mcpgen/runtime";
import type { TestImageContentHandler } from "../../generated/contract.js";
import { RED_PIXEL_PNG } from "../../lib/media.js";

/** Tests image content response */
export const handler: TestImageContentHandler = async () => {
  return image(RED_PIXEL_PNG, "image/png");
};
