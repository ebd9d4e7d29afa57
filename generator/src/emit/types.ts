import { compile } from "json-schema-to-typescript";
import type { Model } from "../model/build.js";
import { toTypeName } from "../model/names.js";
import { relocateSchema, typeRefName, type Schema } from "../model/schema-refs.js";

/**
 * Every TypeScript type of the server, from one JSON Schema document whose `$defs`
 * hold the shared types and one entry per tool input/output, template parameters,
 * prompt arguments and elicitation form. One compile means shared types are emitted
 * once and reused by name.
 */
export async function emitTypes(model: Model): Promise<string> {
  const defs: Record<string, Schema> = {};
  const aliases: string[] = [];
  const add = (typeName: string, schema: Schema, description?: string) => {
    const target = pureTypeRef(schema);
    if (target) {
      // A bare reference becomes an alias, so the shared type keeps one name.
      aliases.push(`${description ? `/** ${description} */\n` : ""}export type ${typeName} = ${toTypeName(target)};`);
      return;
    }
    const s = typeof schema === "boolean" ? (schema ? {} : { not: {} }) : { ...(wrapRefSiblings(relocateSchema(schema, typeName, toTypeName)) as object) };
    // The title names the generated type; the author's own title stays on the wire schema.
    (s as Record<string, unknown>).title = typeName;
    if (description && (s as Record<string, unknown>).description === undefined) (s as Record<string, unknown>).description = description;
    defs[typeName] = s;
  };
  for (const t of model.types) add(t.typeName, t.schema);
  for (const tool of model.tools) {
    add(tool.inputType, tool.inputTypeSchema, `Arguments of the '${tool.name}' tool.`);
    if (tool.outputTypeSchema !== undefined) add(tool.outputType, tool.outputTypeSchema, `What the '${tool.name}' tool returns.`);
    for (const f of tool.forms) add(f.typeName, f.typeSchema, `Answer to the '${f.name}' question of '${tool.name}'.`);
  }
  for (const t of model.templates) {
    add(t.paramsType, t.paramsTypeSchema, `Variables of the '${t.uriTemplate}' template.`);
  }
  for (const p of model.prompts) {
    const properties: Record<string, Schema> = {};
    for (const a of p.arguments) properties[a.name] = a.description ? { type: "string", description: a.description } : { type: "string" };
    add(p.argsType, {
      type: "object",
      properties,
      required: p.arguments.filter((a) => a.required).map((a) => a.name),
      additionalProperties: false,
    }, `Arguments of the '${p.name}' prompt.`);
  }
  const names = Object.keys(defs);
  if (names.length === 0) return aliases.length > 0 ? aliases.join("\n") + "\n" : "export {};\n";
  const root = {
    title: "McpgenAllTypes",
    type: "object",
    properties: Object.fromEntries(names.map((n) => [n, { $ref: `#/$defs/${n}` }])),
    additionalProperties: false,
    $defs: defs,
  };
  const ts = await compile(root as any, "McpgenAllTypes", {
    bannerComment: "",
    format: false,
    declareExternallyReferenced: true,
    unreachableDefinitions: true,
    additionalProperties: false,
    strictIndexSignatures: false,
    enableConstEnums: false,
    $refOptions: { resolve: { external: false } } as any,
  });
  return cleanUp(ts) + (aliases.length > 0 ? "\n" + aliases.join("\n") + "\n" : "");
}

/**
 * For the TypeScript compile only (wire schemas keep what the author wrote): a `$ref`
 * with siblings becomes `{allOf: [{$ref}], …siblings}`, which means the same in 2020-12,
 * minus annotations that do not change the type. json-schema-to-typescript would
 * otherwise inline the referenced type, or emit a copy of it (`Unit1`), instead of
 * reusing its name.
 */
function wrapRefSiblings(schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map((x) => wrapRefSiblings(x as Schema)) as unknown as Schema;
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = v && typeof v === "object" ? wrapRefSiblings(v as Schema) : v;
  if (typeof out.$ref === "string" && Object.keys(out).length > 1) {
    const { $ref, ...siblings } = out;
    // Annotations that do not change the type would only make it `Unit & string`.
    for (const k of TYPE_NEUTRAL) delete siblings[k];
    return Object.keys(siblings).length === 0 ? { $ref } : { allOf: [{ $ref }], ...siblings };
  }
  return out;
}

const TYPE_NEUTRAL = ["default", "examples", "$comment", "deprecated", "readOnly", "writeOnly"];

function pureTypeRef(schema: Schema): string | undefined {
  if (typeof schema !== "object") return undefined;
  const keys = Object.keys(schema).filter((k) => k !== "description");
  return keys.length === 1 && keys[0] === "$ref" ? typeRefName(schema.$ref) : undefined;
}

/** Drops the synthetic root type and json-schema-to-typescript's provenance comments. */
function cleanUp(ts: string): string {
  return (
    ts
      .replace(/export interface McpgenAllTypes \{[\s\S]*?\n\}\n?/, "")
      .replace(/\n \* ?\n \* This interface was referenced by `McpgenAllTypes`'s JSON-Schema\n \* via the `definition` "[^"]*"\./g, "")
      .replace(/\/\*\*\n \* This interface was referenced by `McpgenAllTypes`'s JSON-Schema\n \* via the `definition` "[^"]*"\.\n \*\/\n/g, "")
      .trim() + "\n"
  );
}
