/**
 * What a server offers, as the feature modules (tools, prompts, resources, scopes, the
 * 2026-07-28 dispatch) read it: its registries, identity and the options they consult.
 * McpServer implements it. Features take this rather than McpServer because the server
 * module sits above them (it creates sessions, which dispatch to the features).
 */
import type { Implementation } from "../protocol/types.js";
import type { CompletionHandler } from "./definitions.js";
import type { PromptEntry, ResourceEntry, TemplateEntry, ToolEntry } from "./entries.js";
import type { CacheOptions } from "./modern-types.js";
import type { Registry } from "./registry.js";
import type { RequestStateOptions } from "./request-state.js";
import type { TaskOptions } from "./task-types.js";

/** The server options that features consult (a part of `ServerOptions`). */
export interface CatalogOptions {
  instructions?: string;
  /** Lists hide what a caller lacks the scopes for unless `hideUnauthorized: false`. */
  auth?: { hideUnauthorized?: boolean } | false;
  cache?: CacheOptions;
  requestState?: RequestStateOptions;
  /** The tasks extension's settings (tasks.ts). */
  tasks?: TaskOptions;
  /** Errors with no one to answer (a task that could not record its end). */
  onerror?: (error: Error) => void;
}

export interface ServerCatalog {
  readonly info: Implementation;
  readonly options: CatalogOptions;
  /** Items per page on every list. */
  readonly pageSize: number;
  readonly tools: Registry<ToolEntry & { enabled?: boolean }>;
  readonly resources: Registry<ResourceEntry>;
  readonly templates: Registry<TemplateEntry & { enabled?: boolean }>;
  readonly prompts: Registry<PromptEntry>;
  /** The completion handler of a prompt argument or template variable: undefined when it has none, null for an unknown ref. */
  completionHandler(ref: { type: string; name?: string; uri?: string }, argument: string): CompletionHandler | undefined | null;
}
