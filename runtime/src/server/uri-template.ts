/**
 * RFC 6570 URI templates (levels 1–4): expansion, and the inverse ("match") used
 * to route `resources/read` URIs to MCP resource templates.
 *
 * Matching is on the hot path, so the template is parsed once and compiled into a
 * single anchored RegExp whose run time is linear in the URI length:
 *  - every expression except the last is captured atomically (`(?=(X))\N`), so the
 *    engine never backtracks into it, and every character it consumes is guarded
 *    with `(?!D)` where D is what follows it in the template. A variable therefore
 *    ends at the first occurrence of the literal that follows it;
 *  - only the last expression backtracks, and only a literal tail follows it.
 * URIs longer than MAX_URI_LENGTH never match.
 */

/** Longest URI `match` looks at; anything longer does not match. */
export const MAX_URI_LENGTH = 64 * 1024;

export type UriTemplateValue =
  | string
  | number
  | boolean
  | readonly (string | number | boolean)[]
  | Readonly<Record<string, string | number | boolean>>
  | null
  | undefined;

export type UriTemplateVariables = Readonly<Record<string, UriTemplateValue>>;

type Op = "" | "+" | "#" | "." | "/" | ";" | "?" | "&";

/** RFC 6570 Appendix A behaviour table. */
interface OpSpec {
  first: string;
  sep: string;
  named: boolean;
  ifemp: string;
  /** `+` and `#` keep reserved characters and existing pct-triplets. */
  reserved: boolean;
  /** Characters a value's text can never contain in a URI this operator produced. */
  stop: string;
}

const OPS: Record<Op, OpSpec> = {
  "": { first: "", sep: ",", named: false, ifemp: "", reserved: false, stop: "/?#" },
  "+": { first: "", sep: ",", named: false, ifemp: "", reserved: true, stop: "" },
  "#": { first: "#", sep: ",", named: false, ifemp: "", reserved: true, stop: "" },
  ".": { first: ".", sep: ".", named: false, ifemp: "", reserved: false, stop: "/?#" },
  "/": { first: "/", sep: "/", named: false, ifemp: "", reserved: false, stop: "/?#" },
  ";": { first: ";", sep: ";", named: true, ifemp: "", reserved: false, stop: "/?#" },
  "?": { first: "?", sep: "&", named: true, ifemp: "=", reserved: false, stop: "#" },
  "&": { first: "&", sep: "&", named: true, ifemp: "=", reserved: false, stop: "#" },
};

interface VarSpec {
  readonly name: string;
  readonly explode: boolean;
  /** Max characters for the `:N` prefix modifier; 0 when absent. */
  readonly prefix: number;
}

interface Expression {
  readonly op: Op;
  readonly vars: readonly VarSpec[];
}

interface Literal {
  /** The literal as written in the template. */
  readonly raw: string;
  /** The literal as expansion writes it (RFC 6570 §3.1). */
  readonly encoded: string;
}

type Part = Literal | Expression;

