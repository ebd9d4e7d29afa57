/**
 * The one mapping from manifest names (protocol names such as `get-sum`, `delete`, `a.b`) to
 * names in generated code. Everything that emits an identifier, a type name or a file name
 * goes through here, and the validator uses the same functions to reject manifests whose names
 * would collide after mapping: a collision is reported against mcp.yaml instead of surfacing
 * later as a TypeScript error in generated code (Prisma's keyword denylist is the model).
 *
 * Protocol names themselves are never changed: clients still see `get-sum`.
 */

/**
 * Words that get a trailing `_` when they would be the whole identifier.
 *
 * Why more than the ECMAScript reserved words: generated code is strict-mode ESM TypeScript,
 * where `let`, `static`, `yield`, `await`, `implements`, `interface`, `package`, `private`,
 * `protected`, `public`, `enum` are reserved too, `arguments` and `eval` cannot be bound, and
 * `undefined`, `NaN`, `Infinity` can be shadowed only confusingly. TypeScript's contextual
 * keywords (`type`, `from`, `of`, `as`, `string`...) are legal variable names today but not
 * in every position (type aliases, some declarations), so one simple rule covers them all:
 * any keyword of JavaScript or TypeScript gets a `_`. `from` -> `from_`, `delete` -> `delete_`.
 */
export const RESERVED_WORDS: readonly string[] = [
  // ECMAScript reserved words
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do',
  'else', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in',
  'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try',
  'typeof', 'var', 'void', 'while', 'with',
  // future / strict-mode reserved words, and module code
  'await', 'enum', 'implements', 'interface', 'let', 'package', 'private', 'protected', 'public',
  'static', 'yield',
  // cannot be bound in strict mode, or shadowing them only confuses
  'arguments', 'eval', 'undefined', 'NaN', 'Infinity',
  // TypeScript keywords and contextual keywords
  'abstract', 'accessor', 'any', 'as', 'assert', 'asserts', 'async', 'bigint', 'boolean',
  'constructor', 'declare', 'from', 'get', 'global', 'infer', 'intrinsic', 'is', 'keyof',
  'module', 'namespace', 'never', 'number', 'object', 'of', 'out', 'override', 'readonly',
  'require', 'satisfies', 'set', 'string', 'symbol', 'type', 'unique', 'unknown', 'using',
];

/**
 * PascalCase names that would shadow globals or TypeScript built-ins the generated code relies
 * on (a type named `Promise` would break every handler signature); they get a trailing `_`.
 */
export const RESERVED_TYPE_NAMES: readonly string[] = [
  'AbortSignal', 'Array', 'ArrayBuffer', 'AsyncIterable', 'Awaited', 'BigInt', 'Boolean', 'Buffer',
  'Date', 'Error', 'Exclude', 'Extract', 'Function', 'Headers', 'InstanceType', 'Iterable', 'JSON',
  'Map', 'Math', 'NonNullable', 'Number', 'Object', 'Omit', 'Parameters', 'Partial', 'Pick',
  'Promise', 'PromiseLike', 'Readonly', 'ReadonlyArray', 'Record', 'RegExp', 'Request', 'Required',
  'Response', 'ReturnType', 'Set', 'String', 'Symbol', 'URL', 'Uint8Array',
  // the root type the type emitter compiles all others under
  'McpgenAllTypes',
];

/** Windows cannot create files with these base names, whatever the extension. */
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

const reserved = new Set(RESERVED_WORDS);
const reservedTypes = new Set(RESERVED_TYPE_NAMES);

const ID_START = /[\p{ID_Start}$_]/u;
const ID_CONTINUE = /[\p{ID_Continue}$\u200c\u200d]/u;

/** Splits on everything that cannot continue an identifier, and on `_`, keeping word case. */
function words(name: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of name) {
    if (ch !== '_' && ch !== '$' && ID_CONTINUE.test(ch)) current += ch;
    else if (current) {
      out.push(current);
      current = '';
    }
  }
  if (current) out.push(current);
  return out;
}

function upperFirst(word: string): string {
  const [first = '', ...rest] = word;
  return first.toUpperCase() + rest.join('');
}

/** `HTTPServer` -> `httpServer`, `URL` -> `url`, `Get` -> `get`: leading capitals become lower case. */
function lowerFirstWord(word: string): string {
  const lead = /^\p{Lu}+/u.exec(word)?.[0] ?? '';
  if (lead.length === word.length) return word.toLowerCase();
  if (lead.length <= 1) return word.charAt(0).toLowerCase() + word.slice(1);
  // The last capital of a run starts the next word: `HTTPServer` -> `http` + `Server`.
  const keep = lead.length - 1;
  return word.slice(0, keep).toLowerCase() + word.slice(keep);
}

/**
 * A safe camelCase identifier for values and functions: `get-sum` -> `getSum`,
 * `delete` -> `delete_`, `123` -> `_123`, `a.b` -> `aB`, `` -> `_`. Deterministic; distinct
 * names may map to one identifier (`get_sum`, `get-sum`), which the validator reports.
 */
export function toIdentifier(name: string): string {
  const parts = words(name);
  if (parts.length === 0) return '_';
  const [head, ...tail] = parts as [string, ...string[]];
  let id = lowerFirstWord(head) + tail.map(upperFirst).join('');
  if (!ID_START.test(id[0] ?? '')) id = `_${id}`;
  if (reserved.has(id)) id = `${id}_`;
  return id;
}

