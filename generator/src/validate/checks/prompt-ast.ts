import Handlebars from "handlebars";

/**
 * The one parse of a prompt template, shared by validation (which reports what the compiler
 * would refuse, against mcp.yaml) and the emitter (which compiles it to JavaScript). What a
 * template may use: `{{arg}}`, `{{{arg}}}`, `{{#if arg}}`/`{{#unless arg}}` with `{{else}}`,
 * comments and `\{{` escapes.
 */
export type ParsedPrompt =
  | { ok: true; ast: hbs.AST.Program; /** Puts back what parsing had to stand in for. */ restore: (text: string) => string }
  | { ok: false; message: string; /** The offending tag, when there is one to point at. */ tag?: string };

export function parsePromptTemplate(source: string): ParsedPrompt {
  // Handlebars' lexer treats NUL as the end of input; a private-use character the template does
  // not contain stands in for it and is swapped back in the compiled text.
  const stand = source.includes("\0") ? freeCharacter(source) : undefined;
  const text = stand ? source.replace(/\0/g, stand) : source;
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(text);
  } catch (error) {
    return { ok: false, message: `it is not a valid Handlebars template: ${firstLine(error)}` };
  }
  const unsupported = findUnsupported(ast.body);
  if (unsupported) return { ok: false, ...unsupported };
  return { ok: true, ast, restore: stand ? (t) => t.split(stand).join("\0") : (t) => t };
}

function freeCharacter(source: string): string {
  for (let cp = 0xe000; cp <= 0xf8ff; cp++) {
    const ch = String.fromCharCode(cp);
    if (!source.includes(ch)) return ch;
  }
  return "\uffff";
}

const firstLine = (error: unknown) => String(error instanceof Error ? error.message : error).split("\n")[0];

function isArgPath(e: hbs.AST.Node | undefined): e is hbs.AST.PathExpression {
  return e?.type === "PathExpression" && !(e as hbs.AST.PathExpression).data && (e as hbs.AST.PathExpression).parts.length === 1;
}

function findUnsupported(body: hbs.AST.Statement[]): { message: string; tag?: string } | undefined {
  for (const node of body) {
    if (node.type === "ContentStatement" || node.type === "CommentStatement") continue;
    if (node.type === "MustacheStatement") {
      const m = node as hbs.AST.MustacheStatement;
      if (isArgPath(m.path) && m.params.length === 0 && !m.hash) continue;
      return { message: "prompt templates insert arguments by name only (`{{name}}`); helpers, paths and parameters need a `get` handler instead of `template`" };
    }
    if (node.type === "BlockStatement") {
      const b = node as hbs.AST.BlockStatement;
      const helper = b.path.type === "PathExpression" ? (b.path as hbs.AST.PathExpression).original : "";
      if ((helper === "if" || helper === "unless") && b.params.length === 1 && isArgPath(b.params[0]) && !b.hash) {
        const inner = findUnsupported(b.program.body) ?? (b.inverse ? findUnsupported(b.inverse.body) : undefined);
        if (inner) return inner;
        continue;
      }
      return { message: `prompt templates support \`{{#if name}}\` and \`{{#unless name}}\` blocks, not \`{{#${helper}}}\`: write a \`get\` handler instead of \`template\``, tag: `{{#${helper}` };
    }
    return { message: `prompt templates do not support ${node.type === "PartialStatement" ? "partials" : "this construct"}: write a \`get\` handler instead of \`template\`` };
  }
  return undefined;
}
