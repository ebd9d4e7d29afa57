import type { JsonPath } from '../../load/index.js';
import { clientMethodName, codeNameOf, completionExportName, derivedTypeName, elicitFormTypeName, toFileName, toIdentifier, toTypeName } from '../../naming/names.js';
import { entriesOf, isRecord } from '../guards.js';
import type { CheckContext } from './context.js';
import { parseUriTemplate } from './uriTemplate.js';

interface Named {
  /** What the name is, for messages: tool `get-sum`. */
  label: string;
  path: JsonPath;
}

/**
 * Reports every item whose mapped name equals an earlier item's. `what` says what collided
 * (identifier, file name, type name) for the message.
 */
function reportCollisions(ctx: CheckContext, items: { key: string; shown: string; item: Named }[], what: string, hint: string): Set<string> {
  const first = new Map<string, Named>();
  const reported = new Set<string>();
  for (const { key, shown, item } of items) {
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, item);
      continue;
    }
    reported.add(JSON.stringify(item.path));
    ctx.report({
      code: 'name-collision',
      message: `${item.label} and ${earlier.label} both become the ${what} \`${shown}\` in generated code`,
      hint,
      at: item.path,
      target: 'key',
    });
  }
  return reported;
}

const RENAME = 'give one of them an `id:` (the name its code uses, such as `id: get_sum_v2`), or rename it: clients see names as written, but generated code needs them distinct';
const RENAME_TYPES = 'rename one of the types: type names appear only in generated code and as `$defs` keys';
const RENAME_TYPE_OR_ITEM = 'rename the type (type names appear only in generated code and as `$defs` keys), or give the item an `id:`';

/** Returns the paths already reported, so type-name checks do not repeat the same clash. */
function checkSection(ctx: CheckContext, section: 'tools' | 'resources' | 'prompts', kind: string): Set<string> {
  const items = entriesOf(ctx.root[section]).map(([key, value]) => ({ name: codeNameOf(key, value), item: { label: `${kind} \`${key}\``, path: [section, key] } }));
  const byIdentifier = reportCollisions(
    ctx,
    items.map(({ name, item }) => ({ key: toIdentifier(name), shown: toIdentifier(name), item })),
    'identifier',
    RENAME,
  );
  // Handler files: macOS and Windows file systems ignore case, so `Foo.ts` and `foo.ts` clash.
  reportCollisions(
    ctx,
    items
      .filter(({ item }) => !byIdentifier.has(JSON.stringify(item.path)))
      .map(({ name, item }) => ({ key: toFileName(name).toLowerCase(), shown: `${toFileName(name)}.ts`, item })),
    'file name (ignoring case)',
    RENAME,
  );
  return byIdentifier;
}

function checkTypeNames(ctx: CheckContext, alreadyReported: Set<string>): void {
  const entries: { key: string; shown: string; item: Named }[] = [];
  const add = (typeName: string, item: Named) => {
    if (!alreadyReported.has(JSON.stringify(item.path))) entries.push({ key: typeName, shown: typeName, item });
  };
  for (const [name] of entriesOf(ctx.root.types)) add(toTypeName(name), { label: `type \`${name}\``, path: ['types', name] });
  for (const [name, tool] of entriesOf(ctx.root.tools)) {
    const path = ['tools', name];
    const code = codeNameOf(name, tool);
    add(derivedTypeName('toolInput', code), { label: `the input type of tool \`${name}\``, path });
    add(derivedTypeName('toolArguments', code), { label: `the arguments type of tool \`${name}\``, path });
    if (!isRecord(tool)) continue;
    if (tool.output !== undefined) add(derivedTypeName('toolOutput', code), { label: `the output type of tool \`${name}\``, path });
    for (const [form, question] of entriesOf(tool.elicit)) {
      add(elicitFormTypeName(code, codeNameOf(form, question)), { label: `the answer type of elicitation \`${form}\` of tool \`${name}\``, path: [...path, 'elicit', form] });
    }
  }
  for (const [name, resource] of entriesOf(ctx.root.resources)) {
    if (isRecord(resource) && typeof resource.uri === 'string' && parseUriTemplate(resource.uri).expressions.length > 0) {
      add(derivedTypeName('resourceParams', codeNameOf(name, resource)), { label: `the params type of resource \`${name}\``, path: ['resources', name] });
    }
  }
  for (const [name, prompt] of entriesOf(ctx.root.prompts)) {
    add(derivedTypeName('promptArguments', codeNameOf(name, prompt)), { label: `the arguments type of prompt \`${name}\``, path: ['prompts', name] });
  }
  const seen = new Map<string, Named>();
  for (const entry of entries) {
    const earlier = seen.get(entry.key);
    if (!earlier) {
      seen.set(entry.key, entry.item);
      continue;
    }
    // Two derived types of one item cannot clash with each other (their suffixes differ).
    if (JSON.stringify(earlier.path) === JSON.stringify(entry.item.path)) continue;
    ctx.report({
      code: 'name-collision',
      message: `${entry.item.label} and ${earlier.label} both become the type \`${entry.shown}\` in generated code`,
      hint: hintFor(entry.item.path[0] === 'types', earlier.path[0] === 'types'),
      at: entry.item.path,
      target: 'key',
    });
  }
}

