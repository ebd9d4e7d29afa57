import { compile } from "json-schema-to-typescript";
import type { Model } from "../model/build.js";
import { toTypeName } from "../naming/names.js";
import { setOwn } from "../model/own.js";
import { relocateSchema, typeRefName, type Schema } from "../model/schema-refs.js";
import { jsdocText } from "./escape.js";
import { forTypeCompile, KeyCodec } from "./type-schema.js";

/**
 * Every TypeScript type of the server, from one JSON Schema document whose `$defs`
 * hold the shared types and one entry per tool input/output, template parameters,
 * prompt arguments and elicitation form. One compile means shared types are emitted
 * once and reused by name.
 */
export async function emitTypes(model: Model): Promise<string> {
  const defs: Record<string, Schema> = {};
  const aliases: string[] = [];
  const keys = new KeyCodec();
  // A type that is only a reference (`A: {$ref: "#/types/B"}`) is emitted as an alias and has
  // no definition of its own in the compiled document: references to it point at what it names.
  const byName = new Map(model.types.map((t) => [t.name, t.schema]));
  const definedTypeName = (name: string): string => {
    const seen = new Set([name]);
    let current = name;
    let target = pureTypeRef(byName.get(current) ?? {});
    // Validation refused cycles of bare references (ref-cycle); `seen` only guards the loop.
    while (target !== undefined && byName.has(target) && !seen.has(target)) {
      seen.add(target);
      current = target;
      target = pureTypeRef(byName.get(current) ?? {});
    }
    return toTypeName(current);
  };
  const add = (typeName: string, schema: Schema, description?: string, callerView = false) => {
    const target = pureTypeRef(schema);
    if (target) {
      // A bare reference becomes an alias, so the shared type keeps one name.
      aliases.push(`${description ? `/** ${jsdocText(description)} */\n` : ""}export type ${typeName} = ${definedTypeName(target)};`);
      return;
    }
    const relocated = relocateSchema(schema, typeName, definedTypeName);
    const s = forTypeCompile(relocated, typeName, keys, !callerView);
    // The title names the generated type; the author's own title stays on the wire schema.
    s.title = typeName;
    if (description && s.description === undefined) s.description = description;
    defs[typeName] = s;
  };
  for (const t of model.types) add(t.typeName, t.schema);
  for (const tool of model.tools) {
    add(tool.inputType, tool.inputTypeSchema, tool.argumentsType ? `Arguments of the '${tool.name}' tool, as the handler receives them (defaults filled in).` : `Arguments of the '${tool.name}' tool.`);
    if (tool.argumentsType) add(tool.argumentsType, tool.inputTypeSchema, `Arguments of the '${tool.name}' tool, as a caller sends them (properties with a default may be left out).`, true);
    if (tool.outputTypeSchema !== undefined) add(tool.outputType, tool.outputTypeSchema, `What the '${tool.name}' tool returns.`);
    for (const f of tool.forms) add(f.typeName, f.typeSchema, `Answer to the '${f.name}' question of '${tool.name}'.`);
  }
  for (const t of model.templates) {
    add(t.paramsType, t.paramsTypeSchema, `Variables of the '${t.uriTemplate}' template.`);
  }
  for (const p of model.prompts) {
    const properties: Record<string, Schema> = {};
    for (const a of p.arguments) setOwn(properties, a.name, a.description ? { type: "string", description: a.description } : { type: "string" });
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
  return keys.decode(cleanUp(ts)) + (aliases.length > 0 ? "\n" + aliases.join("\n") + "\n" : "");
}

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
      .replace(/\n \* ?\n \* This interface was referenced by `[^`]*`'s JSON-Schema\n \* via the `definition` "[^"]*"\./g, "")
      .replace(/\/\*\*\n \* This interface was referenced by `[^`]*`'s JSON-Schema\n \* via the `definition` "[^"]*"\.\n \*\/\n/g, "")
      .trim() + "\n"
  );
}
