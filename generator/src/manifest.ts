/**
 * The validated mcp.yaml, typed. Shapes and names follow the YAML one to one (see
 * schemas/mcp.schema.json for every key's meaning); defaults are not filled in here, so a
 * missing key stays `undefined` and later stages decide with {@link MANIFEST_DEFAULTS}.
 */

/** Any JSON Schema (2020-12): an object or a boolean. `#/types/Name` references are unresolved. */
export type JsonSchema = Record<string, unknown> | boolean;

export interface IconSpec {
  src: string;
  mimeType?: string;
  /** `48x48`, or `any` for scalable formats. */
  sizes?: string[];
  theme?: 'light' | 'dark';
}

export interface ServerSpec {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  icons?: IconSpec[];
  instructions?: string;
  /** Page size of every list method. */
  pageSize?: number;
}

export interface GenerateSpec {
  out?: string;
  handlers?: string;
  entry?: string;
  client?: boolean;
  format?: boolean;
}

export interface ToolAnnotationsSpec {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** A named form-mode elicitation a tool may send (`ctx.elicit.<name>()`). */
export interface ElicitSpec {
  message: string;
  /** A flat object of primitives (checked by the validator), possibly a `#/types/...` ref. */
  schema: JsonSchema;
}

export type TaskSupport = 'forbidden' | 'optional' | 'required';

export interface ExecutionSpec {
  taskSupport?: TaskSupport;
}

/** How a tool runs as a task (the 2026-07-28 tasks extension). */
export interface TaskSpec {
  support: 'optional' | 'required';
  ttlMs?: number | null;
  pollIntervalMs?: number;
  start?: 'call' | 'handler';
}

export interface ToolSpec {
  title?: string;
  description?: string;
  /** The arguments object schema; `{ type: 'object' }` when omitted. */
  input?: JsonSchema;
  output?: JsonSchema;
  annotations?: ToolAnnotationsSpec;
  icons?: IconSpec[];
  scopes?: string[];
  enabled?: boolean;
  elicit?: Record<string, ElicitSpec>;
  sampling?: boolean;
  roots?: boolean;
  _meta?: Record<string, unknown>;
  execution?: ExecutionSpec;
  /** The tasks extension: `optional`, `required`, or the object form with defaults. */
  task?: 'optional' | 'required' | TaskSpec;
  timeoutMs?: number;
}

export interface ResourceAnnotationsSpec {
  audience?: ('user' | 'assistant')[];
  priority?: number;
  lastModified?: string;
}

/** A 2026-07-28 cache hint: sent as `ttlMs` and `cacheScope`. */
export interface CacheHintSpec {
  ttlMs?: number;
  scope?: 'public' | 'private';
}

/** Cache hints of 2026-07-28 results: the defaults, and per list. */
export interface CacheSpec extends CacheHintSpec {
  tools?: CacheHintSpec;
  prompts?: CacheHintSpec;
  resources?: CacheHintSpec;
  resourceTemplates?: CacheHintSpec;
  read?: CacheHintSpec;
  discover?: CacheHintSpec;
}

export interface ResourceSpec {
  /** A static URI, or an RFC 6570 template when it contains `{...}` expressions. */
  uri: string;
  title?: string;
  description?: string;
  mimeType?: string;
  text?: string;
  /** Relative to the manifest's folder. */
  file?: string;
  subscribe?: boolean;
  /** 2026-07-28 cache hint of its resources/read results. */
  cache?: CacheHintSpec;
  /** JSON Schema per template variable; a variable without one is a string. */
  params?: Record<string, JsonSchema>;
  /** Template variables that get a completion handler. */
  complete?: string[];
  /** Templates only: the handler also lists matching concrete resources. */
  list?: boolean;
  size?: number;
  icons?: IconSpec[];
  annotations?: ResourceAnnotationsSpec;
  scopes?: string[];
  enabled?: boolean;
  _meta?: Record<string, unknown>;
}

export interface PromptArgumentSpec {
  title?: string;
  description?: string;
  required?: boolean;
  complete?: boolean;
}

export interface PromptMessageSpec {
  role: 'user' | 'assistant';
  /** Handlebars. */
  text: string;
}

export interface PromptSpec {
  title?: string;
  description?: string;
  arguments?: Record<string, PromptArgumentSpec>;
  /** Handlebars text of one user message. Exclusive with `messages`. */
  template?: string;
  messages?: PromptMessageSpec[];
  icons?: IconSpec[];
  scopes?: string[];
  enabled?: boolean;
  _meta?: Record<string, unknown>;
}

export type AuthVerifier = 'jwt' | 'introspection' | 'custom' | 'apiKey';

export interface IntrospectionSpec {
  endpoint: string;
  clientId?: string;
  /** Name of the environment variable holding the client secret. */
  clientSecretEnv?: string;
}

export interface ApiKeySpec {
  header?: string;
  /** Name of the environment variable holding the accepted keys (comma-separated). */
  env?: string;
}

export interface AuthSpec {
  authorizationServers?: string[];
  resource?: string;
  scopes?: string[];
  verifier?: AuthVerifier;
  audience?: string;
  algorithms?: string[];
  jwksUri?: string;
  clockToleranceSeconds?: number;
  introspection?: IntrospectionSpec;
  apiKey?: ApiKeySpec;
  hideUnauthorized?: boolean;
}

export interface CorsSpec {
  origins?: string[];
}

export interface HttpSpec {
  host?: string;
  port?: number;
  path?: string;
  sessions?: boolean;
  json?: boolean;
  allowedOrigins?: string[];
  allowedHosts?: string[];
  legacySse?: boolean;
  cors?: boolean | CorsSpec;
  trustProxy?: boolean;
  maxBodyBytes?: number;
  sessionTtlMs?: number;
  maxSessions?: number;
}

export interface Manifest {
  $schema?: string;
  version: 1;
  server: ServerSpec;
  generate?: GenerateSpec;
  /** When true, a lifespan stub provides a typed application context to every handler. */
  lifespan?: boolean;
  types?: Record<string, JsonSchema>;
  tools?: Record<string, ToolSpec>;
  resources?: Record<string, ResourceSpec>;
  prompts?: Record<string, PromptSpec>;
  auth?: AuthSpec;
  http?: HttpSpec;
  /** Cache hints of 2026-07-28 results. */
  cache?: CacheSpec;
}

/** The defaults documented in the schema, for stages that need a value where the YAML has none. */
export const MANIFEST_DEFAULTS = {
  generate: { out: 'src/generated', handlers: 'src/handlers', entry: 'src/server.ts', client: true, format: true },
  server: { pageSize: 100 },
  lifespan: false,
  toolInput: { type: 'object' } as JsonSchema,
  enabled: true,
  auth: { verifier: 'jwt' as AuthVerifier, hideUnauthorized: true, apiKey: { header: 'x-api-key' }, clockToleranceSeconds: 60 },
  http: { host: '127.0.0.1', port: 3000, path: '/mcp', sessions: true, json: false, legacySse: false, cors: false, trustProxy: false },
  execution: { taskSupport: 'forbidden' as TaskSupport },
} as const;
