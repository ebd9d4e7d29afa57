import { bytesToBase64 } from "../protocol/base64.js";
import { ErrorCode, McpError, invalidParams } from "../protocol/jsonrpc.js";
import type { ReadResourceResult, Resource, ResourceContents, ResourceTemplate } from "../protocol/types.js";
import type { Features } from "../protocol/versions.js";
import type { Context } from "./context.js";
import type { ResourceReturn } from "./definitions.js";
import type { ServerCatalog } from "./catalog.js";
import type { ResourceEntry, TemplateEntry } from "./entries.js";
import { hidesFrom, holds } from "./scopes.js";
import { jsonProblem } from "./result-check.js";
import { formatIssues } from "./validation.js";

export function resourceView(d: ResourceEntry, f: Features): Resource {
  const r: Resource = { uri: d.uri, name: d.name };
  copyCommon(r, d, f);
  if (d.size !== undefined) r.size = d.size;
  return r;
}

export function templateView(e: TemplateEntry, f: Features): ResourceTemplate {
  const d = e.def;
  const t: ResourceTemplate = { uriTemplate: d.uriTemplate, name: d.name };
  copyCommon(t, d, f);
  return t;
}

function copyCommon(target: any, d: any, f: Features): void {
  if (d.title !== undefined && f.titles) target.title = d.title;
  if (d.description !== undefined) target.description = d.description;
  if (d.mimeType !== undefined) target.mimeType = d.mimeType;
  if (d.icons !== undefined && f.icons) target.icons = d.icons;
  if (d.annotations !== undefined) target.annotations = d.annotations;
  if (d._meta !== undefined) target._meta = d._meta;
}

/** Static resources plus whatever templates with a `list` hook enumerate. */
export async function listResources(server: ServerCatalog, f: Features, viewKey: string, ctx: Context<any>): Promise<readonly Resource[]> {
  const auth = ctx.auth;
  const hide = hidesFrom(server, auth);
  const statics = hide
    ? server.resources.viewWhere(viewKey, (d) => resourceView(d, f), (d) => holds(auth, d.scopes))
    : server.resources.view(viewKey, (d) => resourceView(d, f));
  const listers = [...server.templates.enabledDefs()].filter((t) => t.def.list && (!hide || holds(auth, t.def.scopes)));
  if (listers.length === 0) return statics;
  const extra: Resource[] = [];
  for (const t of listers) {
    for (const item of await t.def.list!(ctx)) {
      extra.push({ name: item.name ?? item.uri, mimeType: t.def.mimeType, ...item } as Resource);
    }
  }
  return [...statics, ...extra];
}

/** A resource that is not there: -32002 with the URI, as revisions up to 2025-11-25 specify. */
export const resourceNotFound = (uri: string) => new McpError(ErrorCode.ResourceNotFound, `Resource not found: ${uri}`, { uri });

export async function readResource(server: ServerCatalog, uri: unknown, ctx: Context<any>): Promise<ReadResourceResult> {
  if (typeof uri !== "string") throw invalidParams("resources/read needs a string 'uri'");
  const fixed = server.resources.get(uri);
  if (fixed) return normalizeContents(await fixed.read(uri, ctx), uri, fixed.mimeType);
  for (const t of server.templates.enabledDefs()) {
    const vars = t.template.match(uri);
    if (!vars) continue;
    const validate = t.def.validateParams;
    if (validate && !validate(vars)) {
      throw invalidParams(`Invalid parameters for ${t.def.uriTemplate}: ${formatIssues(validate.errors ?? [])}`, { uri });
    }
    return normalizeContents(await t.def.read(vars, uri, ctx), uri, t.def.mimeType);
  }
  throw resourceNotFound(uri);
}

/** Accepts the many shapes a handler may return and produces a ReadResourceResult. */
export function normalizeContents(value: ResourceReturn, uri: string, mimeType: string | undefined): ReadResourceResult {
  if (value && typeof value === "object" && !ArrayBuffer.isView(value) && "contents" in value && Array.isArray(value.contents)) {
    return value as ReadResourceResult;
  }
  const items = Array.isArray(value) ? value : [value];
  return { contents: items.map((item) => toContents(item, uri, mimeType)) };
}

function toContents(item: unknown, uri: string, mimeType: string | undefined): ResourceContents {
  if (typeof item === "string") return withMime({ uri, text: item }, mimeType ?? "text/plain");
  if (item instanceof Uint8Array) {
    return withMime({ uri, blob: bytesToBase64(item) }, mimeType ?? "application/octet-stream");
  }
  if (item && typeof item === "object") {
    const c = { ...(item as Record<string, unknown>) };
    c.uri ??= uri;
    if (c.mimeType === undefined && mimeType !== undefined) c.mimeType = mimeType;
    if (typeof c.text === "string" || typeof c.blob === "string") return c as unknown as ResourceContents;
  }
  // Anything else (numbers, plain objects) is served as JSON text; what JSON cannot carry is refused.
  const problem = jsonProblem(item, "the returned value");
  if (problem) throw new McpError(ErrorCode.InternalError, `Resource '${uri}' returned invalid contents: ${problem}`);
  return withMime({ uri, text: JSON.stringify(item) ?? "null" }, mimeType ?? "application/json");
}

function withMime<T extends ResourceContents>(c: T, mimeType: string | undefined): T {
  if (mimeType !== undefined) c.mimeType = mimeType;
  return c;
}

/** Whether a URI names something subscribable on this server. */
export function canSubscribe(server: ServerCatalog, uri: string): boolean {
  const r = server.resources.get(uri);
  if (r) return r.subscribe === true;
  for (const t of server.templates.enabledDefs()) if (t.template.match(uri)) return t.def.subscribe === true;
  return false;
}