const OPERATORS = "+#./;?&";
/** Reserved for future extensions by RFC 6570 §2.2: an error, not a literal. */
const RESERVED_OPERATORS = "=,!@|";
const VARSPEC =
  /^((?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*)(?::([1-9][0-9]{0,3})|(\*))?$/;

export class UriTemplate {
  readonly template: string;
  readonly variableNames: string[];
  readonly #parts: readonly Part[];
  readonly #regex: RegExp;
  /** The expressions in template order; expression i is capture group i + 1. */
  readonly #expressions: readonly Expression[];

  constructor(template: string) {
    if (typeof template !== "string") throw new TypeError("URI template must be a string");
    this.template = template;
    this.#parts = parse(template);
    this.#expressions = this.#parts.filter(isExpression);
    const names = new Set<string>();
    for (const e of this.#expressions) for (const v of e.vars) names.add(v.name);
    this.variableNames = [...names];
    this.#regex = compile(this.#parts);
  }

  toString(): string {
    return this.template;
  }

  expand(vars: UriTemplateVariables): string {
    let out = "";
    for (const part of this.#parts) out += isExpression(part) ? expandExpression(part, vars) : part.encoded;
    return out;
  }

  /**
   * The variables of a concrete URI, or undefined when the URI does not match.
   * Values are pct-decoded; exploded variables come back as arrays; query
   * parameters may come in any order, may be missing, and unknown ones are
   * ignored. The result has a null prototype (a variable may be named `__proto__`).
   */
  match(uri: string): Record<string, string | string[]> | undefined {
    if (typeof uri !== "string" || uri.length > MAX_URI_LENGTH) return undefined;
    const m = this.#regex.exec(uri);
    if (!m) return undefined;
    const out: Record<string, string | string[]> = Object.create(null);
    // Query parameters ({?a}{&b}) are pooled so they may come in any order.
    let query: Map<string, string[]> | undefined;
    const queryVars: VarSpec[] = [];
    this.#expressions.forEach((e, i) => {
      const text = m[i + 1] ?? "";
      if (e.op === "?" || e.op === "&") {
        query ??= new Map();
        if (text) collectPairs(text.slice(1), "&", query);
        queryVars.push(...e.vars);
      } else if (e.op === ";") {
        const pairs = new Map<string, string[]>();
        if (text) collectPairs(text.slice(1), ";", pairs);
        assignNamed(e.vars, pairs, out);
      } else {
        assignPositional(e, text, out);
      }
    });
    if (query) assignNamed(queryVars, query, out);
    return out;
  }
}

/** True when `s` contains at least one `{expression}` (and so is a template, not a fixed URI). */
export function isUriTemplate(s: string): boolean {
  return /\{[^{}]+\}/.test(s);
}

function isExpression(p: Part): p is Expression {
  return (p as Expression).op !== undefined;
}

// ---------------------------------------------------------------- parsing

function parse(template: string): Part[] {
  const parts: Part[] = [];
  const fail = (msg: string, pos: number): never => {
    throw new Error(`Invalid URI template ${JSON.stringify(template)}: ${msg} at position ${pos}`);
  };
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{", i);
    const literalEnd = open < 0 ? template.length : open;
    const stray = template.indexOf("}", i);
    if (stray >= 0 && stray < literalEnd) fail("unmatched '}'", stray);
    if (literalEnd > i) {
      const raw = template.slice(i, literalEnd);
      parts.push({ raw, encoded: encode(raw, true) });
    }
    if (open < 0) break;
    const close = template.indexOf("}", open + 1);
    const nested = template.indexOf("{", open + 1);
    if (close < 0 || (nested >= 0 && nested < close)) fail("unclosed '{'", open);
    parts.push(parseExpression(template.slice(open + 1, close), open, fail));
    i = close + 1;
  }
  return parts;
}

function parseExpression(body: string, pos: number, fail: (msg: string, pos: number) => never): Expression {
  if (body === "") fail("empty expression", pos);
  let op: Op = "";
  if (OPERATORS.includes(body[0]!)) op = body[0] as Op;
  else if (RESERVED_OPERATORS.includes(body[0]!)) fail(`reserved operator '${body[0]}'`, pos + 1);
  const vars: VarSpec[] = [];
  let at = pos + 1 + op.length;
  for (const spec of body.slice(op.length).split(",")) {
    const m = VARSPEC.exec(spec);
    if (!m) fail(spec === "" ? "missing variable name" : `invalid variable ${JSON.stringify(spec)}`, at);
    vars.push({ name: m![1]!, explode: m![3] === "*", prefix: m![2] ? Number(m![2]) : 0 });
    at += spec.length + 1;
  }
  return { op, vars };
}

// ---------------------------------------------------------------- expansion

// ASCII lookup tables: unreserved = ALPHA / DIGIT / "-._~"; reserved = gen-delims / sub-delims.
const UNRESERVED = new Uint8Array(128);
const RESERVED = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") UNRESERVED[c.charCodeAt(0)] = 1;
for (const c of ":/?#[]@!$&'()*+,;=") RESERVED[c.charCodeAt(0)] = 1;
const ALL_UNRESERVED = /^[A-Za-z0-9\-._~]*$/;

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Pct-encodes everything outside unreserved (plus reserved and pct-triplets when `reserved`). */
function encode(s: string, reserved: boolean): string {
  if (ALL_UNRESERVED.test(s)) return s; // the common case: ids, names, numbers
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if (UNRESERVED[c] || (reserved && RESERVED[c])) out += s[i];
      else if (reserved && c === 37 && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
        out += s.slice(i, i + 3);
        i += 2;
      } else out += "%" + (c < 16 ? "0" : "") + c.toString(16).toUpperCase();
      continue;
    }
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    // A lone surrogate has no UTF-8 form: encode U+FFFD like WHATWG URL does.
    out += encodeURIComponent(cp >= 0xd800 && cp <= 0xdfff ? "\ufffd" : String.fromCodePoint(cp));
  }
  return out;
}

/** The first `max` characters (code points; a pct-triplet counts as one for `+`/`#`). */
function prefixOf(s: string, max: number, reserved: boolean): string {
  let i = 0;
  for (let n = 0; n < max && i < s.length; n++) {
    const c = s.charCodeAt(i);
    if (reserved && c === 37 && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) i += 3;
    else i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
  }
  return s.slice(0, i);
}

