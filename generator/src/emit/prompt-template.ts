import { parsePromptTemplate } from "../validate/checks/prompt-ast.js";
import { tsString } from "./escape.js";

/**
 * Compiles a prompt's Handlebars template into a JavaScript expression over `args`,
 * at generate time, so the runtime needs no template engine. Supported: `{{name}}`
 * and `{{{name}}}` (never HTML-escaped: prompts are not HTML), `{{#if name}}`,
 * `{{#unless name}}` with `{{else}}`, comments, and `\{{` escapes.
 */
export function compilePromptTemplate(source: string): string {
  const parsed = parsePromptTemplate(source);
  // Validation reported this against mcp.yaml already; reaching it here is a bug.
  if (!parsed.ok) throw new Error(`prompt template refused: ${parsed.message}`);
  const parts = program(parsed.ast, parsed.restore);
  return parts.length === 0 ? '""' : parts.join(" + ");
}

type Restore = (text: string) => string;

function program(p: hbs.AST.Program | undefined, restore: Restore): string[] {
  if (!p) return [];
  const out: string[] = [];
  for (const node of p.body) {
    const part = statement(node, restore);
    if (part !== undefined) out.push(part);
  }
  return out;
}

function statement(node: hbs.AST.Statement, restore: Restore): string | undefined {
  switch (node.type) {
    case "ContentStatement":
      return tsString(restore((node as hbs.AST.ContentStatement).value));
    case "CommentStatement":
      return undefined;
    case "MustacheStatement": {
      const m = node as hbs.AST.MustacheStatement;
      return `(args[${tsString(pathName(m.path))}] ?? "")`;
    }
    case "BlockStatement": {
      const b = node as hbs.AST.BlockStatement;
      const helper = pathName(b.path);
      if ((helper !== "if" && helper !== "unless") || b.params.length !== 1) {
        throw new Error(`Unsupported block helper '{{#${helper}}}': prompt templates support #if and #unless`);
      }
      const test = `args[${tsString(pathName(b.params[0] as hbs.AST.Expression))}]`;
      const yes = join(program(b.program, restore));
      const no = join(program(b.inverse, restore));
      return helper === "if" ? `(${test} ? ${yes} : ${no})` : `(${test} ? ${no} : ${yes})`;
    }
    default:
      throw new Error(`Unsupported template construct: ${node.type}`);
  }
}

const join = (parts: string[]) => (parts.length === 0 ? '""' : parts.length === 1 ? parts[0]! : `(${parts.join(" + ")})`);

function pathName(e: hbs.AST.Expression | hbs.AST.PathExpression | hbs.AST.SubExpression | hbs.AST.Literal): string {
  if (e.type !== "PathExpression") throw new Error("Template placeholders must be argument names");
  return (e as hbs.AST.PathExpression).parts[0] ?? "";
}
