import { readFileSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import type { Manifest } from "../manifest.js";
import { parseUriTemplate, templateVariables } from "../validate/checks/uriTemplate.js";
import { clientMethodName, codeNameOf, completionExportName, derivedTypeName, elicitFormTypeName, toFileName, toIdentifier, toTypeName } from "../naming/names.js";
import { setOwn } from "./own.js";
import { hasPropertyDefaults, resolveWireSchema, typeRefName, type Schema, type TypeTable } from "./schema-refs.js";

/**
 * The model is the manifest with every decision the emitters need already made:
 * identifiers, type names, file paths, resolved wire schemas. Emitters only print.
 */
export interface Model {
  manifestPath: string;
  server: Manifest["server"];
  paths: { out: string; handlers: string; entry: string };
  emitClient: boolean;
  format: boolean;
  lifespan: boolean;
  types: { name: string; typeName: string; schema: Schema }[];
  tools: ToolModel[];
  resources: ResourceModel[];
  templates: TemplateModel[];
  prompts: PromptModel[];
  http: Record<string, unknown>;
  /** The manifest's `cache:` (2026-07-28 cache hints), as written: the runtime's `CacheOptions`. */
  cache?: Record<string, unknown>;
  /** The manifest's `auth:` as written: its keys are the runtime's `AuthOptions`. */
  auth?: Manifest["auth"];
}

interface ItemCommon {
  /** The protocol name, as clients see it. */
  name: string;
  /** What names in code derive from: the item's `id:` when the manifest gives one, else its name. */
  codeName: string;
  ident: string;
  /** The typed client's method for it. */
  clientMethod: string;
  typeName: string;
  /** Handler file, relative to the handlers folder, POSIX. */
  file: string;
  /** The wire fields sent in lists (title, description, icons, ...), already filtered. */
  meta: Record<string, unknown>;
  scopes?: string[];
  enabled: boolean;
}

export interface FormModel {
  name: string;
  ident: string;
  typeName: string;
  message: string;
  /** Self-contained, for the wire and the validator. */
  schema: Schema;
  /** As written (with `#/types` refs), for type generation. */
  typeSchema: Schema;
}

export interface ToolModel extends ItemCommon {
  /** What the handler receives: properties with a default are present. */
  inputType: string;
  /** What a caller sends, when it differs from `inputType` (the input has defaults). */
  argumentsType?: string;
  outputType: string;
  /** Self-contained, as sent in tools/list. */
  inputSchema: Schema;
  /** As written (with `#/types` refs), for type generation. */
  inputTypeSchema: Schema;
  /** As sent in tools/list (object-typed; wrapped in {result} when the manifest's is not). */
  outputSchema?: Schema;
  wrapOutput: boolean;
  /** The manifest's output as written (for the TS type of the handler's return value). */
  outputTypeSchema?: Schema;
  forms: FormModel[];
  sampling: boolean;
  /** The manifest's `task`, in its object form (`support` always set). */
  task?: { support: "optional" | "required"; ttlMs?: number | null; pollIntervalMs?: number; start?: "call" | "handler" };
}

export interface ResourceModel extends ItemCommon {
  uri: string;
  mimeType?: string;
  subscribe: boolean;
  /** The manifest's `cache` (2026-07-28 hint of its reads). */
  cache?: Record<string, unknown>;
  /** Inline content: no handler. */
  text?: string;
  blob?: string;
}

export interface TemplateModel extends ItemCommon {
  uriTemplate: string;
  mimeType?: string;
  subscribe: boolean;
  cache?: Record<string, unknown>;
  variables: string[];
  paramsType: string;
  /** Self-contained, for the validator. */
  paramsSchema: Schema;
  /** With `#/types` refs, for type generation. */
  paramsTypeSchema: Schema;
  complete: { variable: string; exportName: string }[];
  list: boolean;
}

export interface PromptArgModel {
  name: string;
  title?: string;
  description?: string;
  required: boolean;
  /** `required` as the manifest writes it (listed as written, `false` included). */
  requiredAsWritten?: boolean;
  complete: boolean;
  exportName: string;
}

export interface PromptModel extends ItemCommon {
  argsType: string;
  arguments: PromptArgModel[];
  template?: string;
  messages?: { role: "user" | "assistant"; text: string }[];
  needsHandler: boolean;
}

const pick = (o: Record<string, any>, keys: string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
};

const sortedEntries = <T>(o: Record<string, T> | undefined): [string, T][] =>
  Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const isObjectSchema = (s: Schema | undefined, types: TypeTable): boolean => {
  if (!s || typeof s !== "object") return false;
  const ref = typeRefName(s.$ref);
  if (ref) return isObjectSchema(types[ref], types);
  return s.type === "object" || (s.type === undefined && s.properties !== undefined);
};

export function buildModel(manifest: Manifest, manifestPath: string): Model {
  const m = manifest as any;
  const types: TypeTable = m.types ?? {};
  const gen = m.generate ?? {};
  const baseDir = dirname(manifestPath);

  const tools: ToolModel[] = sortedEntries<any>(m.tools).map(([name, t]) => {
    const code = codeNameOf(name, t);
    const typeName = toTypeName(code);
    const input = t.input ?? { type: "object" };
    const output: Schema | undefined = t.output;
    const wrap = output !== undefined && !isObjectSchema(output, types);
    const wireOutput = output === undefined
      ? undefined
      : wrap
        ? resolveWireSchema({ type: "object", properties: { result: output }, required: ["result"] }, types)
        : resolveWireSchema(output, types);
    return {
      name,
      codeName: code,
      ident: toIdentifier(code),
      clientMethod: clientMethodName("tool", code),
      typeName,
      file: `tools/${toFileName(code)}.ts`,
      meta: pick(t, ["title", "description", "annotations", "icons", "execution", "_meta"]),
      scopes: t.scopes,
      enabled: t.enabled !== false,
      inputType: derivedTypeName("toolInput", code),
      ...(hasPropertyDefaults(input) ? { argumentsType: derivedTypeName("toolArguments", code) } : {}),
      outputType: derivedTypeName("toolOutput", code),
      inputSchema: resolveWireSchema(input, types)!,
      inputTypeSchema: input,
      outputSchema: wireOutput,
      wrapOutput: wrap,
      outputTypeSchema: output,
      sampling: t.sampling === true,
      ...(t.task === undefined ? {} : { task: typeof t.task === "string" ? { support: t.task } : { ...t.task } }),
      forms: sortedEntries<any>(t.elicit).map(([formName, f]) => ({
        name: formName,
        ident: toIdentifier(codeNameOf(formName, f)),
        typeName: elicitFormTypeName(code, codeNameOf(formName, f)),
        message: f.message,
        schema: resolveWireSchema(f.schema, types)!,
        typeSchema: f.schema,
      })),
    };
  });

  const resources: ResourceModel[] = [];
  const templates: TemplateModel[] = [];
  for (const [name, r] of sortedEntries<any>(m.resources)) {
    const code = codeNameOf(name, r);
    const common = {
      name,
      codeName: code,
      ident: toIdentifier(code),
      clientMethod: clientMethodName("read", code),
      typeName: toTypeName(code),
      file: `resources/${toFileName(code)}.ts`,
      meta: pick(r, ["title", "description", "mimeType", "icons", "annotations", "_meta", "size"]),
      scopes: r.scopes,
      enabled: r.enabled !== false,
    };
    const variables = templateVariables(parseUriTemplate(r.uri));
    if (variables.length === 0) {
      const res: ResourceModel = { ...common, uri: r.uri, mimeType: r.mimeType, subscribe: r.subscribe === true };
      if (r.cache) res.cache = { ...r.cache };
      if (typeof r.text === "string") res.text = r.text;
      if (typeof r.file === "string") {
        const bytes = readFileSync(resolvePath(baseDir, r.file));
        if (isTextLike(r.mimeType, bytes)) res.text = bytes.toString("utf8");
        else res.blob = bytes.toString("base64");
      }
      resources.push(res);
    } else {
      const params = r.params ?? {};
      const properties: Record<string, Schema> = {};
      for (const v of variables) setOwn(properties, v, Object.hasOwn(params, v) ? params[v] : { type: "string" });
      const paramsTypeSchema = { type: "object", properties, required: variables, additionalProperties: false };
      const paramsSchema = resolveWireSchema({ type: "object", properties, required: variables }, types)!;
      templates.push({
        ...common,
        uriTemplate: r.uri,
        mimeType: r.mimeType,
        subscribe: r.subscribe === true,
        ...(r.cache ? { cache: { ...r.cache } } : {}),
        variables,
        paramsType: derivedTypeName("resourceParams", code),
        paramsSchema,
        paramsTypeSchema,
        complete: ((r.complete ?? []) as string[]).map((v) => ({ variable: v, exportName: completionExportName(v) })),
        list: r.list === true,
      });
    }
  }

  const prompts: PromptModel[] = sortedEntries<any>(m.prompts).map(([name, p]) => {
    const args: PromptArgModel[] = sortedEntriesInOrder<any>(p.arguments).map(([argName, a]) => ({
      name: argName,
      title: a?.title,
      description: a?.description,
      required: a?.required === true,
      ...(typeof a?.required === "boolean" ? { requiredAsWritten: a.required } : {}),
      complete: a?.complete === true,
      exportName: completionExportName(codeNameOf(argName, a)),
    }));
    const code = codeNameOf(name, p);
    return {
      name,
      codeName: code,
      ident: toIdentifier(code),
      clientMethod: clientMethodName("get", code),
      typeName: toTypeName(code),
      file: `prompts/${toFileName(code)}.ts`,
      argsType: derivedTypeName("promptArguments", code),
      meta: pick(p, ["title", "description", "icons", "_meta"]),
      scopes: p.scopes,
      enabled: p.enabled !== false,
      arguments: args,
      template: p.template,
      messages: p.messages,
      needsHandler: p.template === undefined && p.messages === undefined,
    };
  });

  return {
    manifestPath,
    server: m.server,
    paths: {
      out: normalizeDir(gen.out ?? "src/generated"),
      handlers: normalizeDir(gen.handlers ?? "src/handlers"),
      entry: gen.entry ?? "src/server.ts",
    },
    emitClient: gen.client !== false,
    format: gen.format !== false,
    lifespan: m.lifespan === true,
    types: sortedEntries<Schema>(types).map(([name, schema]) => ({ name, typeName: toTypeName(name), schema })),
    tools,
    resources,
    templates,
    prompts,
    http: m.http ?? {},
    ...(m.cache ? { cache: { ...m.cache } as Record<string, unknown> } : {}),
    auth: m.auth,
  };
}

/** Prompt arguments keep the author's order: it is the order clients show them in. */
function sortedEntriesInOrder<T>(o: Record<string, T> | undefined): [string, T][] {
  return Object.entries(o ?? {});
}

/** A manifest folder setting as a POSIX path relative to the manifest, without `./` or a trailing slash. */
export const normalizeDir = (p: string) => p.replace(/\\/g, "/").replace(/\/+$/, "").replace(/^\.\//, "");

function isTextLike(mimeType: string | undefined, bytes: Buffer): boolean {
  if (mimeType) return mimeType.startsWith("text/") || /json|xml|yaml|javascript|csv|markdown/.test(mimeType);
  return !bytes.includes(0);
}