function hintFor(aIsType: boolean, bIsType: boolean): string {
  if (aIsType && bIsType) return RENAME_TYPES;
  return aIsType || bIsType ? RENAME_TYPE_OR_ITEM : RENAME;
}

function checkElicitNames(ctx: CheckContext): Set<string> {
  const reported = new Set<string>();
  for (const [toolName, tool] of entriesOf(ctx.root.tools)) {
    if (!isRecord(tool)) continue;
    const items = entriesOf(tool.elicit).map(([q, question]) => ({
      key: toIdentifier(codeNameOf(q, question)),
      shown: toIdentifier(codeNameOf(q, question)),
      item: { label: `elicitation \`${q}\``, path: ['tools', toolName, 'elicit', q] },
    }));
    for (const path of reportCollisions(ctx, items, 'helper name', RENAME)) reported.add(path);
  }
  return reported;
}

/** The typed client has one method per item: `read_x` (a tool) and `x` (a resource) both give `readX`. */
function checkClientMethods(ctx: CheckContext, alreadyReported: Set<string>): void {
  const items: { key: string; shown: string; item: Named }[] = [];
  const sections = [['tools', 'tool', 'tool'], ['resources', 'resource', 'read'], ['prompts', 'prompt', 'get']] as const;
  for (const [section, kind, verb] of sections) {
    for (const [name, value] of entriesOf(ctx.root[section])) {
      const path = [section, name];
      if (alreadyReported.has(JSON.stringify(path))) continue;
      const method = clientMethodName(verb, codeNameOf(name, value));
      items.push({ key: method, shown: method, item: { label: `${kind} \`${name}\``, path } });
    }
  }
  reportCollisions(ctx, items, 'typed client method', RENAME);
}

/** Completion handlers are exported as `complete<Name>`, one per variable or argument of an item. */
function checkCompletionNames(ctx: CheckContext): void {
  for (const [name, resource] of entriesOf(ctx.root.resources)) {
    if (!isRecord(resource) || !Array.isArray(resource.complete)) continue;
    const items = resource.complete
      .map((v, i) => ({ v, i }))
      .filter((x): x is { v: string; i: number } => typeof x.v === 'string')
      .map(({ v, i }) => ({ key: completionExportName(v), shown: completionExportName(v), item: { label: `variable \`${v}\``, path: ['resources', name, 'complete', i] } }));
    reportCollisions(ctx, items, 'completion handler', RENAME);
  }
  for (const [name, prompt] of entriesOf(ctx.root.prompts)) {
    if (!isRecord(prompt)) continue;
    const items = entriesOf(prompt.arguments)
      .filter(([, arg]) => isRecord(arg) && arg.complete === true)
      .map(([arg, value]) => ({ key: completionExportName(codeNameOf(arg, value)), shown: completionExportName(codeNameOf(arg, value)), item: { label: `argument \`${arg}\``, path: ['prompts', name, 'arguments', arg] } }));
    reportCollisions(ctx, items, 'completion handler', RENAME);
  }
}

/** Names that differ in mcp.yaml but map to one identifier, file or type in generated code. */
export function checkCollisions(ctx: CheckContext): void {
  const reported = new Set([
    ...checkSection(ctx, 'tools', 'tool'),
    ...checkSection(ctx, 'resources', 'resource'),
    ...checkSection(ctx, 'prompts', 'prompt'),
    ...checkElicitNames(ctx),
  ]);
  checkTypeNames(ctx, reported);
  const generate = isRecord(ctx.root.generate) ? ctx.root.generate : {};
  if (generate.client !== false) checkClientMethods(ctx, reported);
  checkCompletionNames(ctx);
}
