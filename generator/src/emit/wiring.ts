import type { Model } from "../model/build.js";
import { handlerFiles, namespaceOf, relativeImport, type HandlerFile } from "./layout.js";
import { jsonExpr, objectKey } from "./escape.js";
import { compilePromptTemplate } from "./prompt-template.js";
import { schemaName, validatorName } from "./validators.js";

/** Every value from the manifest is printed as a JSON expression (`__proto__` keys kept). */
const lit = jsonExpr;

/** Spreads the item's list fields (title, description, icons, ...) as object members. */
const metaFields = (meta: Record<string, unknown>) =>
  Object.keys(meta)
    .sort()
    .map((k) => `${lit(k)}: ${lit(meta[k])},`);

/** Who may use an item and whether it starts enabled; the same members on every kind. */
const accessMembers = (item: { scopes?: string[]; enabled: boolean }) => [
  ...(item.scopes ? [`    scopes: ${lit(item.scopes)},`] : []),
  ...(item.enabled ? [] : ["    enabled: false,"]),
];

/**
 * `server.ts`: registers everything in the manifest with the runtime, each item wired
 * to its precompiled validators and the author's handler. All decisions were made at
 * generate time; creating the server only builds objects.
 */
export function emitWiring(model: Model): string {
  const files = handlerFiles(model);
  const byItem = new Map<string, HandlerFile>(files.map((f) => [`${f.kind}:${f.itemName}`, f]));
  const ns = (kind: string, name: string) => namespaceOf(byItem.get(`${kind}:${name}`)!);
  const needsForms = model.tools.some((t) => t.forms.length > 0);
  const hasValidators = model.tools.length > 0 || model.templates.length > 0;

  const L: string[] = [];
  const runtimeImports = ["McpServer", "type Implementation", "type ServerOptions"];
  if (model.auth) runtimeImports.push("type AuthOptions");
  if (needsForms) runtimeImports.push("attachForms");
  L.push(`import { ${runtimeImports.join(", ")} } from "@mcpgen/runtime";`);
  L.push(`import type { AppContext, ServerItems } from "./contract.js";`);
  if (hasValidators) {
    L.push(`import * as S from "./schemas.js";`);
    L.push(`import * as V from "./validators.js";`);
  }
  for (const f of files) L.push(`import * as ${namespaceOf(f)} from "${relativeImport(model.paths.out, f.path)}";`);
  if (model.lifespan) L.push(`import * as lifespan from "${relativeImport(model.paths.out, `${model.paths.handlers}/lifespan.ts`)}";`);
  L.push("");

  const s = model.server as unknown as Record<string, unknown>;
  const info: Record<string, unknown> = {};
  for (const k of ["name", "version", "title", "description", "websiteUrl", "icons"]) if (s[k] !== undefined) info[k] = s[k];
  L.push("/** Implementation info sent to clients. */");
  // Typed, so literal fields (an icon's `theme: dark`) are not widened to string.
  L.push(`export const serverInfo: Implementation = ${lit(info)};`);
  L.push("");
  if (model.auth) {
    const auth: Record<string, unknown> = { ...model.auth };
    const custom = auth.verifier === "custom";
    L.push("/**");
    L.push(" * mcp.yaml's `auth:`, used wherever the server is served over HTTP (stdio ignores it). To change");
    L.push(" * a setting at run time: `createServer({ auth: { ...authOptions, authorizationServers: [issuer] } })`.");
    L.push(" */");
    L.push("export const authOptions: AuthOptions = {");
    for (const k of Object.keys(auth).sort()) L.push(`  ${lit(k)}: ${lit(auth[k])},`);
    if (custom) L.push(`  verifyToken: ${ns("auth", "auth")}.verifyToken,`);
    L.push("};");
    L.push("");
  }
  L.push("/**");
  L.push(" * Creates the server described by mcp.yaml; options override the manifest's defaults.");
  L.push(" * `server.items` holds a handle per item, by name, to enable or disable it at run time.");
  L.push(" */");
  L.push("export function createServer(options: ServerOptions<AppContext, ServerItems> = {}): McpServer<AppContext, ServerItems> {");
  L.push("  const server = new McpServer<AppContext, ServerItems>(serverInfo, {");
  if (s.instructions !== undefined) L.push(`    instructions: ${lit(s.instructions)},`);
  if (s.pageSize !== undefined) L.push(`    pageSize: ${lit(s.pageSize)},`);
  if (Object.keys(model.http).length > 0) L.push(`    http: ${lit(model.http)},`);
  if (model.cache) L.push(`    cache: ${lit(model.cache)},`);
  if (model.lifespan) L.push("    lifespan: { start: lifespan.start, stop: (lifespan as { stop?: (app: AppContext) => unknown }).stop as any },");
  if (model.auth) L.push("    auth: authOptions,");
  L.push("    ...options,");
  L.push("  });");

  for (const t of model.tools) {
    L.push("");
    L.push("  server.tool({");
    L.push(`    name: ${lit(t.name)},`);
    L.push(...metaFields(t.meta).map((x) => `    ${x}`));
    L.push(`    inputSchema: S.${schemaName.input(t.ident)},`);
    L.push(`    validateInput: V.${validatorName.input(t.ident)},`);
    if (t.outputSchema !== undefined) {
      L.push(`    outputSchema: S.${schemaName.output(t.ident)},`);
      L.push(`    validateOutput: V.${validatorName.output(t.ident)},`);
      if (t.wrapOutput) L.push("    wrapOutput: true,");
    }
    if (t.task !== undefined) L.push(`    task: ${lit(t.task)},`);
    L.push(...accessMembers(t));
    const handler = `${ns("tool", t.name)}.handler`;
    if (t.forms.length > 0) {
      L.push("    handler: (input, ctx) =>");
      L.push(`      ${handler}(input, attachForms(ctx, {`);
      for (const f of t.forms) {
        // `key`: the manifest's name, which is the form's key in a 2026-07-28 input_required result.
        const key = f.name === f.ident ? "" : `, key: ${lit(f.name)}`;
        L.push(`        ${objectKey(f.ident)}: { message: ${lit(f.message)}, schema: S.${schemaName.form(t.ident, f.ident)}, validate: V.${validatorName.form(t.ident, f.ident)}${key} },`);
      }
      L.push("      })),");
    } else {
      L.push(`    handler: ${handler},`);
    }
    L.push("  });");
  }

  for (const r of model.resources) {
    L.push("");
    L.push("  server.resource({");
    L.push(`    name: ${lit(r.name)},`);
    L.push(`    uri: ${lit(r.uri)},`);
    L.push(...metaFields(r.meta).map((x) => `    ${x}`));
    if (r.subscribe) L.push("    subscribe: true,");
    if (r.cache) L.push(`    cache: ${lit(r.cache)},`);
    L.push(...accessMembers(r));
    if (r.text !== undefined) L.push(`    read: () => ${lit(r.text)},`);
    else if (r.blob !== undefined) L.push(`    read: (uri) => ({ uri, blob: ${lit(r.blob)} }),`);
    else L.push(`    read: ${ns("resource", r.name)}.read,`);
    L.push("  });");
  }

  for (const t of model.templates) {
    const n = ns("template", t.name);
    L.push("");
    L.push("  server.resourceTemplate({");
    L.push(`    name: ${lit(t.name)},`);
    L.push(`    uriTemplate: ${lit(t.uriTemplate)},`);
    L.push(...metaFields(t.meta).map((x) => `    ${x}`));
    if (t.subscribe) L.push("    subscribe: true,");
    if (t.cache) L.push(`    cache: ${lit(t.cache)},`);
    L.push(...accessMembers(t));
    L.push(`    validateParams: V.${validatorName.params(t.ident)},`);
    L.push(`    read: ${n}.read as any,`);
    if (t.list) L.push(`    list: ${n}.list,`);
    if (t.complete.length > 0) {
      L.push(`    complete: { ${t.complete.map((c) => `${objectKey(c.variable)}: ${n}.${c.exportName}`).join(", ")} },`);
    }
    L.push("  });");
  }

  for (const p of model.prompts) {
    L.push("");
    L.push("  server.prompt({");
    L.push(`    name: ${lit(p.name)},`);
    L.push(...metaFields(p.meta).map((x) => `    ${x}`));
    if (p.arguments.length > 0) {
      const args = p.arguments.map((a) => {
        const o: Record<string, unknown> = { name: a.name };
        if (a.title !== undefined) o.title = a.title;
        if (a.description !== undefined) o.description = a.description;
        if (a.requiredAsWritten !== undefined) o.required = a.requiredAsWritten;
        return o;
      });
      L.push(`    arguments: ${lit(args)},`);
    }
    L.push(...accessMembers(p));
    if (p.template !== undefined) {
      L.push(`    get: (args: Record<string, string>) => ${compilePromptTemplate(p.template)},`);
    } else if (p.messages !== undefined) {
      L.push("    get: (args: Record<string, string>) => [");
      for (const m of p.messages) L.push(`      { role: ${lit(m.role)}, content: ${compilePromptTemplate(m.text)} },`);
      L.push("    ],");
    } else {
      L.push(`    get: ${ns("prompt", p.name)}.get as any,`);
    }
    const completes = p.arguments.filter((a) => a.complete);
    if (completes.length > 0) {
      const n = ns("prompt", p.name);
      L.push(`    complete: { ${completes.map((a) => `${objectKey(a.name)}: ${n}.${a.exportName}`).join(", ")} },`);
    }
    L.push("  });");
  }
  L.push("");
  L.push("  return server;");
  L.push("}");
  return L.join("\n") + "\n";
}
