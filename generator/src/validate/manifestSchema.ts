import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

type Ajv2020 = import('ajv/dist/2020.js').default;
// ajv is CommonJS: under NodeNext the default import is `module.exports`, whose `.default` is the class.
const Ajv2020Class = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as typeof import('ajv/dist/2020.js').default;

export const MANIFEST_SCHEMA_ID = 'https://mcpgen.dev/schemas/mcp.schema.json';
const SCHEMA_FILE = join('schemas', 'mcp.schema.json');

/**
 * The schema lives at the repository root (schemas/mcp.schema.json, the single source) and the
 * build copies it to the package root (generator/schemas/, published as mcpgen/schemas/).
 * Running from TypeScript sources, read the repository's file so an edit takes effect without a
 * build; running compiled or installed, take the first copy found walking up from this module.
 */
export function findManifestSchemaFile(from: string = dirname(fileURLToPath(import.meta.url))): string {
  if (import.meta.url.endsWith('.ts')) {
    const source = join(from, '..', '..', '..', SCHEMA_FILE);
    if (existsSync(source)) return source;
  }
  let dir = from;
  for (;;) {
    const candidate = join(dir, SCHEMA_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`mcpgen: cannot find ${SCHEMA_FILE} above ${from}`);
    dir = parent;
  }
}

export interface ManifestValidators {
  ajv: Ajv2020;
  schema: Record<string, unknown>;
  validate: ValidateFunction;
}

let cached: ManifestValidators | undefined;

/** URIs and URLs with a scheme; mcpgen ships no format library, and this is all the manifest needs. */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

/**
 * The ajv instance and the compiled manifest validator, built once per process: compiling is
 * the expensive part (tens of milliseconds); validating a large manifest is not.
 */
export function manifestValidators(): ManifestValidators {
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(findManifestSchemaFile(), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv2020Class({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, validateFormats: true });
  // Editor-only keywords (VS Code / yaml-language-server): allowed in the schema, ignored here.
  ajv.addVocabulary(['markdownDescription', 'patternErrorMessage', 'deprecationMessage']);
  ajv.addFormat('uri', URI);
  const validate = ajv.compile(schema);
  cached = { ajv, schema, validate };
  return cached;
}

export type { ErrorObject };
