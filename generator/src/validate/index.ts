export { validateManifest, type ValidateOptions, type ValidationResult } from './validateManifest.js';
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './codes.js';
export { findManifestSchemaFile, manifestValidators, MANIFEST_SCHEMA_ID, type ManifestValidators } from './manifestSchema.js';
export { collapseAlternatives, reportsFromAjv } from './ajvErrors.js';
export { didYouMean, editDistance } from './suggest.js';
export { SEMANTIC_CHECKS, parseUriTemplate, templateVariables, scanHandlebars, resolveTypeRef, parseTypeRef, TYPE_REF_PREFIX } from './checks/index.js';
export type { CheckContext, ParsedTemplate, TemplateExpression, TemplateVariable, Placeholder, ScannedTemplate } from './checks/index.js';
