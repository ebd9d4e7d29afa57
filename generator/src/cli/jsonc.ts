/**
 * A small JSON (and JSONC: comments, trailing commas) parser that keeps every value's
 * offsets, and an editor that changes one member of a config file in place: everything
 * else in the file, comments, key order and indentation included, stays byte for byte.
 */

export type JsonNode =
  | { type: "object"; start: number; end: number; members: JsonMember[] }
  | { type: "array"; start: number; end: number; items: JsonNode[] }
  | { type: "string" | "number" | "boolean" | "null"; start: number; end: number; value: unknown };

export interface JsonMember {
  key: string;
  keyStart: number;
  value: JsonNode;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly line: number,
    readonly col: number,
  ) {
    super(`${line}:${col}: ${reason}`);
  }
}

/** 1-based line and column of an offset. */
export function position(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

/** Parses a whole document. `comments: true` accepts JSONC (comments and trailing commas). */
export function parseJson(text: string, options: { comments?: boolean } = {}): JsonNode {
  const jsonc = options.comments === true;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (reason: string, at = i): never => {
    const { line, col } = position(text, at);
    throw new JsonSyntaxError(reason, at, line, col);
  };
  const describe = (at: number) => (at >= text.length ? "end of file" : `'${text[at]}'`);
  const skip = () => {
    for (;;) {
      const c = text[i];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
      else if (c === "/" && text[i + 1] === "/") {
        if (!jsonc) fail("comments are not allowed in this file");
        while (i < text.length && text[i] !== "\n") i++;
      } else if (c === "/" && text[i + 1] === "*") {
        if (!jsonc) fail("comments are not allowed in this file");
        const end = text.indexOf("*/", i + 2);
        if (end === -1) fail("unterminated comment");
        i = end + 2;
      } else return;
    }
  };
  const value = (): JsonNode => {
    skip();
    const start = i;
    const c = text[i];
    if (c === "{") {
      i++;
      const members: JsonMember[] = [];
      skip();
      if (text[i] === "}") return { type: "object", start, end: ++i, members };
      for (;;) {
        skip();
        if (text[i] === "}" && jsonc && members.length > 0) return { type: "object", start, end: ++i, members };
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${describe(i)}`);
        const keyStart = i;
        const key = string() as string;
        skip();
        if (text[i] !== ":") fail(`expected ':' after the property name, found ${describe(i)}`);
        i++;
        members.push({ key, keyStart, value: value() });
        skip();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") return { type: "object", start, end: ++i, members };
        fail(`expected ',' or '}' after a property value, found ${describe(i)}`);
      }
    }
    if (c === "[") {
      i++;
      const items: JsonNode[] = [];
      skip();
      if (text[i] === "]") return { type: "array", start, end: ++i, items };
      for (;;) {
        skip();
        if (text[i] === "]" && jsonc && items.length > 0) return { type: "array", start, end: ++i, items };
        items.push(value());
        skip();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") return { type: "array", start, end: ++i, items };
        fail(`expected ',' or ']' after an array element, found ${describe(i)}`);
      }
    }
    if (c === '"') return { type: "string", start, value: string(), end: i };
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (literal) {
      i += literal[0].length;
      const v = JSON.parse(literal[0]);
      return { type: v === null ? "null" : typeof v === "boolean" ? "boolean" : "number", start, end: i, value: v };
    }
    return fail(`expected a value, found ${describe(i)}`);
  };
  const string = (): unknown => {
    const start = i;
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        try {
          return JSON.parse(text.slice(start, i));
        } catch {
          return fail("invalid escape sequence or control character in a string", start);
        }
      }
      if (c === "\\") i++;
      else if (c === "\n") fail("unterminated string", start);
      i++;
    }
    return fail("unterminated string", start);
  };
  skip();
  if (i >= text.length) fail("the file is empty");
  const root = value();
  skip();
  if (i < text.length) fail(`unexpected ${describe(i)} after the end of the document`);
  return root;
}

/** The plain value of a node (the last of duplicate keys wins, as in JSON.parse). */
export function toValue(node: JsonNode): unknown {
  if (node.type === "object") {
    const out: Record<string, unknown> = {};
    for (const m of node.members) {
      if (m.key === "__proto__") Object.defineProperty(out, m.key, { value: toValue(m.value), enumerable: true, writable: true, configurable: true });
      else out[m.key] = toValue(m.value);
    }
    return out;
  }
  if (node.type === "array") return node.items.map(toValue);
  return node.value;
}

/** The member of an object node (the last one when a key repeats). */
export const member = (node: JsonNode, key: string): JsonMember | undefined =>
  node.type === "object" ? node.members.filter((m) => m.key === key).pop() : undefined;

/** The indentation unit the file uses (its first indented line), two spaces by default. */
export function detectIndent(text: string): string {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return "  ";
  return m[1]!.startsWith("\t") ? "\t" : m[1]!;
}

/** The whitespace that starts the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** JSON of a value laid out at `base` indentation (the first line is not indented). */
function serialize(value: unknown, unit: string, base: string, eol: string): string {
  return JSON.stringify(value, null, unit).split("\n").join(eol + base);
}

/** Canonical JSON (sorted keys) for comparing values. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

export class JsonShapeError extends Error {}

/**
 * Sets `root[container][name] = value` in a document's text. `value` is a function of the
 * current value (undefined when absent), so callers can merge. Only the changed member's
 * text is rewritten; a new member goes after the container's last one, indented like it.
 * A missing or blank document becomes `{ container: { name: value } }`.
 */
export function setMember(
  text: string | undefined,
  container: string,
  name: string,
  value: (current: unknown) => unknown,
  options: { comments?: boolean } = {},
): { text: string; status: "added" | "updated" | "unchanged"; before: unknown } {
  if (text === undefined || text.trim() === "") {
    const next = value(undefined);
    return { text: JSON.stringify({ [container]: { [name]: next } }, null, 2) + "\n", status: "added", before: undefined };
  }
  const root = parseJson(text, options);
  if (root.type !== "object") throw new JsonShapeError("the file's top level is not an object");
  const unit = detectIndent(text);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const box = member(root, container);
  if (box && box.value.type !== "object") throw new JsonShapeError(`"${container}" is not an object`);
  const existing = box ? member(box.value, name) : undefined;
  const before = existing ? toValue(existing.value) : undefined;
  const next = value(before);
  if (existing) {
    if (canonical(before) === canonical(next)) return { text, status: "unchanged", before };
    const base = lineIndent(text, existing.keyStart);
    const replaced = text.slice(0, existing.value.start) + serialize(next, unit, base, eol) + text.slice(existing.value.end);
    return { text: replaced, status: "updated", before };
  }
  const target = box ? box.value : root;
  const key = box ? name : container;
  const inserted = box ? next : { [name]: next };
  return { text: insertMember(text, target as Extract<JsonNode, { type: "object" }>, key, inserted, unit, eol), status: "added", before };
}

function insertMember(text: string, obj: Extract<JsonNode, { type: "object" }>, key: string, value: unknown, unit: string, eol: string): string {
  const objIndent = lineIndent(text, obj.start);
  const last = obj.members[obj.members.length - 1];
  // Indented like the last member when it sits on a line of its own, else one unit in.
  const lastOwnLine = last !== undefined && text.slice(obj.start, last.keyStart).includes("\n");
  const indent = last && lastOwnLine ? lineIndent(text, last.keyStart) : objIndent + unit;
  const prop = `${JSON.stringify(key)}: ${serialize(value, unit, indent, eol)}`;
  if (!last) return text.slice(0, obj.start) + `{${eol}${indent}${prop}${eol}${objIndent}}` + text.slice(obj.end);
  const at = last.value.end;
  return text.slice(0, at) + `,${eol}${indent}${prop}` + text.slice(at);
}