/**
 * ASCII words for type names: accents are dropped (`Café` -> `Cafe`), other non-ASCII
 * characters become `U` + their code point (`日` -> `U65E5`), and a letter after digits is
 * upper-cased (`3sA` -> `3SA`).
 *
 * Why: json-schema-to-typescript, which prints the types, renames every type whose name is not
 * already in this form (its `toSafeString`), so a type name outside it is emitted under one
 * name and imported under another. Names in this form are fixed points of that function.
 */
function asciiTypeWords(name: string): string[] {
  const ascii = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\x00-\x7f]/gu, (c) => ` U${c.codePointAt(0)!.toString(16).toUpperCase()} `);
  return ascii
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.replace(/[0-9]+[a-z]/g, (m) => m.toUpperCase()));
}

/**
 * A PascalCase type name, always ASCII: `get_forecast` -> `GetForecast`, `123abc` ->
 * `T123Abc`, `promise` -> `Promise_`, `Browser console logs` -> `BrowserConsoleLogs`.
 * Deterministic; collisions are reported by the validator.
 */
export function toTypeName(name: string): string {
  let id = asciiTypeWords(name).map(upperFirst).join("");
  if (!/^[A-Za-z]/.test(id)) id = `T${id}`;
  if (reservedTypes.has(id)) id = `${id}_`;
  return id;
}

/**
 * A file base name (no extension) safe on every OS: `[A-Za-z0-9_-]` kept, anything else
 * (`.`, spaces, non-ASCII) becomes `_`; Windows device names and a leading `-` get a `_`.
 * Two names may map to one file; the validator reports that, case-insensitively, because
 * macOS and Windows file systems ignore case.
 */
export function toFileName(name: string): string {
  let base = name.replace(/[^A-Za-z0-9_-]/gu, '_');
  if (base === '' || base.startsWith('-')) base = `_${base}`;
  if (WINDOWS_DEVICE_NAMES.test(base)) base = `${base}_`;
  return base;
}

/**
 * Suffixes of the TypeScript types derived from manifest items (`get_forecast` ->
 * `GetForecastInput`), as the type emitter builds them: `toTypeName(name) + suffix`. Shared
 * with the validator so that a declared type equal to a derived name is reported against
 * mcp.yaml instead of breaking the generated types.
 */
export const DERIVED_TYPE_SUFFIXES = {
  toolInput: 'Input',
  toolArguments: 'Arguments',
  toolOutput: 'Output',
  resourceParams: 'Params',
  promptArguments: 'Args',
} as const;

export type DerivedTypeKind = keyof typeof DERIVED_TYPE_SUFFIXES;

/** `derivedTypeName('toolInput', 'get_forecast')` -> `GetForecastInput`. */
export function derivedTypeName(kind: DerivedTypeKind, itemName: string): string {
  return `${toTypeName(itemName)}${DERIVED_TYPE_SUFFIXES[kind]}`;
}

/** The answer type of a tool's elicitation form: `book_table` + `confirm` -> `BookTableConfirm`. */
export function elicitFormTypeName(toolName: string, formName: string): string {
  return `${toTypeName(toolName)}${toTypeName(formName)}`;
}

/**
 * Members of the generated typed client, and names every object has: a method named after a
 * tool must not replace them (`then` would make the client a thenable that `await` unwraps).
 */
const CLIENT_MEMBERS = new Set([
  "mcp", "close", "connect", "then", "catch", "finally", "toString", "toLocaleString", "valueOf",
  "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "__proto__", "__defineGetter__",
  "__defineSetter__", "__lookupGetter__", "__lookupSetter__", "prototype", "name", "length",
]);

/**
 * The typed client's method for an item: tools by their identifier (`get-sum` -> `getSum`),
 * resources and prompts with a verb (`readConfig`, `getReview`); a `_` after any name the
 * client or every object already has (`then` -> `then_`).
 */
export function clientMethodName(kind: "tool" | "read" | "get", codeName: string): string {
  const id = toIdentifier(kind === "tool" ? codeName : `${kind}_${codeName}`);
  return CLIENT_MEMBERS.has(id) ? `${id}_` : id;
}

/** The completion handler export for a template variable or prompt argument: `user_id` -> `completeUserId`. */
export function completionExportName(name: string): string {
  return `complete${toTypeName(name)}`;
}

/**
 * The name an item's code derives from: its `id:` in mcp.yaml when it has one (the way out of
 * a collision: `get-sum` and `get_sum` both become `getSum`), else its protocol name.
 */
export function codeNameOf(name: string, item: unknown): string {
  const id = item !== null && typeof item === "object" ? (item as { id?: unknown }).id : undefined;
  return typeof id === "string" && id !== "" ? id : name;
}

/**
 * Names the handler contract (contract.ts) declares or imports itself. A per-item contract type
 * (`<Type>Handler`, `<Type>Context`, `<Type>Read`, `<Type>List`, `<Type>Get`) that would equal one
 * (a tool named `server` with questions: `ServerContext`) gets a `_` before its suffix.
 */
const CONTRACT_NAMES = new Set([
  "AppContext", "CompletionHandler", "LifespanServer", "MaybePromise", "ServerContext", "ServerItems", "VerifyToken",
  "CompletionContext", "CompletionReturn", "Context", "ElicitResult", "ExplicitToolResult", "McpServer",
  "PromptReturn", "Registered", "Resource", "ResourceReturn", "ToolReturn", "VerifyTokenFn",
]);

export type ContractSuffix = "Handler" | "Context" | "Read" | "List" | "Get";

/** `contractTypeName("GetSum", "Handler")` -> `GetSumHandler`; `("Server", "Context")` -> `Server_Context`. */
export function contractTypeName(typeName: string, suffix: ContractSuffix): string {
  const name = `${typeName}${suffix}`;
  return CONTRACT_NAMES.has(name) ? `${typeName}_${suffix}` : name;
}
