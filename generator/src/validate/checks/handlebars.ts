/**
 * A tolerant scanner for the Handlebars subset prompt templates use. It does not render; it
 * finds the argument names a template reads (`{{name}}`, `{{{name}}}`, `{{#if name}}`,
 * `{{lookup name "x"}}`) and unbalanced tags, which is all validation needs.
 */

export interface Placeholder {
  /** The root name read (`user` for `{{user.name}}`). */
  name: string;
  /** The whole tag (`{{#if notes}}`), to point at it in the source. */
  tag: string;
  /** Offset of the tag in the template. */
  offset: number;
}

export interface TemplateIssue {
  message: string;
  tag: string;
  offset: number;
}

export interface ScannedTemplate {
  placeholders: Placeholder[];
  issues: TemplateIssue[];
}

const BUILTIN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);
/** Blocks whose body reads from a different context: names inside are not arguments. */
const CONTEXT_BLOCKS = new Set(['each', 'with']);
const LITERALS = new Set(['true', 'false', 'null', 'undefined', 'as']);
const TOKEN = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\[[^\]]*\]|\|[^|]*\||[()]|[^\s()]+/g;

/** The argument a path expression starts from, or undefined for `this`, `@index`, `../x`, literals. */
function rootName(token: string): string | undefined {
  if (/^["'|(0-9-]/.test(token) || token === ')' || LITERALS.has(token)) return undefined;
  let path = token;
  const eq = path.indexOf('=');
  if (eq > 0 && !path.startsWith('[')) path = path.slice(eq + 1); // hash argument `key=value`
  if (path === '' || /^["'0-9-]/.test(path) || LITERALS.has(path)) return undefined;
  if (path.startsWith('@') || path.startsWith('..') || path === 'this' || path === '.') return undefined;
  path = path.replace(/^(this|\.)[./]/, '');
  const first = path.startsWith('[') ? path.slice(1, path.indexOf(']') > 0 ? path.indexOf(']') : undefined) : path.split(/[./]/)[0];
  return first === '' || first === 'this' ? undefined : first;
}

function tokens(body: string): string[] {
  return body.match(TOKEN) ?? [];
}

/** Names read by the tokens of one tag; the first token is a helper when arguments follow it. */
function namesIn(list: string[], firstIsHelper: boolean): string[] {
  const names: string[] = [];
  let expectHelper = firstIsHelper;
  for (const token of list) {
    if (token === '(') {
      expectHelper = true; // a subexpression starts with its helper
      continue;
    }
    if (expectHelper) {
      expectHelper = false;
      continue;
    }
    const name = rootName(token);
    if (name !== undefined) names.push(name);
  }
  return names;
}

export function scanHandlebars(template: string): ScannedTemplate {
  const placeholders: Placeholder[] = [];
  const issues: TemplateIssue[] = [];
  const blocks: { name: string; tag: string; offset: number; changesContext: boolean }[] = [];
  /** > 0 while inside an each/with block, whose names refer to another context. */
  let contextDepth = 0;
  let i = 0;
  for (;;) {
    const open = template.indexOf('{{', i);
    if (open < 0) break;
    if (open > 0 && template[open - 1] === '\\') {
      i = open + 2; // `\{{` is a literal `{{`
      continue;
    }
    const triple = template.startsWith('{{{', open);
    const isLongComment = template.startsWith('{{!--', open) || template.startsWith('{{~!--', open);
    const closer = triple ? '}}}' : isLongComment ? '--}}' : '}}';
    const close = template.indexOf(closer, open + (triple ? 3 : 2));
    if (close < 0) {
      issues.push({ message: `\`${triple ? '{{{' : '{{'}\` is never closed`, tag: triple ? '{{{' : '{{', offset: open });
      break;
    }
    const end = close + closer.length;
    const tag = template.slice(open, end);
    i = end;
    let body = template.slice(open + (triple ? 3 : 2), close).trim();
    body = body.replace(/^~/, '').replace(/~$/, '').trim();
    if (isLongComment || body.startsWith('!')) continue;
    const sigil = body[0] ?? '';
    if (sigil === '>') {
      issues.push({ message: 'partials (`{{> name}}`) are not available in prompt templates', tag, offset: open });
      continue;
    }
    if (sigil === '^' && body.slice(1).trim() === '') continue; // `{{^}}` is `{{else}}`
    if (sigil === '#' || sigil === '^') {
      const list = tokens(body.slice(1).trim());
      const helper = list[0] ?? '';
      const isHelper = BUILTIN_HELPERS.has(helper) || (sigil === '#' && list.length > 1);
      if (contextDepth === 0) {
        for (const name of namesIn(list, isHelper)) placeholders.push({ name, tag, offset: open });
      }
      // `{{#name}}` without a helper renders its body with `name` as the context, like `with`.
      const changesContext = CONTEXT_BLOCKS.has(helper) || (!isHelper && sigil === '#');
      if (changesContext) contextDepth++;
      blocks.push({ name: helper, tag, offset: open, changesContext });
      continue;
    }
    if (sigil === '/') {
      const name = body.slice(1).trim();
      const top = blocks.pop();
      if (!top) {
        issues.push({ message: `\`${tag}\` closes a block that was never opened`, tag, offset: open });
      } else {
        if (top.changesContext) contextDepth--;
        if (top.name !== name) issues.push({ message: `\`${tag}\` does not match the open \`{{#${top.name}}}\` block`, tag, offset: open });
      }
      continue;
    }
    const list = tokens(sigil === '&' ? body.slice(1) : body);
    if (list[0] === 'else' || list.length === 0) {
      if (contextDepth === 0) for (const name of namesIn(list.slice(1), true)) placeholders.push({ name, tag, offset: open });
      continue;
    }
    if (contextDepth > 0) continue;
    for (const name of namesIn(list, list.length > 1)) placeholders.push({ name, tag, offset: open });
  }
  for (const block of blocks) issues.push({ message: `\`${block.tag}\` is never closed with \`{{/${block.name}}}\``, tag: block.tag, offset: block.offset });
  return { placeholders, issues };
}
