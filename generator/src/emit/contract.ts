import type { Model } from "../model/build.js";
import { contractTypeName } from "../naming/names.js";
import { jsdocText, tsString } from "./escape.js";
import { relativeImport } from "./layout.js";

/**
 * The handler contract: one type per function the author writes. Stubs are typed
 * against these, so a schema change makes `tsc` point at the handler that no longer fits.
 */
export function emitContract(model: Model): string {
  const L: string[] = [];
  const runtimeTypes = ["Context", "CompletionContext", "CompletionReturn", "ElicitResult", "ExplicitToolResult", "PromptReturn", "Registered", "Resource", "ResourceReturn", "ToolReturn"];
  if (model.lifespan) runtimeTypes.splice(5, 0, "McpServer");
  if (model.auth?.verifier === "custom") runtimeTypes.push("VerifyTokenFn");
  L.push(`import type { ${runtimeTypes.join(", ")} } from "@mcpgen/runtime";`);
  L.push(`import type * as T from "./types.js";`);
  if (model.lifespan) {
    L.push(`import type { start } from "${relativeImport(model.paths.out, `${model.paths.handlers}/lifespan.ts`)}";`);
  }
  L.push("");
  L.push("type MaybePromise<V> = V | Promise<V>;");
  L.push("");
  if (model.lifespan) {
    L.push(`/** ${jsdocText(`What \`start\` in ${model.paths.handlers}/lifespan.ts returns: \`ctx.app\` in every handler.`)} */`);
    L.push("export type AppContext = Awaited<ReturnType<typeof start>>;");
    L.push("");
    L.push("/** What `start` receives: the server, before `ctx.app` exists (`server.items` switches items at run time). */");
    L.push("export type LifespanServer = McpServer<unknown, ServerItems>;");
  } else {
    L.push("/** No lifespan in mcp.yaml (`lifespan: true` adds one), so handlers get no app context. */");
    L.push("export type AppContext = undefined;");
  }
  L.push("");
  L.push(...itemsType(model));
  L.push("");
  L.push("/** The context every handler receives. */");
  L.push("export type ServerContext = Context<AppContext>;");
  L.push("");
  L.push("/** Completes one prompt argument or template variable. */");
  L.push("export type CompletionHandler = (value: string, context: CompletionContext, ctx: ServerContext) => MaybePromise<CompletionReturn>;");

  for (const t of model.tools) {
    L.push("");
    let ctxType = "ServerContext";
    if (t.forms.length > 0) {
      ctxType = contractTypeName(t.typeName, "Context");
      L.push(`/** ${jsdocText(`Context of the '${t.name}' tool, with its elicitation questions.`)} */`);
      L.push(`export interface ${ctxType} extends ServerContext {`);
      L.push("  elicit: {");
      for (const f of t.forms) {
        L.push(`    /** ${jsdocText(`Asks: ${f.message}`)} */`);
        L.push(`    ${f.ident}(message?: string): Promise<ElicitResult<T.${f.typeName}>>;`);
      }
      L.push("  };");
      L.push("}");
    }
    const ret = t.outputTypeSchema !== undefined ? `T.${t.outputType} | ExplicitToolResult` : "ToolReturn";
    L.push(`/** ${jsdocText(`Handler of the '${t.name}' tool.`)} */`);
    L.push(`export type ${contractTypeName(t.typeName, "Handler")} = (input: T.${t.inputType}, ctx: ${ctxType}) => MaybePromise<${ret}>;`);
  }
  for (const r of model.resources) {
    if (r.text !== undefined || r.blob !== undefined) continue;
    L.push("");
    L.push(`/** ${jsdocText(`Reads the '${r.name}' resource (${r.uri}).`)} */`);
    L.push(`export type ${contractTypeName(r.typeName, "Read")} = (uri: string, ctx: ServerContext) => MaybePromise<ResourceReturn>;`);
  }
  for (const t of model.templates) {
    L.push("");
    L.push(`/** ${jsdocText(`Reads a '${t.name}' resource (${t.uriTemplate}).`)} */`);
    L.push(`export type ${contractTypeName(t.typeName, "Read")} = (params: T.${t.paramsType}, uri: string, ctx: ServerContext) => MaybePromise<ResourceReturn>;`);
    if (t.list) {
      L.push(`/** ${jsdocText(`Lists the concrete '${t.name}' resources for resources/list.`)} */`);
      L.push(`export type ${contractTypeName(t.typeName, "List")} = (ctx: ServerContext) => MaybePromise<(Omit<Resource, "name"> & { name?: string })[]>;`);
    }
  }
  for (const p of model.prompts) {
    if (!p.needsHandler) continue;
    L.push("");
    L.push(`/** ${jsdocText(`Builds the '${p.name}' prompt.`)} */`);
    L.push(`export type ${contractTypeName(p.typeName, "Get")} = (args: T.${p.argsType}, ctx: ServerContext) => MaybePromise<PromptReturn>;`);
  }
  if (model.auth?.verifier === "custom") {
    L.push("");
    L.push("/** Checks a bearer token (auth.verifier: custom): the caller's identity (`ctx.auth`), or undefined to refuse it. */");
    L.push("export type VerifyToken = VerifyTokenFn;");
  }
  return L.join("\n") + "\n";
}

/**
 * `ServerItems`: one run-time handle per manifest item, keyed by its protocol name, so
 * `server.items.tools.<name>.enable()` is checked by the compiler.
 */
function itemsType(model: Model): string[] {
  const members = (names: string[]) => names.map((n) => `    readonly ${tsString(n)}: Registered;`);
  const group = (key: string, names: string[]) =>
    names.length === 0 ? [`  readonly ${key}: {};`] : [`  readonly ${key}: {`, ...members(names), "  };"];
  const resourceNames = [...model.resources, ...model.templates].map((r) => r.name).sort();
  return [
    "/**",
    " * The manifest's items by name, as `server.items` of the server `createServer()` makes: each",
    " * handle's `enable()`/`disable()` changes what clients see at run time (`enabled: false` items",
    " * start disabled) and tells them the list changed.",
    " */",
    "export interface ServerItems {",
    ...group("tools", model.tools.map((t) => t.name)),
    ...group("resources", resourceNames),
    ...group("prompts", model.prompts.map((p) => p.name)),
    "}",
  ];
}
