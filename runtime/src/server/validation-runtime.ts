/**
 * `@mcpgen/runtime/validation`: what ajv "standalone" validator code needs at run
 * time, so generated servers run without ajv installed. The generator rewrites the
 * `require("ajv/dist/runtime/…")` calls in precompiled validators into imports of
 * this module (see generator/src/emit/standalone-rewrite.ts), and compiles them
 * with `code.formats` pointing at `formats` below.
 *
 * Not provided: `ajv/dist/runtime/uri` (fast-uri). Ajv uses it only at compile
 * time, to resolve `$id`/`$ref`; standalone code never references it. Likewise
 * `timestamp`, `quote` and `parseJson` serve only JTD parsers/serializers, and
 * `re2` only the `code.regExp` option, none of which the generator uses.
 */

/** String length in code points, as ajv counts it for minLength/maxLength. */
export function ucs2length(str: string): number {
  const len = str.length;
  let count = 0;
  for (let i = 0; i < len; i++, count++) {
    const c = str.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len && (str.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return count;
}

/**
 * Deep equality with fast-deep-equal's semantics (ajv's `const`, `enum`,
 * `uniqueItems`): same constructor, same own enumerable keys, NaN equals NaN.
 */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a && b && typeof a === "object" && typeof b === "object") {
    if (a.constructor !== b.constructor) return false;
    if (Array.isArray(a)) {
      const other = b as unknown[];
      if (a.length !== other.length) return false;
      for (let i = a.length; i-- !== 0; ) if (!equal(a[i], other[i])) return false;
      return true;
    }
    if (a instanceof RegExp) return a.source === (b as RegExp).source && a.flags === (b as RegExp).flags;
    // Dates, boxed primitives and the like compare by value / text.
    if (a.valueOf !== Object.prototype.valueOf) return a.valueOf() === b.valueOf();
    if (a.toString !== Object.prototype.toString) return a.toString() === b.toString();
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const k of keys) if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    for (const k of keys) {
      if (!equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    }
    return true;
  }
  return a !== a && b !== b; // NaN
}

/** What `$async` validators reject with, as ajv/dist/runtime/validation_error. */
export class ValidationError extends Error {
  readonly errors: Partial<Record<string, unknown>>[];
  readonly ajv: true;
  readonly validation: true;
  constructor(errors: Partial<Record<string, unknown>>[]) {
    super("validation failed");
    this.errors = errors;
    this.ajv = this.validation = true;
  }
}

// ---------------------------------------------------------------- formats
//
// Semantics follow ajv-formats' "full" mode. Every string format is a function
// (not a RegExp) so standalone code calls `formats.x(data)` instead of inlining a
// copy of each regex. Every regex here is anchored and free of ambiguous nested
// quantifiers, so validation is linear in the input length. Deliberate
// differences from ajv-formats, where ajv-formats is looser than the RFCs:
//  - regex: must compile with the `u` flag, as ajv compiles `pattern`;
//  - byte: the whole string must be base64 (ajv-formats tests line by line);
//  - uri-reference: no `"`, and no `:` in a relative reference's first segment;
//  - uri-template: dotted variable names (`{a.b}`) are accepted, per RFC 6570;
//  - time: hour and minute are range-checked for leap seconds too.

export type StringFormat = (value: string) => boolean;
export type FormatDefinition =
  | true
  | RegExp
  | StringFormat
  | { readonly type: "number"; readonly validate: (value: number) => boolean };

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** RFC 3339 full-date, with a real calendar. */
function date(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month]!);
}

