import type { Severity } from '../diagnostics/index.js';

/**
 * Every diagnostic code the front end produces, with its severity and what it means. Codes are
 * stable: scripts and docs match on them, so rename one only with a major version.
 */
export const DIAGNOSTIC_CODES = {
  // loading (generator/src/load)
  'yaml-syntax': { severity: 'error', summary: 'The file is not valid YAML.' },
  'yaml-duplicate-key': { severity: 'error', summary: 'A key appears twice in one mapping.' },
  'yaml-too-complex': { severity: 'error', summary: 'Nesting or alias expansion beyond safe limits.' },
  'yaml-warning': { severity: 'warning', summary: 'A YAML construct mcpgen ignores (an unknown tag).' },
  // shape (schemas/mcp.schema.json)
  'manifest-empty': { severity: 'error', summary: 'The file has no content.' },
  'manifest-type': { severity: 'error', summary: 'The file is not a mapping of keys.' },
  'version-unsupported': { severity: 'error', summary: 'version is missing or not 1.' },
  'unknown-key': { severity: 'error', summary: 'A key the manifest format does not define.' },
  'missing-key': { severity: 'error', summary: 'A required key is absent.' },
  'wrong-type': { severity: 'error', summary: 'A value has the wrong type.' },
  'invalid-value': { severity: 'error', summary: 'A value is outside what the key allows.' },
  // names
  'name-invalid': { severity: 'error', summary: 'A tool, resource or prompt name is not 1-128 characters of A-Z a-z 0-9 _ . -' },
  'name-too-long': { severity: 'warning', summary: 'A name longer than 64 characters, which many clients reject.' },
  'name-collision': { severity: 'error', summary: 'Two names map to the same identifier, type, file or completion handler in generated code.' },
  // JSON Schemas
  'ref-unknown-type': { severity: 'error', summary: 'A $ref names a type that types does not declare.' },
  'ref-invalid': { severity: 'error', summary: 'A #/types/... $ref that does not resolve.' },
  'ref-cycle': { severity: 'error', summary: 'Types that are only references to each other, in a cycle: no type is ever defined.' },
  'schema-invalid': { severity: 'error', summary: 'An embedded JSON Schema is not valid 2020-12.' },
  'schema-keyword-typo': { severity: 'warning', summary: 'An unknown JSON Schema keyword close to a known one.' },
  'tool-input-not-object': { severity: 'error', summary: 'A tool input that is not an object schema.' },
  'tool-header-invalid': { severity: 'error', summary: 'An x-mcp-header annotation 2026-07-28 clients reject (not a primitive property reached through properties, not a header token, or used twice).' },
  // elicitation
  'elicit-not-flat': { severity: 'error', summary: 'An elicitation form that is not a flat object of primitives.' },
  'elicit-unsupported-keyword': { severity: 'warning', summary: 'A keyword MCP elicitation forms do not define; clients may ignore it.' },
  'elicit-required-unknown': { severity: 'error', summary: 'An elicitation form requires a property it does not define.' },
  // resources
  'resource-uri-invalid': { severity: 'error', summary: 'A resource uri that is not an absolute URI or a well-formed RFC 6570 template.' },
  'resource-uri-duplicate': { severity: 'error', summary: 'Two resources with the same uri, or templates matching the same URIs.' },
  'resource-uri-shadowed': { severity: 'warning', summary: 'A static uri that a template also matches.' },
  'resource-param-unknown': { severity: 'error', summary: 'A params entry that is not a variable of the uri template.' },
  'resource-complete-unknown': { severity: 'error', summary: 'A complete entry that is not a variable of the uri template.' },
  'resource-content-templated': { severity: 'error', summary: 'text or file on a templated resource.' },
  'resource-content-conflict': { severity: 'error', summary: 'text and file on the same resource.' },
  'resource-file-missing': { severity: 'warning', summary: 'A resource file that does not exist (yet).' },
  'resource-list-static': { severity: 'warning', summary: 'list on a static resource, which is listed anyway.' },
  // prompts
  'prompt-content-conflict': { severity: 'error', summary: 'template and messages on the same prompt.' },
  'prompt-placeholder-unknown': { severity: 'error', summary: 'A Handlebars placeholder that names no declared argument.' },
  'prompt-template-syntax': { severity: 'error', summary: 'A Handlebars tag that is never closed.' },
  // auth, http, generate
  'auth-incomplete': { severity: 'error', summary: 'The chosen verifier lacks the settings it needs.' },
  'scopes-without-auth': { severity: 'warning', summary: 'scopes on an item while auth is not configured.' },
  'auth-needs-jose': { severity: 'warning', summary: 'The jwt verifier in a project whose package.json does not list the jose package.' },
  'generate-overlap': { severity: 'error', summary: 'generate folders that overlap, so one would overwrite the other.' },
  // internal
  'internal-error': { severity: 'error', summary: 'A bug in mcpgen: please report it.' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
