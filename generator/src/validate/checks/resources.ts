import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { entriesOf, isRecord } from '../guards.js';
import { didYouMean, listCode } from '../suggest.js';
import type { CheckContext } from './context.js';
import { parseUriTemplate, templateMatches, templateShape, templateVariables, type ParsedTemplate } from './uriTemplate.js';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

interface ResourceInfo {
  name: string;
  uri: string;
  parsed: ParsedTemplate;
  templated: boolean;
}

function checkUri(ctx: CheckContext, info: ResourceInfo): void {
  const at = ['resources', info.name, 'uri'];
  for (const p of info.parsed.problems) {
    ctx.report({ code: 'resource-uri-invalid', message: `resource \`${info.name}\`: ${p.message}`, at, text: { needle: p.text, occurrence: info.uri.slice(0, p.offset).split(p.text).length - 1 } });
  }
  if (!info.uri.startsWith('{') && !SCHEME.test(info.uri)) {
    ctx.report({
      code: 'resource-uri-invalid',
      message: `the uri of resource \`${info.name}\` has no scheme: ${JSON.stringify(info.uri)}`,
      hint: 'resource URIs are absolute, such as `config://app`, `file:///data/a.txt` or `users://{id}/profile`',
      at,
    });
  }
}

function checkVariables(ctx: CheckContext, info: ResourceInfo, resource: Record<string, unknown>): void {
  const variables = templateVariables(info.parsed);
  const explain = info.templated
    ? `the template's variables: ${listCode(variables)}`
    : `\`${info.uri}\` is not a template, so it has no variables`;
  for (const [param] of entriesOf(resource.params)) {
    if (variables.includes(param)) continue;
    const suggestion = didYouMean(param, variables);
    ctx.report({
      code: 'resource-param-unknown',
      message: `params of resource \`${info.name}\` declares \`${param}\`, which is not a variable of its uri`,
      hint: suggestion ? `did you mean \`${suggestion}\`? ${explain}` : explain,
      at: ['resources', info.name, 'params', param],
      target: 'key',
    });
  }
  if (Array.isArray(resource.complete)) {
    resource.complete.forEach((name, i) => {
      if (typeof name !== 'string' || variables.includes(name)) return;
      const suggestion = didYouMean(name, variables);
      ctx.report({
        code: 'resource-complete-unknown',
        message: `complete of resource \`${info.name}\` names \`${name}\`, which is not a variable of its uri`,
        hint: suggestion ? `did you mean \`${suggestion}\`? ${explain}` : explain,
        at: ['resources', info.name, 'complete', i],
      });
    });
  }
}

function checkContent(ctx: CheckContext, info: ResourceInfo, resource: Record<string, unknown>): void {
  const hasText = typeof resource.text === 'string';
  const hasFile = typeof resource.file === 'string';
  if (info.templated) {
    for (const key of ['text', 'file'] as const) {
      if (typeof resource[key] !== 'string') continue;
      ctx.report({
        code: 'resource-content-templated',
        message: `resource \`${info.name}\` has a templated uri, so it cannot have fixed \`${key}\` content`,
        hint: 'remove it and write the handler, or give the resource a static uri',
        at: ['resources', info.name, key],
        target: 'key',
      });
    }
  } else if (resource.list === true) {
    ctx.report({
      code: 'resource-list-static',
      message: `\`list\` has no effect on resource \`${info.name}\`: a static uri is always listed`,
      hint: '`list: true` is for templates whose handler lists the concrete resources they match',
      at: ['resources', info.name, 'list'],
      target: 'key',
    });
  }
  if (hasText && hasFile) {
    ctx.report({
      code: 'resource-content-conflict',
      message: `resource \`${info.name}\` has both \`text\` and \`file\`; choose one`,
      at: ['resources', info.name, 'file'],
      target: 'key',
    });
  }
  if (hasFile && !info.templated) {
    const file = resource.file as string;
    const full = isAbsolute(file) ? file : resolve(ctx.manifestDir, file);
    if (!existsSync(full)) {
      ctx.report({
        code: 'resource-file-missing',
        message: `the file of resource \`${info.name}\` does not exist: ${file}`,
        hint: 'the path is relative to the folder of mcp.yaml',
        at: ['resources', info.name, 'file'],
      });
    }
  }
}

function checkOverlaps(ctx: CheckContext, infos: ResourceInfo[]): void {
  const staticUris = new Map<string, string>();
  const shapes = new Map<string, ResourceInfo>();
  for (const info of infos) {
    const at = ['resources', info.name, 'uri'];
    if (!info.templated) {
      const first = staticUris.get(info.uri);
      if (first) ctx.report({ code: 'resource-uri-duplicate', message: `resources \`${first}\` and \`${info.name}\` have the same uri \`${info.uri}\``, at });
      else staticUris.set(info.uri, info.name);
      continue;
    }
    const shape = templateShape(info.parsed);
    const first = shapes.get(shape);
    if (first) {
      const same = first.uri === info.uri;
      ctx.report({
        code: 'resource-uri-duplicate',
        message: same
          ? `resources \`${first.name}\` and \`${info.name}\` have the same uri template \`${info.uri}\``
          : `the uri templates of \`${first.name}\` (\`${first.uri}\`) and \`${info.name}\` (\`${info.uri}\`) match the same URIs`,
        hint: same ? undefined : 'templates that differ only in variable names cannot be told apart when reading',
        at,
      });
    } else shapes.set(shape, info);
  }
  for (const info of infos) {
    if (info.templated) continue;
    for (const template of shapes.values()) {
      if (!templateMatches(template.parsed, info.uri)) continue;
      ctx.report({
        code: 'resource-uri-shadowed',
        message: `the uri \`${info.uri}\` of resource \`${info.name}\` also matches the template of \`${template.name}\` (\`${template.uri}\`)`,
        hint: 'reads of this URI go to the static resource; rename one if that is not intended',
        at: ['resources', info.name, 'uri'],
      });
      break;
    }
  }
}

/** URIs and templates, params/complete against template variables, inline content. */
export function checkResources(ctx: CheckContext): void {
  const infos: ResourceInfo[] = [];
  for (const [name, resource] of entriesOf(ctx.root.resources)) {
    if (!isRecord(resource) || typeof resource.uri !== 'string') continue;
    const parsed = parseUriTemplate(resource.uri);
    const info: ResourceInfo = { name, uri: resource.uri, parsed, templated: parsed.expressions.length > 0 };
    infos.push(info);
    checkUri(ctx, info);
    checkVariables(ctx, info, resource);
    checkContent(ctx, info, resource);
  }
  checkOverlaps(ctx, infos);
}
