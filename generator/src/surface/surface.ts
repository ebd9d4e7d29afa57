/**
 * The server's SURFACE: everything a client can see or must send, derived from a validated
 * manifest with shared types expanded. `mcpgen diff` compares two of these; `mcpgen docs`
 * prints one. Built from the manifest alone (no files are read), so an old manifest taken
 * from git works even when the files it names are gone.
 */

import type { JsonPath } from "../load/index.js";
import type { Manifest, TaskSupport, ToolAnnotationsSpec } from "../manifest.js";
import { parseUriTemplate, templateVariables } from "../validate/checks/uriTemplate.js";
import { isRecord, resolveSchema, tag, type SNode } from "./schema.js";

export interface SurfaceServer {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  instructions?: string;
  icons?: unknown;
}

export interface SurfaceAuth {
  /** Scopes every request needs. */
  scopes: string[];
  authorizationServers: string[];
  resource?: string;
  audience?: string;
  verifier: string;
  hideUnauthorized: boolean;
  /** How tokens are checked beyond the verifier's name, compared as blobs. */
  settings: { algorithms?: unknown; introspection?: unknown; apiKey?: unknown };
  /** Where `auth:` is in the manifest. */
  at: JsonPath;
}

export interface SurfaceItem {
  name: string;
  title?: string;
  description?: string;
  /** OAuth scopes needed to see and use the item (sorted, unique). */
  scopes: string[];
  /** false: declared but unlisted until enabled at run time. */
  enabled: boolean;
  /** Icons, `_meta`, size and similar fields, compared as one blob. */
  metadata: Record<string, unknown>;
  /** Where the item is in the manifest (`["tools", name]`). */
  at: JsonPath;
}

export interface SurfaceElicitation {
  name: string;
  message: string;
  schema: SNode;
}

export interface SurfaceTool extends SurfaceItem {
  /** The arguments object, resolved (`{type: object}` when the manifest has none). */
  input: SNode;
  /** The output as written, resolved; undefined when the tool declares none. */
  output?: SNode;
  /** The output schema as sent in tools/list: non-object outputs are wrapped as `{result}`. */
  wireOutput?: SNode;
  outputWrapped: boolean;
  annotations: ToolAnnotationsSpec;
  taskSupport: TaskSupport;
  sampling: boolean;
  roots: boolean;
  elicitations: SurfaceElicitation[];
}

export interface SurfaceResource extends SurfaceItem {
  uri: string;
  mimeType?: string;
  subscribe: boolean;
  /** Served from the manifest (`text`/`file`) or by a handler. */
  content: "text" | "file" | "handler";
}

export interface SurfaceTemplateParam {
  name: string;
  schema: SNode;
  complete: boolean;
}

export interface SurfaceTemplate extends SurfaceItem {
  uriTemplate: string;
  mimeType?: string;
  subscribe: boolean;
  /** Template variables in order, each with its resolved schema (string when not declared). */
  params: SurfaceTemplateParam[];
  list: boolean;
}

export interface SurfacePromptArgument {
  name: string;
  title?: string;
  description?: string;
  required: boolean;
  complete: boolean;
  at: JsonPath;
}

export interface SurfacePrompt extends SurfaceItem {
  /** In the author's order: the order clients show them. */
  arguments: SurfacePromptArgument[];
  content: "template" | "messages" | "handler";
}

export interface Surface {
  server: SurfaceServer;
  auth?: SurfaceAuth;
  tools: SurfaceTool[];
  resources: SurfaceResource[];
  templates: SurfaceTemplate[];
  prompts: SurfacePrompt[];
}

const byName = <T>(o: Record<string, T> | undefined): [string, T][] =>
  Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const scopeList = (s: unknown): string[] => (Array.isArray(s) ? [...new Set(s.filter((x): x is string => typeof x === "string"))].sort() : []);

const pickDefined = (o: Record<string, unknown>, keys: string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
};

/** What every tool, resource, template and prompt has in the surface. */
function itemOf(name: string, item: Record<string, any>, at: JsonPath, metadataKeys: string[]): SurfaceItem {
  return {
    name,
    title: item.title,
    description: item.description,
    scopes: scopeList(item.scopes),
    enabled: item.enabled !== false,
    metadata: pickDefined(item, metadataKeys),
    at,
  };
}