function expandExpression(e: Expression, vars: UriTemplateVariables): string {
  const spec = OPS[e.op];
  const enc = (s: string) => encode(s, spec.reserved);
  const named = (name: string, value: string) => (value === "" ? name + spec.ifemp : name + "=" + value);
  const pieces: string[] = [];
  for (const v of e.vars) {
    const value = vars[v.name];
    if (value === undefined || value === null) continue;
    if (typeof value !== "object") {
      let s = String(value);
      if (v.prefix) s = prefixOf(s, v.prefix, spec.reserved);
      pieces.push(spec.named ? named(v.name, enc(s)) : enc(s));
    } else if (Array.isArray(value)) {
      if (value.length === 0) continue; // an empty list is undefined (RFC 6570 §2.3)
      const items = (value as readonly unknown[]).map((x) => enc(String(x)));
      if (!v.explode) pieces.push(spec.named ? named(v.name, items.join(",")) : items.join(","));
      else pieces.push(spec.named ? items.map((x) => named(v.name, x)).join(spec.sep) : items.join(spec.sep));
    } else {
      const entries = Object.entries(value).filter(([, x]) => x !== undefined && x !== null);
      if (entries.length === 0) continue;
      if (!v.explode) {
        const joined = entries.map(([k, x]) => enc(k) + "," + enc(String(x))).join(",");
        pieces.push(spec.named ? named(v.name, joined) : joined);
      } else {
        const kv = entries.map(([k, x]) => (spec.named ? named(enc(k), enc(String(x))) : enc(k) + "=" + enc(String(x))));
        pieces.push(kv.join(spec.sep));
      }
    }
  }
  return pieces.length === 0 ? "" : spec.first + pieces.join(spec.sep);
}

// ---------------------------------------------------------------- matching

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

/** A literal matches as written or as expansion would have encoded it. */
function literalPattern(l: Literal): string {
  return l.raw === l.encoded ? escapeRegExp(l.raw) : `(?:${escapeRegExp(l.raw)}|${escapeRegExp(l.encoded)})`;
}

function compile(parts: readonly Part[]): RegExp {
  let src = "^";
  let group = 0;
  const lastExpr = parts.reduce((last, p, i) => (isExpression(p) ? i : last), -1);
  parts.forEach((part, i) => {
    if (!isExpression(part)) {
      src += literalPattern(part);
      return;
    }
    group++;
    if (i === lastExpr) {
      // Only a literal tail follows: plain greedy capture, backtracking is linear.
      src += `(${regionPattern(part, "")})`;
      return;
    }
    // What must follow this expression in the URI: the next literal, else the
    // operator character that starts the next expression.
    const next = parts[i + 1]!;
    const stopText = isExpression(next) ? OPS[next.op].first : next.raw;
    const stop = isExpression(next) ? escapeRegExp(stopText) : literalPattern(next);
    // Guarding every char with (?!stop) makes the capture end at the first `stop`;
    // an expression whose own prefix is `stop` (`{/a}/{b}`) must not guard that prefix.
    const guardPrefix = stopText !== OPS[part.op].first;
    // (?:\N) keeps a following literal digit from extending the backreference.
    src += `(?=(${regionPattern(part, stop, guardPrefix)}))(?:\\${group})`;
  });
  return new RegExp(src + "$");
}

/** The text one expression can expand to; `stop` (a regex) must not start inside it. */
function regionPattern(e: Expression, stop: string, guardPrefix = true): string {
  const spec = OPS[e.op];
  const guard = (atom: string) => (stop ? `(?:(?!${stop})${atom})` : atom);
  const char = guard(spec.stop ? `[^${escapeRegExp(spec.stop)}]` : "[\\s\\S]");
  if (!spec.first) return `${char}*`;
  const first = guardPrefix ? guard(escapeRegExp(spec.first)) : escapeRegExp(spec.first);
  // `{/a,b}` / `{/list*}` repeat path segments; every other operator is a single
  // run whose separators are split out after matching.
  const repeat = e.op === "/" && (e.vars.length > 1 || e.vars[0]!.explode) ? "*" : "?";
  return `(?:${first}${char}*)${repeat}`;
}

function decode(s: string): string {
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // malformed escapes are passed through rather than rejected
  }
}

/** Unnamed operators: values are positional, split on the operator's separator. */
function assignPositional(e: Expression, text: string, out: Record<string, string | string[]>): void {
  const spec = OPS[e.op];
  if (spec.first) {
    if (text === "") return; // the whole expression was undefined
    text = text.slice(1);
  }
  const vars = e.vars;
  if (vars.length === 1) {
    const v = vars[0]!;
    out[v.name] = v.explode ? text.split(spec.sep).map(decode) : decode(text);
    return;
  }
  const items = text.split(spec.sep);
  // Extra items go to the exploded variable if there is one, else to the last one.
  const extra = Math.max(0, items.length - vars.length);
  let wide = vars.findIndex((v) => v.explode);
  if (wide < 0) wide = vars.length - 1;
  let k = 0;
  vars.forEach((v, i) => {
    if (k >= items.length) return;
    const take = i === wide ? 1 + extra : 1;
    const slice = items.slice(k, k + take);
    k += take;
    out[v.name] = v.explode ? slice.map(decode) : decode(slice.join(spec.sep));
  });
}

function collectPairs(text: string, sep: string, into: Map<string, string[]>): void {
  for (const pair of text.split(sep)) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decode(pair.slice(eq + 1));
    const list = into.get(name);
    if (list) list.push(value);
    else into.set(name, [value]);
  }
}

/** Named operators: by name, in any order; unknown names are ignored. */
function assignNamed(vars: readonly VarSpec[], pairs: Map<string, string[]>, out: Record<string, string | string[]>): void {
  for (const v of vars) {
    const values = pairs.get(v.name);
    if (values) out[v.name] = v.explode ? values : values[0]!;
  }
}
