import { entriesOf } from '../guards.js';
import type { CheckContext } from './context.js';

const NAME = /^[A-Za-z0-9_.-]+$/;
const MAX_LENGTH = 128;
const CLIENT_FRIENDLY_LENGTH = 64;

/**
 * Only tool names have a character set in MCP (2025-11-25: 1-128 of `[A-Za-z0-9_.-]`), with a
 * warning above 64 because many clients refuse longer ones. Resource, template, prompt,
 * argument, type and question names are any text: generated code derives safe names from them.
 */
const KINDS = [['tools', 'tool']] as const;

export function checkNames(ctx: CheckContext): void {
  for (const [section, kind] of KINDS) {
    for (const [name] of entriesOf(ctx.root[section])) {
      const at = [section, name];
      if (name.length === 0 || name.length > MAX_LENGTH || !NAME.test(name)) {
        const bad = [...name].filter((c) => !/[A-Za-z0-9_.-]/.test(c));
        const detail =
          name.length === 0
            ? 'it is empty'
            : name.length > MAX_LENGTH
              ? `it is ${name.length} characters long, over the limit of ${MAX_LENGTH}`
              : `it contains ${[...new Set(bad)].map((c) => JSON.stringify(c)).join(', ')}`;
        ctx.report({
          code: 'name-invalid',
          message: `${kind} name \`${name}\` is not valid: ${detail}`,
          hint: `${kind} names are 1-${MAX_LENGTH} characters of A-Z a-z 0-9 _ . - (for example \`${name.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, CLIENT_FRIENDLY_LENGTH) || 'my_tool'}\`)`,
          at,
          target: 'key',
        });
      } else if (name.length > CLIENT_FRIENDLY_LENGTH) {
        ctx.report({
          code: 'name-too-long',
          message: `${kind} name \`${name}\` is ${name.length} characters long; many clients reject names over ${CLIENT_FRIENDLY_LENGTH}`,
          hint: `shorten it to ${CLIENT_FRIENDLY_LENGTH} characters or fewer`,
          at,
          target: 'key',
        });
      }
    }
  }
}