/** The surface of a manifest that passed validation. */
export function buildSurface(manifest: Manifest): Surface {
  const m = manifest as unknown as Record<string, any>;
  const types: Record<string, unknown> = isRecord(m.types) ? m.types : {};
  const server = m.server ?? {};

  const tools: SurfaceTool[] = byName<any>(m.tools).map(([name, t]) => {
    const at: JsonPath = ["tools", name];
    const input = t.input === undefined ? tag({ type: "object" }, [...at, "input"]) : resolveSchema(t.input, [...at, "input"], types);
    const output = t.output === undefined ? undefined : resolveSchema(t.output, [...at, "output"], types);
    const wrapped = output !== undefined && !isObjectSchema(output);
    const wireOutput = output === undefined
      ? undefined
      : wrapped
        ? tag({ type: "object", properties: { result: output }, required: ["result"] }, [...at, "output"])
        : output;
    return {
      ...itemOf(name, t, at, ["icons", "_meta"]),
      input,
      output,
      wireOutput,
      outputWrapped: wrapped,
      annotations: isRecord(t.annotations) ? (t.annotations as ToolAnnotationsSpec) : {},
      taskSupport: (t.execution?.taskSupport as TaskSupport | undefined) ?? "forbidden",
      sampling: t.sampling === true,
      roots: t.roots === true,
      elicitations: byName<any>(t.elicit).map(([formName, f]) => ({
        name: formName,
        message: String(f?.message ?? ""),
        schema: resolveSchema(f?.schema, [...at, "elicit", formName, "schema"], types),
      })),
    };
  });

  const resources: SurfaceResource[] = [];
  const templates: SurfaceTemplate[] = [];
  for (const [name, r] of byName<any>(m.resources)) {
    const at: JsonPath = ["resources", name];
    const common = itemOf(name, r, at, ["icons", "_meta", "size", "annotations"]);
    const uri = String(r.uri ?? "");
    const variables = templateVariables(parseUriTemplate(uri));
    if (variables.length === 0) {
      resources.push({
        ...common,
        uri,
        mimeType: r.mimeType,
        subscribe: r.subscribe === true,
        content: typeof r.text === "string" ? "text" : typeof r.file === "string" ? "file" : "handler",
      });
    } else {
      const params = isRecord(r.params) ? r.params : {};
      const complete = new Set<string>(Array.isArray(r.complete) ? r.complete : []);
      templates.push({
        ...common,
        uriTemplate: uri,
        mimeType: r.mimeType,
        subscribe: r.subscribe === true,
        list: r.list === true,
        params: variables.map((v) => ({
          name: v,
          schema: !Object.hasOwn(params, v) || params[v] === undefined ? tag({ type: "string" }, [...at, "params", v]) : resolveSchema(params[v], [...at, "params", v], types),
          complete: complete.has(v),
        })),
      });
    }
  }

  const prompts: SurfacePrompt[] = byName<any>(m.prompts).map(([name, p]) => {
    const at: JsonPath = ["prompts", name];
    return {
      ...itemOf(name, p, at, ["icons", "_meta"]),
      arguments: Object.entries<any>(p.arguments ?? {}).map(([argName, a]) => ({
        name: argName,
        title: a?.title,
        description: a?.description,
        required: a?.required === true,
        complete: a?.complete === true,
        at: [...at, "arguments", argName],
      })),
      content: typeof p.template === "string" ? "template" : Array.isArray(p.messages) ? "messages" : "handler",
    };
  });

  const a = isRecord(m.auth) ? m.auth : undefined;
  const auth: SurfaceAuth | undefined = a && {
    scopes: scopeList(a.scopes),
    authorizationServers: Array.isArray(a.authorizationServers) ? [...a.authorizationServers].map(String) : [],
    resource: typeof a.resource === "string" ? a.resource : undefined,
    audience: typeof a.audience === "string" ? a.audience : undefined,
    verifier: typeof a.verifier === "string" ? a.verifier : "jwt",
    hideUnauthorized: a.hideUnauthorized !== false,
    settings: { algorithms: a.algorithms, introspection: a.introspection, apiKey: a.apiKey },
    at: ["auth"],
  };

  return {
    server: {
      name: String(server.name ?? ""),
      version: String(server.version ?? ""),
      title: server.title,
      description: server.description,
      websiteUrl: server.websiteUrl,
      instructions: server.instructions,
      icons: server.icons,
    },
    auth,
    tools,
    resources,
    templates,
    prompts,
  };
}

/** As the generator decides it (model/build.ts): `type: object`, or untyped with `properties`. */
function isObjectSchema(s: SNode): boolean {
  if (typeof s === "boolean") return false;
  return s.type === "object" || (s.type === undefined && s.properties !== undefined);
}
