import { posix } from 'node:path';
import { MANIFEST_DEFAULTS } from '../../manifest.js';
import { isRecord } from '../guards.js';
import type { CheckContext } from './context.js';

function normalize(p: string): string {
  const n = posix.normalize(p.replace(/\\/g, '/')).replace(/\/+$/, '');
  return n === '' ? '.' : n;
}

function contains(folder: string, inner: string): boolean {
  return folder === inner || folder === '.' || inner.startsWith(`${folder}/`);
}

/**
 * `out` is rewritten on every run; if the author's handlers or entry lived inside it, their
 * code would be lost. Catch that here rather than after the first destructive run.
 */
export function checkGenerate(ctx: CheckContext): void {
  const generate = ctx.root.generate;
  if (!isRecord(generate)) return;
  const get = (key: 'out' | 'handlers' | 'entry') => (typeof generate[key] === 'string' ? (generate[key] as string) : MANIFEST_DEFAULTS.generate[key]);
  const out = normalize(get('out'));
  const handlers = normalize(get('handlers'));
  const entry = normalize(get('entry'));
  const at = (key: string) => (key in generate ? ['generate', key] : ['generate']);
  if (contains(out, handlers) || contains(handlers, out)) {
    ctx.report({
      code: 'generate-overlap',
      message: `generate.out (\`${out}\`) and generate.handlers (\`${handlers}\`) overlap: mcpgen rewrites out on every run, which would destroy handlers`,
      hint: 'use separate folders, such as src/generated and src/handlers',
      at: at('handlers' in generate ? 'handlers' : 'out'),
    });
  }
  if (contains(out, entry)) {
    ctx.report({
      code: 'generate-overlap',
      message: `generate.entry (\`${entry}\`) is inside generate.out (\`${out}\`), which mcpgen rewrites on every run`,
      hint: 'put the entry outside the generated folder, such as src/server.ts',
      at: at('entry' in generate ? 'entry' : 'out'),
    });
  }
}
