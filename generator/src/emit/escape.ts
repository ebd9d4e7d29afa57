/**
 * The one place manifest text becomes generated text. Every emitter, template and renderer
 * that puts something the author wrote (a name, a description, a default, a URI, a prompt)
 * into code or docs goes through the function for its target context, so `*\/` in a
 * description, a backtick in a prompt or `</script>` in a title is inert wherever it lands.
 *
 * Contexts:
 * - TypeScript string literal ............. tsString
 * - a JSON value as a TypeScript expression jsonExpr
 * - a key in an object literal ............ objectKey
 * - template literal body ................. templateLiteralText
 * - JSDoc (`/** ... *\/`) .................. jsdocText
 * - line comment (`// ...`) ................ lineCommentText
 * - Markdown (inline text, code span, prose) markdownText, markdownCode, markdownProse
 * - HTML text and attribute values ........ htmlText
 */

/**
 * A TypeScript string literal. JSON's string syntax is a subset of ECMAScript 2019's
 * (U+2028/U+2029 are legal in string literals since ES2019, and TypeScript accepts them), and
 * `JSON.stringify` escapes lone surrogates and control characters, so the result always parses
 * back to exactly `text`.
 */
export function tsString(text: string): string {
  return JSON.stringify(text);
}

/**
 * A property key in an object literal. `"__proto__": v` would set the prototype, so that one
 * key is written computed (`["__proto__"]: v`), which defines an own property like any other.
 */
export function objectKey(name: string): string {
  return name === "__proto__" ? `[${tsString(name)}]` : tsString(name);
}

/** Does a JSON value hold an own `__proto__` key anywhere? */
function hasProtoKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasProtoKey);
  if (value === null || typeof value !== "object") return false;
  for (const key of Object.keys(value)) {
    if (key === "__proto__" || hasProtoKey((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/**
 * A JSON value (schema, `_meta`, icons, annotations...) as a TypeScript expression that
 * evaluates to exactly that value. Usually the JSON text itself: a JSON object is an object
 * literal. But in an object literal `"__proto__": x` sets the prototype instead of adding a
 * key, which would silently drop the key from what clients see; values holding one are
 * emitted as `JSON.parse("…")`, which creates it as an own property.
 */
export function jsonExpr(value: unknown): string {
  const json = JSON.stringify(value);
  return hasProtoKey(value) ? `JSON.parse(${JSON.stringify(json)})` : json;
}

/** Lone surrogates become U+FFFD: files are written as UTF-8, which cannot hold them. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** Control characters other than tab and newline show as `\u{…}` text: inert, and visible. */
function visibleControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** Comments are for people: this many characters of a description are enough in a tooltip. */
const COMMENT_MAX = 2000;

function clip(text: string): string {
  return text.length > COMMENT_MAX ? `${text.slice(0, COMMENT_MAX)}…` : text;
}

/**
 * Text for a one-line JSDoc comment (`/** ${jsdocText(x)} *\/`): `*\/` cannot close the
 * comment, line breaks of every kind (CR, LF, U+2028, U+2029) become spaces, control
 * characters and lone surrogates are made visible and safe, and very long text is clipped.
 */
export function jsdocText(text: string): string {
  return clip(visibleControls(wellFormed(text)))
    .replace(/\r\n?|[\n\u2028\u2029]/g, " ")
    .replace(/\*\//g, "*\\/")
    .trim();
}

/** Text for a `//` line comment: any line terminator would end the comment and start code. */
export function lineCommentText(text: string): string {
  return clip(visibleControls(wellFormed(text))).replace(/\r\n?|[\n\u2028\u2029]/g, " ").trim();
}

/** The body of a template literal: backslashes, backticks and `${` are escaped. */
export function templateLiteralText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
}

/** Markdown inline text that must show as written: punctuation and HTML are escaped. */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]<#|!~&]/g, (c) => (c === "<" ? "&lt;" : c === "&" ? "&amp;" : `\\${c}`));
}

/** A Markdown code span that survives backticks in its content. */
export function markdownCode(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || text === "" ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Author prose in Markdown: Markdown stays Markdown, but raw HTML (`</script>`) shows as text. */
export function markdownProse(text: string): string {
  return text.trim().replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

/** HTML text or a quoted attribute value. */
export function htmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
