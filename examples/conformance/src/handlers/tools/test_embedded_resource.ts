import { embeddedResource } from "@mcpgen/runtime";
import type { TestEmbeddedResourceHandler } from "../../generated/contract.js";

/** Tests embedded resource content response */
export const handler: TestEmbeddedResourceHandler = async () => {
  return embeddedResource("test://embedded-resource", "This is an embedded resource content.", "text/plain");
};