// ajv-formats accepts `z`, `+hh`, `+hhmm` and `+hh:mm` offsets, case-insensitively.
const TIME = /^(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(?:([zZ])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/** RFC 3339 time; `requireOffset` is the "full" `time`, false gives `iso-time`. */
function timeFormat(requireOffset: boolean): StringFormat {
  return (s) => {
    const m = TIME.exec(s);
    if (!m) return false;
    const hour = Number(m[1]);
    const minute = Number(m[2]);
    const second = Number(m[3]);
    const sign = m[5] === "-" ? -1 : 1;
    const offH = Number(m[6] ?? 0);
    const offM = Number(m[7] ?? 0);
    if (requireOffset && !m[4] && !m[5]) return false;
    if (offH > 23 || offM > 59 || hour > 23 || minute > 59) return false;
    if (second < 60) return true;
    if (second >= 61) return false;
    // A leap second only exists at 23:59:60 UTC.
    const utcMinutes = hour * 60 + minute - sign * (offH * 60 + offM);
    return (((utcMinutes % 1440) + 1440) % 1440) === 1439;
  };
}

const DATE_TIME_SEPARATOR = /[tT\s]/;

function dateTimeFormat(requireOffset: boolean): StringFormat {
  const time = timeFormat(requireOffset);
  return (s) => {
    const parts = s.split(DATE_TIME_SEPARATOR);
    return parts.length === 2 && date(parts[0]!) && time(parts[1]!);
  };
}

// ISO 8601 duration as in RFC 3339 Appendix A: weeks alone, or Y M D with an
// optional T part that has at least one of H M S; never just "P" or a bare "T".
const DURATION = /^P(?!$)(?:(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?|\d+W)$/;

// -------- URIs and IRIs (RFC 3986 / RFC 3987), checked component by component.

/** RFC 3986 Appendix B: splits any string into its five components in linear time. */
const URI_PARTS = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#([\s\S]*))?$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*$/;
const PORT = /^\d*$/;
const UNRESERVED = "A-Za-z0-9\\-._~";
const SUB_DELIMS = "!$&'()*+,;=";
const IP_FUTURE = /^[vV][0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+$/;

interface UriGrammar {
  userinfo: RegExp;
  host: RegExp;
  path: RegExp;
  queryOrFragment: RegExp;
}

/** Component grammars; IRIs additionally allow any non-ASCII character (leniently). */
function grammar(iri: boolean): UriGrammar {
  const wide = iri ? "\\u00A0-\\uD7FF\\uE000-\\uFFFF" : "";
  const astral = iri ? "|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]" : "";
  const run = (extra: string) => new RegExp(`^(?:[${UNRESERVED}${SUB_DELIMS}${extra}${wide}]|%[0-9A-Fa-f]{2}${astral})*$`);
  return { userinfo: run(":"), host: run(""), path: run(":@/"), queryOrFragment: run(":@/?") };
}

const URI_GRAMMAR = grammar(false);
const IRI_GRAMMAR = grammar(true);

function validAuthority(authority: string, g: UriGrammar): boolean {
  const at = authority.lastIndexOf("@");
  if (at >= 0 && !g.userinfo.test(authority.slice(0, at))) return false;
  const hostPort = authority.slice(at + 1);
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    if (close < 0) return false;
    const literal = hostPort.slice(1, close);
    const rest = hostPort.slice(close + 1);
    return (ipv6(literal) || IP_FUTURE.test(literal)) && (rest === "" || (rest[0] === ":" && PORT.test(rest.slice(1))));
  }
  // reg-name never contains ':', so the first one starts the port. IPv4 is a reg-name.
  const colon = hostPort.indexOf(":");
  if (colon >= 0 && !PORT.test(hostPort.slice(colon + 1))) return false;
  return g.host.test(colon < 0 ? hostPort : hostPort.slice(0, colon));
}

function uriFormat(iri: boolean, reference: boolean): StringFormat {
  const g = iri ? IRI_GRAMMAR : URI_GRAMMAR;
  return (s) => {
    const m = URI_PARTS.exec(s);
    if (!m) return false;
    const [, scheme, authority, path, query, fragment] = m;
    if (scheme === undefined) {
      if (!reference) return false;
      // relative-ref: a rootless path's first segment must not look like a scheme.
      if (authority === undefined && !path!.startsWith("/") && path!.split("/", 1)[0]!.includes(":")) return false;
    } else if (!SCHEME.test(scheme)) return false;
    if (authority !== undefined && !validAuthority(authority, g)) return false;
    return (
      g.path.test(path!) &&
      (query === undefined || g.queryOrFragment.test(query)) &&
      (fragment === undefined || g.queryOrFragment.test(fragment))
    );
  };
}

// -------- Hosts and addresses.

const DEC_OCTET = /^(?:0|[1-9]\d{0,2})$/;

function ipv4(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 && parts.every((p) => DEC_OCTET.test(p) && Number(p) <= 255);
}

const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** RFC 4291 text form: eight groups, one `::` for a zero run, optional IPv4 tail. */
function ipv6(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  if (s.includes(".")) {
    // The dotted tail stands for the last two groups.
    const lastColon = s.lastIndexOf(":");
    if (lastColon < 0 || !ipv4(s.slice(lastColon + 1))) return false;
    s = s.slice(0, lastColon + 1) + "0:0";
  }
  const gap = s.indexOf("::");
  if (gap < 0) {
    const groups = s.split(":");
    return groups.length === 8 && groups.every((x) => HEX_GROUP.test(x));
  }
  if (s.indexOf("::", gap + 1) >= 0) return false; // at most one `::` (also rejects ":::")
  const head = s.slice(0, gap);
  const tail = s.slice(gap + 2);
  const groups = [...(head ? head.split(":") : []), ...(tail ? tail.split(":") : [])];
  return groups.length <= 7 && groups.every((x) => HEX_GROUP.test(x));
}

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IDN_LABEL = /^[A-Za-z0-9\u00A1-\uFFFF](?:[A-Za-z0-9\u00A1-\uFFFF-]{0,61}[A-Za-z0-9\u00A1-\uFFFF])?$/;

/** RFC 1123 host name: dot-separated labels of ≤ 63, ≤ 253 in all, one optional trailing dot. */
function hostnameFormat(label: RegExp): StringFormat {
  return (s) => {
    const name = s.endsWith(".") ? s.slice(0, -1) : s;
    return name.length >= 1 && name.length <= 253 && name.split(".").every((l) => label.test(l));
  };
}

// Email as ajv-formats: dot-atom local part; domain of ≥ 2 labels of letters,
// digits and inner hyphens (no length limits). Each regex sees one part only.
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_LABEL = /^[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*$/;
const IDN_EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+)*$/;
const IDN_EMAIL_LABEL = /^[A-Za-z0-9\u00A1-\uFFFF]+(?:-+[A-Za-z0-9\u00A1-\uFFFF]+)*$/;

function emailFormat(local: RegExp, label: RegExp): StringFormat {
  return (s) => {
    const at = s.indexOf("@");
    if (at < 0) return false;
    const labels = s.slice(at + 1).split(".");
    return local.test(s.slice(0, at)) && labels.length >= 2 && labels.every((l) => label.test(l));
  };
}

// -------- url: ajv-formats' web URL rule (after Diego Perini's regex): http,
// https or ftp; optional user info; a public IPv4 address or a host name with an
// alphabetic TLD; an optional 2–5 digit port; an optional path; no whitespace.

const URL_SCHEME = /^(?:https?|ftp):\/\//i;
const URL_PORT = /^\d{2,5}$/;
const URL_LABEL = /^[a-z0-9\u00a1-\uffff]+(?:-[a-z0-9\u00a1-\uffff]+)*$/iu;
const URL_TLD = /^[a-z\u00a1-\uffff]{2,}$/iu;
const FIRST_OCTET = /^(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])$/;
const MID_OCTET = /^(?:\d{1,2}|1\d\d|2[0-4]\d|25[0-5])$/;
const LAST_OCTET = /^(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4])$/;

/** Public unicast IPv4 as the url rule sees it: no 10/8, 127/8, 169.254/16, 192.168/16, 172.16/12. */
function publicIPv4(s: string): boolean {
  const p = s.split(".");
  if (p.length !== 4 || !FIRST_OCTET.test(p[0]!) || !MID_OCTET.test(p[1]!) || !MID_OCTET.test(p[2]!) || !LAST_OCTET.test(p[3]!)) {
    return false;
  }
  const [a, b] = p;
  return !(a === "10" || a === "127" || (a === "169" && b === "254") || (a === "192" && b === "168") || (a === "172" && /^(?:1[6-9]|2\d|3[01])$/.test(b!)));
}

/** `host[:port]` followed by end or a path. */
function urlHostPort(s: string): boolean {
  const slash = s.indexOf("/");
  const hostPort = slash < 0 ? s : s.slice(0, slash);
  const colon = hostPort.indexOf(":");
  if (colon >= 0 && !URL_PORT.test(hostPort.slice(colon + 1))) return false;
  const host = colon < 0 ? hostPort : hostPort.slice(0, colon);
  if (publicIPv4(host)) return true;
  const labels = host.split(".");
  return labels.length >= 2 && URL_TLD.test(labels.pop()!) && labels.every((l) => URL_LABEL.test(l));
}

function url(s: string): boolean {
  const scheme = URL_SCHEME.exec(s);
  if (!scheme || /\s/u.test(s)) return false;
  const rest = s.slice(scheme[0].length);
  if (urlHostPort(rest)) return true;
  // User info is any non-empty text up to an '@'. A host never contains '@' or
  // '/', so only the last '@' before each '/' can end it: one try per segment.
  let from = 0;
  while (from <= rest.length) {
    let to = rest.indexOf("/", from);
    if (to < 0) to = rest.length;
    const at = rest.lastIndexOf("@", to - 1);
    if (at >= from && at > 0 && urlHostPort(rest.slice(at + 1))) return true;
    from = to + 1;
  }
  return false;
}

// -------- Everything else.

function regex(s: string): boolean {
  try {
    new RegExp(s, "u");
    return true;
  } catch {
    return false;
  }
}

const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
/** `~` must start an escape (`~0` or `~1`). */
const BAD_TILDE = /~(?![01])/;

function jsonPointer(s: string): boolean {
  return s === "" || (s[0] === "/" && !BAD_TILDE.test(s));
}

const POINTER_FRAGMENT = /^(?:[A-Za-z0-9_\-.!$&'()*+,;:=@/]|%[0-9A-Fa-f]{2}|~[01])*$/;
const RELATIVE_POINTER = /^(?:0|[1-9]\d*)/;

// RFC 6570 template: literals (any char but CTLs, space and "'%<>\^`{|}, or a
// pct-triplet) and `{op? varspec,…}` expressions; reserved operators are grammatical.
const URI_TEMPLATE =
  /^(?:[^\x00-\x20\x7F"'%<>\\^`{|}]|%[0-9A-Fa-f]{2}|\{[+#./;?&=,!@|]?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*(?::[1-9]\d{0,3}|\*)?(?:,(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*(?::[1-9]\d{0,3}|\*)?)*\})*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const test = (re: RegExp): StringFormat => (s) => re.test(s);

/** JSON Schema 2020-12 formats (plus ajv-formats' OpenAPI ones), for ajv's `formats` option. */
export const formats: Readonly<Record<string, FormatDefinition>> = Object.freeze<Record<string, FormatDefinition>>({
  date,
  time: timeFormat(true),
  "date-time": dateTimeFormat(true),
  "iso-time": timeFormat(false),
  "iso-date-time": dateTimeFormat(false),
  duration: test(DURATION),
  uri: uriFormat(false, false),
  "uri-reference": uriFormat(false, true),
  iri: uriFormat(true, false),
  "iri-reference": uriFormat(true, true),
  "uri-template": test(URI_TEMPLATE),
  url,
  email: emailFormat(EMAIL_LOCAL, EMAIL_LABEL),
  "idn-email": emailFormat(IDN_EMAIL_LOCAL, IDN_EMAIL_LABEL),
  hostname: hostnameFormat(LABEL),
  "idn-hostname": hostnameFormat(IDN_LABEL),
  ipv4,
  ipv6,
  regex,
  uuid: test(UUID),
  "json-pointer": jsonPointer,
  "json-pointer-uri-fragment": (s: string) => s[0] === "#" && (s.length === 1 || s[1] === "/") && POINTER_FRAGMENT.test(s.slice(1)),
  "relative-json-pointer": (s: string) => {
    const m = RELATIVE_POINTER.exec(s);
    if (!m) return false;
    const rest = s.slice(m[0].length);
    return rest === "#" || jsonPointer(rest);
  },
  byte: (s: string) => s.length % 4 === 0 && BASE64.test(s),
  int32: { type: "number", validate: (n: number) => Number.isInteger(n) && n <= 2147483647 && n >= -2147483648 },
  // JavaScript numbers beyond 2^53 are still integers here, as in ajv-formats.
  int64: { type: "number", validate: (n: number) => Number.isInteger(n) },
  float: { type: "number", validate: () => true },
  double: { type: "number", validate: () => true },
  password: true,
  binary: true,
});

export const formatNames: readonly string[] = Object.freeze(Object.keys(formats));

/**
 * For a schema with a property named like an `Object.prototype` member (`constructor`,
 * `hasOwnProperty`, `__proto__`): precompiled code reads `data.constructor`, which on a plain
 * object is inherited, so an absent property would look present and its default would never
 * be filled in. The generator wraps exactly those validators in this, which first gives every
 * plain object in the data a null prototype (in place, so the handler receives the object
 * that was checked); other validators run untouched.
 */
export function ownKeys<F extends ((data: unknown, ...rest: any[]) => boolean) & { errors?: unknown }>(validate: F): F {
  const wrapped = ((data: unknown, ...rest: unknown[]) => {
    dropPrototypes(data);
    const ok = validate(data, ...rest);
    wrapped.errors = validate.errors;
    return ok;
  }) as F;
  return wrapped;
}

function dropPrototypes(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropPrototypes(item);
  } else if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    Object.setPrototypeOf(value, null);
    for (const key of Object.keys(value)) dropPrototypes((value as Record<string, unknown>)[key]);
  }
}
