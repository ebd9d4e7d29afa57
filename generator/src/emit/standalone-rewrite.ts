/**
 * Turns ajv "standalone" validator code (compiled with `code: { source: true,
 * esm: true, formats: _`formats` }`) into an ES module that needs no ajv: every
 * `require(...)` ajv emits becomes a named import from the runtime validation
 * module (normally "@mcpgen/runtime/validation"), and the free `formats`
 * identifier is imported from it too. Ajv bakes the shape of each format
 * definition (function, RegExp, {type, validate}) into the code, so the validators
 * must be compiled with exactly the runtime's `formats` added to ajv.
 *
 * The rewrite works on tokens, not raw text, so that `require(` or `formats`
 * inside a string or regex literal of the validator (a schema's description, a
 * pattern) is left alone. Anything it does not recognise throws: a validator that
 * would fail at run time must fail the build instead.
 */

/** `require("module").property` → the runtime export standing in for it. */
const KNOWN_REQUIRES: Record<string, string> = {
  'ajv/dist/runtime/ucs2length".default': "ucs2length",
  'ajv/dist/runtime/equal".default': "equal",
  'ajv/dist/runtime/validation_error".default': "ValidationError",
};

/** Known but deliberately unsupported, with the reason. */
const UNSUPPORTED: Record<string, string> = {
  "ajv/dist/runtime/uri": "ajv only resolves URIs at compile time; standalone code should never reference it",
  "ajv/dist/runtime/re2": "the code.regExp (re2) option is not supported; patterns must use JavaScript RegExp",
  "ajv/dist/runtime/timestamp": "JTD schemas are not supported",
  "ajv/dist/runtime/parseJson": "JTD parsers are not supported",
  "ajv/dist/runtime/quote": "JTD serializers are not supported",
  // ajv-formats sets this when `code.formats` is unset. Its definitions have a
  // different shape ({validate, compare}) from the runtime's, and ajv bakes the
  // shape into the code, so the runtime's `formats` cannot stand in for them.
  "ajv-formats/dist/formats": "compile with code.formats = _`formats` and the runtime's own formats instead of ajv-formats",
};

/** The identifier ajv's `code.formats` option refers to. */
const FORMATS = "formats";

interface Token {
  kind: "ident" | "string" | "regex" | "punct";
  start: number;
  end: number;
}

export function rewriteStandaloneImports(code: string, moduleSpecifier: string): string {
  const tokens = tokenize(code);
  const used = new Set<string>();
  const declared = new Set<string>(); // identifiers the code already has, to avoid import clashes
  let out = "";
  let copied = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "ident") continue;
    const name = code.slice(t.start, t.end);
    const prev = tokens[i - 1];
    const isProperty = prev !== undefined && code.slice(prev.start, prev.end) === ".";
    if (isProperty) continue;
    if (name === "module" || name === "exports") {
      throw new Error("rewriteStandaloneImports: expected ES module output (ajv option code.esm: true), found CommonJS");
    }
    if (name === FORMATS) {
      used.add(FORMATS);
      continue;
    }
    if (name !== "require") {
      declared.add(name);
      continue;
    }
    // require ( "spec" ) . property
    const [open, spec, close, dot, prop] = tokens.slice(i + 1, i + 6);
    const text = (tok: Token | undefined) => (tok ? code.slice(tok.start, tok.end) : "");
    // ajv writes module names as JSON strings.
    const specifier = spec?.kind === "string" && text(spec)[0] === '"' ? (JSON.parse(text(spec)) as string) : undefined;
    if (text(open) !== "(" || specifier === undefined || text(close) !== ")") {
      throw new Error(`rewriteStandaloneImports: unsupported require at offset ${t.start}: ${code.slice(t.start, t.start + 60)}`);
    }
    const exportName = text(dot) === "." && prop?.kind === "ident" ? KNOWN_REQUIRES[`${specifier}".${text(prop)}`] : undefined;
    if (!exportName) {
      const why = UNSUPPORTED[specifier];
      throw new Error(
        `rewriteStandaloneImports: cannot replace require(${JSON.stringify(specifier)})${text(dot) === "." ? "." + text(prop) : ""}` +
          (why ? `: ${why}` : ": unknown module"),
      );
    }
    used.add(exportName);
    out += code.slice(copied, t.start) + exportName;
    copied = prop!.end;
    i += 5;
  }
  out += code.slice(copied);
  for (const name of used) {
    if (declared.has(name)) {
      throw new Error(`rewriteStandaloneImports: the validator code already uses the identifier "${name}"`);
    }
  }
  if (used.size === 0) return out;
  const names = [...used].sort().join(", ");
  return `import { ${names} } from ${JSON.stringify(moduleSpecifier)};\n${out}`;
}

// ---------------------------------------------------------------- tokenizer
//
// Just enough JavaScript lexing for machine-generated validator code: names,
// string/template/regex literals and comments are recognised so that nothing
// inside a literal is mistaken for code. Whitespace is dropped; every other
// character is a one-character punctuator.

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_$]/;
/** After these a `/` starts a regex literal; after anything else it divides. */
const REGEX_AFTER_PUNCT = new Set("(,=:[!&|?{};+-*%<>~^".split(""));
const REGEX_AFTER_WORD = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else"]);

function tokenize(code: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = code.length;
  const fail = (msg: string, at: number): never => {
    throw new Error(`rewriteStandaloneImports: ${msg} at offset ${at}`);
  };
  while (i < n) {
    const c = code[i]!;
    const start = i;
    if (c === " " || c === "\n" || c === "\t" || c === "\r") {
      i++;
    } else if (c === "/" && code[i + 1] === "/") {
      i = code.indexOf("\n", i);
      if (i < 0) i = n;
    } else if (c === "/" && code[i + 1] === "*") {
      const end = code.indexOf("*/", i + 2);
      if (end < 0) fail("unterminated comment", i);
      i = end + 2;
    } else if (IDENT_START.test(c)) {
      while (i < n && IDENT_PART.test(code[i]!)) i++;
      tokens.push({ kind: "ident", start, end: i });
    } else if (c === '"' || c === "'" || c === "`") {
      // Template literals are skipped whole: ajv does not emit `${}` substitutions.
      i++;
      while (i < n && code[i] !== c) i += code[i] === "\\" ? 2 : 1;
      if (i >= n) fail("unterminated string", start);
      i++;
      tokens.push({ kind: "string", start, end: i });
    } else if (c === "/" && regexAllowed(code, tokens[tokens.length - 1])) {
      i++;
      let inClass = false;
      while (i < n && (inClass || code[i] !== "/")) {
        if (code[i] === "\n") fail("unterminated regex", start);
        if (code[i] === "\\") i++;
        else if (code[i] === "[") inClass = true;
        else if (code[i] === "]") inClass = false;
        i++;
      }
      if (i >= n) fail("unterminated regex", start);
      i++;
      while (i < n && IDENT_PART.test(code[i]!)) i++; // flags
      tokens.push({ kind: "regex", start, end: i });
    } else {
      i++;
      tokens.push({ kind: "punct", start, end: i });
    }
  }
  return tokens;
}

function regexAllowed(code: string, prev: Token | undefined): boolean {
  if (!prev) return true;
  const text = code.slice(prev.start, prev.end);
  if (prev.kind === "punct") return REGEX_AFTER_PUNCT.has(text);
  return prev.kind === "ident" && REGEX_AFTER_WORD.has(text);
}
