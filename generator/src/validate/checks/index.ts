import { checkAuth } from './auth.js';
import { checkCollisions } from './collisions.js';
import type { CheckContext } from './context.js';
import { checkElicitation } from './elicit.js';
import { checkGenerate } from './generate.js';
import { checkNames } from './names.js';
import { checkPrompts } from './prompts.js';
import { checkResources } from './resources.js';
import { checkSchemas } from './schemas.js';

export type { CheckContext } from './context.js';
export { parseUriTemplate, templateVariables, type ParsedTemplate, type TemplateExpression, type TemplateVariable } from './uriTemplate.js';
export { scanHandlebars, type Placeholder, type ScannedTemplate } from './handlebars.js';
export { resolveTypeRef, parseTypeRef, TYPE_REF_PREFIX } from './typeRefs.js';

/** The semantic checks, in a fixed order (output is sorted anyway; the order keeps runs reproducible). */
export const SEMANTIC_CHECKS: readonly { name: string; run: (ctx: CheckContext) => void }[] = [
  { name: 'names', run: checkNames },
  { name: 'collisions', run: checkCollisions },
  { name: 'schemas', run: checkSchemas },
  { name: 'elicitation', run: checkElicitation },
  { name: 'resources', run: checkResources },
  { name: 'prompts', run: checkPrompts },
  { name: 'auth', run: checkAuth },
  { name: 'generate', run: checkGenerate },
];
