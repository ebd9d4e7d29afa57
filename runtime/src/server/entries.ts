/**
 * What the server keeps for each registered item: the author's definition, plus what
 * was prepared from it at registration (validators, a parsed URI template) so requests
 * do not redo it. Every feature module reads these, so they sit below the server.
 */
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from "./definitions.js";
import type { UriTemplate } from "./uri-template.js";
import type { LazyValidator } from "./validation.js";

/** @internal Runtime state kept beside each tool definition. */
export interface ToolEntry {
  def: ToolDefinition;
  input: LazyValidator;
  output?: LazyValidator;
}
export interface TemplateEntry {
  def: ResourceTemplateDefinition;
  template: UriTemplate;
}
export type PromptEntry = PromptDefinition;
export type ResourceEntry = ResourceDefinition;
