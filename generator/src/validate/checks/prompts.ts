import { entriesOf, isRecord } from '../guards.js';
import type { JsonPath } from '../../load/index.js';
import { didYouMean, listCode } from '../suggest.js';
import type { CheckContext } from './context.js';
import { scanHandlebars } from './handlebars.js';
import { parsePromptTemplate } from './prompt-ast.js';

function countBefore(text: string, needle: string, offset: number): number {
  return text.slice(0, offset).split(needle).length - 1;
}

function checkText(ctx: CheckContext, promptName: string, text: string, at: JsonPath, argumentNames: string[]): void {
  const scanned = scanHandlebars(text);
  for (const issue of scanned.issues) {
    ctx.report({
      code: 'prompt-template-syntax',
      message: `prompt \`${promptName}\`: ${issue.message}`,
      at,
      text: { needle: issue.tag, occurrence: countBefore(text, issue.tag, issue.offset) },
    });
  }
  if (scanned.issues.length === 0) {
    // What the scanner lets through must also compile (generate would fail on it otherwise).
    const parsed = parsePromptTemplate(text);
    if (!parsed.ok) {
      ctx.report({
        code: 'prompt-template-syntax',
        message: `prompt \`${promptName}\`: ${parsed.message}`,
        at,
        ...(parsed.tag && text.includes(parsed.tag) ? { text: { needle: parsed.tag, occurrence: 0 } } : {}),
      });
    }
  }
  const uses = new Map<string, number>();
  for (const p of scanned.placeholders) uses.set(p.name, (uses.get(p.name) ?? 0) + 1);
  const reported = new Set<string>();
  for (const p of scanned.placeholders) {
    // One report per unknown name, at its first use: the fix is the same for every use.
    if (argumentNames.includes(p.name) || reported.has(p.name)) continue;
    reported.add(p.name);
    const count = uses.get(p.name) ?? 1;
    const suggestion = didYouMean(p.name, argumentNames);
    const declared =
      argumentNames.length > 0
        ? `declared arguments: ${listCode(argumentNames)}`
        : `the prompt declares no arguments: add \`arguments: { ${p.name}: { required: true } }\``;
    ctx.report({
      code: 'prompt-placeholder-unknown',
      message: `\`${p.tag}\` in prompt \`${promptName}\` uses \`${p.name}\`, which is not one of its arguments${count > 1 ? ` (used ${count} times)` : ''}`,
      hint: suggestion ? `did you mean \`${suggestion}\`? ${declared}` : declared,
      at,
      text: { needle: p.tag, occurrence: countBefore(text, p.tag, p.offset) },
    });
  }
}

/** template vs messages, and Handlebars placeholders against declared arguments. */
export function checkPrompts(ctx: CheckContext): void {
  for (const [name, prompt] of entriesOf(ctx.root.prompts)) {
    if (!isRecord(prompt)) continue;
    const argumentNames = Object.keys(isRecord(prompt.arguments) ? prompt.arguments : {});
    if ('template' in prompt && 'messages' in prompt) {
      ctx.report({
        code: 'prompt-content-conflict',
        message: `prompt \`${name}\` has both \`template\` and \`messages\`; choose one`,
        hint: '`template` is shorthand for a single user message',
        at: ['prompts', name, 'messages'],
        target: 'key',
      });
    }
    if (typeof prompt.template === 'string') checkText(ctx, name, prompt.template, ['prompts', name, 'template'], argumentNames);
    if (Array.isArray(prompt.messages)) {
      prompt.messages.forEach((message, i) => {
        if (isRecord(message) && typeof message.text === 'string') {
          checkText(ctx, name, message.text, ['prompts', name, 'messages', i, 'text'], argumentNames);
        }
      });
    }
  }
}
