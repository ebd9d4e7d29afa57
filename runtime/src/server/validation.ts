import type { JsonSchema } from "../protocol/types.js";

/** An ajv-style error object, as produced by precompiled (standalone) validators. */
export interface ValidationIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, any>;
  message?: string;
}

/**
 * A validator function with ajv's calling convention. The generator emits these
 * precompiled; the runtime only compiles (with ajv, an optional peer) when handed a raw schema.
 */
export interface ValidateFn {
  (data: unknown): boolean;
  errors?: ValidationIssue[] | null;
}

let ajvPromise: Promise<any> | undefined;

/** Compiles a raw schema at run time. Needs the optional `ajv` peer dependency. */
export async function compileSchema(schema: JsonSchema): Promise<ValidateFn> {
  ajvPromise ??= (async () => {
    try {
      const mod: any = await import("ajv/dist/2020.js");
      const Ajv = mod.default?.default ?? mod.default ?? mod;
      const { formats, formatNames } = await import("./validation-runtime.js");
      // useDefaults: as in generated validators, omitted properties get their schema's default.
      const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, useDefaults: true });
      for (const name of formatNames as readonly string[]) ajv.addFormat(name, (formats as any)[name]);
      return ajv;
    } catch (error) {
      throw new Error(
        "A raw JSON Schema was registered without a precompiled validator, and the optional peer dependency 'ajv' is not installed. " +
          "Run `npm install ajv`, or let mcpgen precompile validators.",
        { cause: error },
      );
    }
  })();
  const ajv = await ajvPromise;
  return ajv.compile(schema) as ValidateFn;
}

/** Resolves the validator for a schema once; later calls reuse it. */
export class LazyValidator {
  private fn?: ValidateFn;
  private pending?: Promise<ValidateFn>;
  constructor(private readonly schema: JsonSchema | undefined, precompiled?: ValidateFn) {
    this.fn = precompiled;
  }
  /** Returns undefined when valid, else a readable description of every problem. */
  check(data: unknown): string | undefined | Promise<string | undefined> {
    if (this.fn) return describe(this.fn, data);
    if (!this.schema) return undefined;
    this.pending ??= compileSchema(this.schema).then((fn) => (this.fn = fn));
    return this.pending.then((fn) => describe(fn, data));
  }
}

function describe(fn: ValidateFn, data: unknown): string | undefined {
  if (fn(data)) return undefined;
  return formatIssues(fn.errors ?? []);
}

/**
 * Turns validator errors into text a model can act on: where, what was expected, and
 * what the allowed values are. One line per problem.
 */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  const lines = new Set<string>();
  for (const issue of issues) {
    if (issue.keyword === "if" || issue.keyword === "anyOf" && issues.length > 1) continue;
    lines.add(formatIssue(issue));
  }
  if (lines.size === 0 && issues.length > 0) lines.add(formatIssue(issues[0]!));
  return [...lines].join("\n");
}

function formatIssue(issue: ValidationIssue): string {
  const where = issue.instancePath ? pointerToPath(issue.instancePath) : "arguments";
  const p = issue.params;
  switch (issue.keyword) {
    case "required":
      return `${where}: missing required property '${p.missingProperty}'`;
    case "additionalProperties":
      return `${where}: unexpected property '${p.additionalProperty}'`;
    case "unevaluatedProperties":
      return `${where}: unexpected property '${p.unevaluatedProperty}'`;
    case "type":
      return `${where}: must be ${p.type}`;
    case "enum":
      return `${where}: must be one of ${JSON.stringify(p.allowedValues)}`;
    case "const":
      return `${where}: must be ${JSON.stringify(p.allowedValue)}`;
    case "format":
      return `${where}: must be a valid ${p.format}`;
    default:
      return `${where}: ${issue.message ?? issue.keyword}`;
  }
}

/** `/items/0/name` → `items[0].name`, which reads naturally to a model. */
function pointerToPath(pointer: string): string {
  let out = "";
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

