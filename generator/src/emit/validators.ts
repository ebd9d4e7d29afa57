import Ajv2020Module from "ajv/dist/2020.js";
import standaloneModule from "ajv/dist/standalone/index.js";
import { _ } from "ajv/dist/compile/codegen/index.js";
import { formatNames, formats } from "@mcpgen/runtime/validation";
import type { Model } from "../model/build.js";
import type { Schema } from "../model/schema-refs.js";
import { jsonExpr } from "./escape.js";
import { rewriteStandaloneImports } from "./standalone-rewrite.js";

const Ajv2020 = (Ajv2020Module as any).default ?? Ajv2020Module;
const standaloneCode = (standaloneModule as any).default ?? standaloneModule;

export const RUNTIME_VALIDATION_MODULE = "@mcpgen/runtime/validation";

/**
 * Identifiers may hold any letter (`名前`, `µ`), but ajv's standalone exports must be ASCII:
 * each other character becomes `$<hex>$`, which keeps distinct identifiers distinct.
 */
const ascii = (ident: string) => ident.replace(/[^\x00-\x7f]/gu, (c) => `$${c.codePointAt(0)!.toString(16)}$`);

/** Export names of the validators, by what they check. */
export const validatorName = {
  input: (ident: string) => `${ascii(ident)}Input`,
  output: (ident: string) => `${ascii(ident)}Output`,
  params: (ident: string) => `${ascii(ident)}Params`,
  form: (toolIdent: string, formIdent: string) => `${ascii(toolIdent)}_${ascii(formIdent)}Form`,
};

/** Export names of the wire schemas in schemas.ts. */
export const schemaName = {
  input: (ident: string) => `${ascii(ident)}InputSchema`,
  output: (ident: string) => `${ascii(ident)}OutputSchema`,
  form: (toolIdent: string, formIdent: string) => `${ascii(toolIdent)}_${ascii(formIdent)}FormSchema`,
};

/**
 * The wire schemas (tools/list, elicitation), one JSON literal per line. Like the
 * validators this is data, not code to read, so it is not run through prettier: that
 * keeps generation fast for servers with hundreds of tools.
 */
export function emitSchemas(model: Model): string {
  // Typed as JsonSchema: left to infer a type from the literal, TypeScript can refuse data it
  // finds inconsistent (an `anyOf` of objects with and without a property named `hasOwnProperty`).
  const schema = (name: string, value: unknown) => `export const ${name}: JsonSchema = ${jsonExpr(value)};`;
  const lines: string[] = [];
  for (const t of model.tools) {
    lines.push(schema(schemaName.input(t.ident), t.inputSchema));
    if (t.outputSchema !== undefined) lines.push(schema(schemaName.output(t.ident), t.outputSchema));
    for (const f of t.forms) lines.push(schema(schemaName.form(t.ident, f.ident), f.schema));
  }
  if (lines.length === 0) return "export {};\n";
  return [`import type { JsonSchema } from "@mcpgen/runtime";`, ...lines].join("\n") + "\n";
}

/**
 * Every validator the server needs, precompiled with ajv's standalone mode into one
 * ES module. Generated servers never compile a schema at run time (no `new Function`,
 * so they run on edge runtimes) and do not need ajv installed.
 */
export function emitValidators(model: Model): string {
  const schemas = new Map<string, Schema>();
  for (const t of model.tools) {
    schemas.set(validatorName.input(t.ident), t.inputSchema);
    if (t.outputSchema !== undefined) schemas.set(validatorName.output(t.ident), t.outputSchema);
    for (const f of t.forms) schemas.set(validatorName.form(t.ident, f.ident), f.schema);
  }
  for (const t of model.templates) schemas.set(validatorName.params(t.ident), t.paramsSchema);
  if (schemas.size === 0) return "export {};\n";

  const ajv = new Ajv2020({
    code: { source: true, esm: true, formats: _`formats`, lines: false },
    allErrors: true,
    strict: false,
    logger: false,
    validateFormats: true,
    // A property the caller leaves out arrives in the handler with its schema's `default`
    // (as pydantic and zod do), so the generated input type can say it is present.
    useDefaults: true,
  });
  const known = new Set<string>(formatNames);
  for (const name of formatNames) ajv.addFormat(name, (formats as any)[name]);
  for (const schema of schemas.values()) {
    for (const f of usedFormats(schema)) {
      // Unknown formats are annotations in 2020-12: accept any value.
      if (!known.has(f)) {
        ajv.addFormat(f, true);
        known.add(f);
      }
    }
  }
  const refs: Record<string, string> = {};
  const wrapped: string[] = [];
  for (const [name, schema] of schemas) {
    ajv.addSchema(forCompile(schema), `mcpgen:${name}`);
    // See `ownKeys` in the runtime: only these validators pay for it.
    const exportName = namesPrototypeMember(schema) ? `${name}__inherited` : name;
    if (exportName !== name) wrapped.push(name);
    refs[exportName] = `mcpgen:${name}`;
  }
  const code: string = rewriteStandaloneImports(standaloneCode(ajv, refs), RUNTIME_VALIDATION_MODULE);
  if (wrapped.length === 0) return code;
  return [
    `import { ownKeys } from ${JSON.stringify(RUNTIME_VALIDATION_MODULE)};`,
    code.trimEnd(),
    ...wrapped.map((name) => `export const ${name} = ownKeys(${name}__inherited);`),
  ].join("\n") + "\n";
}

const PROTOTYPE_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Does a schema name a property like an `Object.prototype` member (`constructor`, `__proto__`)? */
function namesPrototypeMember(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(namesPrototypeMember);
  if (!node || typeof node !== "object") return false;
  const o = node as Record<string, unknown>;
  const props = o.properties;
  if (props && typeof props === "object" && Object.keys(props).some((k) => PROTOTYPE_MEMBERS.has(k))) return true;
  if (Array.isArray(o.required) && o.required.some((k) => PROTOTYPE_MEMBERS.has(k as string))) return true;
  return Object.values(o).some(namesPrototypeMember);
}

/** Keywords that only matter for resolution on the wire are dropped for compiling. */
function forCompile(schema: Schema): Schema {
  if (typeof schema !== "object") return schema;
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

function usedFormats(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const x of node) usedFormats(x, out);
  else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (typeof o.format === "string") out.add(o.format);
    for (const v of Object.values(o)) usedFormats(v, out);
  }
  return out;
}
