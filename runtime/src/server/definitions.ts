import type {
  Annotations,
  CacheHint,
  CallToolResult,
  ContentBlock,
  GetPromptResult,
  Icon,
  JsonSchema,
  PromptMessage,
  ReadResourceResult,
  ResourceContents,
  Resource,
  ToolAnnotations,
  Role,
} from "../protocol/types.js";
import type { Context } from "./context.js";
import type { ValidateFn } from "./validation.js";
import type { ToolTaskOptions } from "./task-types.js";

type MaybePromise<T> = T | Promise<T>;

/** What a tool handler may return when the tool has no output schema (strings become text blocks). */
export type ToolReturn = string | ContentBlock | (ContentBlock | string)[] | CallToolResult | void;

export interface ToolDefinition<In = any, Ctx extends Context<any> = Context<any>> {
  name: string;
  title?: string;
  description?: string;
  /** Sent in tools/list exactly as given. Defaults to `{type: "object"}`. */
  inputSchema?: JsonSchema;
  /** When set, the handler returns the structured value (or a `toolResult`). */
  outputSchema?: JsonSchema;
  /** Precompiled validators; without them the runtime compiles the schemas with ajv. */
  validateInput?: ValidateFn;
  validateOutput?: ValidateFn;
  /** The handler returns a bare value, sent as `{result: value}` (non-object outputs). */
  wrapOutput?: boolean;
  annotations?: ToolAnnotations;
  icons?: Icon[];
  execution?: { taskSupport?: "forbidden" | "optional" | "required" };
  /**
   * May or must run as a task for 2026-07-28 clients declaring the tasks extension
   * (docs/tasks.md). Session-era clients get a plain call either way.
   */
  task?: ToolTaskOptions;
  _meta?: Record<string, unknown>;
  /** OAuth scopes a caller needs (checked by the auth layer). */
  scopes?: string[];
  /** Disabled items are unlisted and uncallable until enabled. Default true. */
  enabled?: boolean;
  handler: (input: In, ctx: Ctx) => MaybePromise<unknown>;
}

/** A resource read handler may return text, bytes, content objects, or a full result. */
export type ResourceReturn =
  | string
  | Uint8Array
  | Partial<ResourceContents>
  | Partial<ResourceContents>[]
  | ReadResourceResult;

export interface ResourceDefinition<Ctx extends Context<any> = Context<any>> {
  name: string;
  uri: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  icons?: Icon[];
  annotations?: Annotations;
  _meta?: Record<string, unknown>;
  subscribe?: boolean;
  scopes?: string[];
  enabled?: boolean;
  /** 2026-07-28 cache hint of its resources/read results (overrides the server's `cache`). */
  cache?: CacheHint;
  read: (uri: string, ctx: Ctx) => MaybePromise<ResourceReturn>;
}

export type CompletionReturn = string[] | { values: string[]; total?: number; hasMore?: boolean };

export interface CompletionContext {
  /** Values already chosen for the other arguments or variables. */
  arguments: Record<string, string>;
}

export type CompletionHandler<Ctx extends Context<any> = Context<any>> = (
  value: string,
  context: CompletionContext,
  ctx: Ctx,
) => MaybePromise<CompletionReturn>;

export interface ResourceTemplateDefinition<Vars = Record<string, string | string[]>, Ctx extends Context<any> = Context<any>> {
  name: string;
  uriTemplate: string;
  title?: string;
  description?: string;
  mimeType?: string;
  icons?: Icon[];
  annotations?: Annotations;
  _meta?: Record<string, unknown>;
  subscribe?: boolean;
  scopes?: string[];
  enabled?: boolean;
  /** 2026-07-28 cache hint of the resources/read results of its URIs (overrides the server's `cache`). */
  cache?: CacheHint;
  /** Validates the extracted variables; a failure is -32602. */
  validateParams?: ValidateFn;
  read: (vars: Vars, uri: string, ctx: Ctx) => MaybePromise<ResourceReturn>;
  /** Concrete resources of this template, included in resources/list. */
  list?: (ctx: Ctx) => MaybePromise<(Omit<Resource, "name"> & { name?: string })[]>;
  complete?: Record<string, CompletionHandler<Ctx>>;
}

export interface PromptArgumentDefinition {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
}

/** A prompt handler may return one user text, a list of messages, or a full result. */
export type PromptReturn =
  | string
  | (PromptMessage | { role: Role; content: string | ContentBlock })[]
  | GetPromptResult;

export interface PromptDefinition<Args = Record<string, string>, Ctx extends Context<any> = Context<any>> {
  name: string;
  title?: string;
  description?: string;
  arguments?: PromptArgumentDefinition[];
  icons?: Icon[];
  _meta?: Record<string, unknown>;
  scopes?: string[];
  enabled?: boolean;
  get: (args: Args, ctx: Ctx) => MaybePromise<PromptReturn>;
  complete?: Record<string, CompletionHandler<Ctx>>;
}
