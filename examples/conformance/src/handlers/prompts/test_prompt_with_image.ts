import { image } from "@mcpgen/runtime";
import type { TestPromptWithImageGet } from "../../generated/contract.js";
import { RED_PIXEL_PNG } from "../../lib/media.js";

/** A prompt that includes image content */
export const get: TestPromptWithImageGet = async () => {
  return [
    { role: "user", content: image(RED_PIXEL_PNG, "image/png") },
    { role: "user", content: "Please analyze the image above." },
  ];
};
