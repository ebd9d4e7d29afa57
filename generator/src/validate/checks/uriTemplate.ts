/**
 * A small RFC 6570 (level 4) URI-template parser: enough to list a template's variables, to
 * report malformed expressions with their offset, and to match URIs for overlap warnings.
 */

export interface TemplateVariable {
  name: string;
  explode: boolean;
  prefix?: number;
}

export interface TemplateExpression {
  /** '' for simple `{var}`, else one of `+ # . / ; ? &`. */
  operator: string;
  variables: TemplateVariable[];
  /** Offsets of `{` and just after `}` in the template. */
  start: number;
  end: number;
}

export interface TemplateProblem {
  message: string;
  offset: number;
  /** The text the problem is about, for pointing at it. */
  text: string;
}

export interface ParsedTemplate {
  expressions: TemplateExpression[];
  /** Literal text between expressions; `literals.length === expressions.length + 1`. */
  literals: string[];
  problems: TemplateProblem[];
}

const OPERATORS = new Set(['+', '#', '.', '/', ';', '?', '&']);
const RESERVED_OPERATORS = new Set(['=', ',', '!', '@', '|']);
const VARNAME = /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+(?:\.(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+)*$/;
/** RFC 3986 leaves these out of URIs; RFC 6570 also leaves `'` out of a template's literals. */
const BAD_URI_CHAR = /[\s"<>\\^`|}]/;
const BAD_TEMPLATE_LITERAL = /[\s"'<>\\^`|}]/;

function parseExpression(body: string, start: number, end: number, problems: TemplateProblem[]): TemplateExpression {
  const text = `{${body}}`;
  let operator = '';
  let rest = body;
  const first = body[0] ?? '';
  if (OPERATORS.has(first)) {
    operator = first;
    rest = body.slice(1);
  } else if (RESERVED_OPERATORS.has(first)) {
    problems.push({ message: `\`${first}\` is a reserved operator in URI templates`, offset: start, text });
    rest = body.slice(1);
  }
  const variables: TemplateVariable[] = [];
  if (rest === '') {
    problems.push({ message: `\`${text}\` has no variable name`, offset: start, text });
    return { operator, variables, start, end };
  }
  for (const spec of rest.split(',')) {
    const match = /^(.*?)(?:(\*)|:(\d+))?$/.exec(spec)!;
    const name = match[1] ?? '';
    if (!VARNAME.test(name)) {
      problems.push({
        message: name === '' ? `\`${text}\` has an empty variable name` : `\`${name}\` in \`${text}\` is not a valid variable name (letters, digits, _ and inner dots)`,
        offset: start,
        text,
      });
      continue;
    }
    const prefix = match[3] !== undefined ? Number(match[3]) : undefined;
    if (prefix !== undefined && (prefix < 1 || prefix > 9999)) {
      problems.push({ message: `the prefix length in \`${text}\` must be 1-9999`, offset: start, text });
    }
    variables.push({ name, explode: match[2] === '*', ...(prefix !== undefined ? { prefix } : {}) });
  }
  return { operator, variables, start, end };
}

export function parseUriTemplate(template: string): ParsedTemplate {
  const expressions: TemplateExpression[] = [];
  const literals: string[] = [];
  const problems: TemplateProblem[] = [];
  let literal = '';
  let literalStart = 0;
  let i = 0;
  // A static URI (no `{`) is an RFC 3986 URI, where `'` is a sub-delimiter like `!` or `(`.
  const badLiteral = template.includes('{') ? BAD_TEMPLATE_LITERAL : BAD_URI_CHAR;
  const flushLiteral = () => {
    const bad = badLiteral.exec(literal);
    if (bad) {
      const ch = bad[0];
      const what = ch === '}' ? 'a `}` without its `{`' : /\s/.test(ch) ? 'a space' : `\`${ch}\``;
      problems.push({ message: `the URI contains ${what}, which must be percent-encoded`, offset: literalStart + bad.index, text: ch });
    }
    literals.push(literal);
    literal = '';
  };
  while (i < template.length) {
    const ch = template[i]!;
    if (ch !== '{') {
      literal += ch;
      i++;
      continue;
    }
    const close = template.indexOf('}', i + 1);
    const nextOpen = template.indexOf('{', i + 1);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
      problems.push({ message: 'a `{` is never closed with `}`', offset: i, text: '{' });
      literal += ch;
      i++;
      continue;
    }
    flushLiteral();
    expressions.push(parseExpression(template.slice(i + 1, close), i, close + 1, problems));
    i = close + 1;
    literalStart = i;
  }
  flushLiteral();
  return { expressions, literals, problems };
}

export function templateVariables(parsed: ParsedTemplate): string[] {
  const names: string[] = [];
  for (const e of parsed.expressions) for (const v of e.variables) if (!names.includes(v.name)) names.push(v.name);
  return names;
}

/** The template with variable names erased: two templates with the same shape match the same URIs. */
export function templateShape(parsed: ParsedTemplate): string {
  let out = parsed.literals[0] ?? '';
  parsed.expressions.forEach((e, i) => {
    out += `{${e.operator}}${parsed.literals[i + 1] ?? ''}`;
  });
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a URI matches a template, approximately (good enough for overlap warnings, not for
 * routing). False when the template is too long for a regular expression: V8 refuses such a
 * source when it first runs it.
 */
export function templateMatches(parsed: ParsedTemplate, uri: string): boolean {
  try {
    return templateMatcher(parsed).test(uri);
  } catch {
    return false;
  }
}

function templateMatcher(parsed: ParsedTemplate): RegExp {
  const part: Record<string, string> = {
    '': '[^/?#,]+',
    '+': '.+',
    '#': '(?:#.*)?',
    '.': '(?:\\.[^/?#]*)*',
    '/': '(?:/[^/?#]*)*',
    ';': '(?:;[^/?#]*)*',
    '?': '(?:\\?.*)?',
    '&': '(?:&.*)?',
  };
  let source = escapeRegExp(parsed.literals[0] ?? '');
  parsed.expressions.forEach((e, i) => {
    source += (part[e.operator] ?? '.*') + escapeRegExp(parsed.literals[i + 1] ?? '');
  });
  return new RegExp(`^${source}$`);
}
