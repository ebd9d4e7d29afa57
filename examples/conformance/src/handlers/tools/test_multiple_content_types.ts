import { embeddedResource, image } from "@mcpgen/runtime";
import type { TestMultipleContentTypesHandler } from "../../generated/contract.js";
import { RED_PIXEL_PNG } from "../../lib/media.js";

/** Tests response with multiple content types (text, image, resource) */
export const handler: TestMultipleContentTypesHandler = async () => {
  return [
    "Multiple content types test:",
    image(RED_PIXEL_PNG, "image/png"),
    embeddedResource("test://mixed-content-resource", JSON.stringify({ test: "data", value: 123 }), "application/json"),
  ];
};
