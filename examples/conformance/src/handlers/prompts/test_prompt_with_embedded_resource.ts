import { embeddedResource } from "@mcpgen/runtime";
import type { TestPromptWithEmbeddedResourceGet } from "../../generated/contract.js";

/** A prompt that includes an embedded resource */
export const get: TestPromptWithEmbeddedResourceGet = async ({ resourceUri }) => {
  return [
    { role: "user", content: embeddedResource(resourceUri, "Embedded resource content for testing.", "text/plain") },
    { role: "user", content: "Please process the embedded resource above." },
  ];
};
