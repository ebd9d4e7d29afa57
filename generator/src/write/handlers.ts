import { posix } from "node:path";
import type { Model } from "../model/build.js";
import { emitHandlerExport } from "../emit/stubs.js";
import { relativeImport, type HandlerFile } from "../emit/layout.js";
import { missingExportsByScan } from "./export-scan.js";

export interface HandlerUpdate {
  /** The file's new text, or undefined when it could not be parsed (left alone). */
  text?: string;
  added: string[];
  unparseable?: string;
}


let tsMorph: typeof import("ts-morph") | undefined;

/**
 * Adds the exports a handler file lacks, with ts-morph, touching nothing else: no
 * body is rewritten, nothing is removed. A file that does not parse is left alone.
 */
export async function addMissingExports(model: Model, file: HandlerFile, text: string): Promise<HandlerUpdate> {
  const candidates = missingExportsByScan(text, file);
  if (candidates.length === 0) return { added: [] };
  tsMorph ??= await import("ts-morph");
  const project = new tsMorph.Project({ useInMemoryFileSystem: true, compilerOptions: { allowJs: false } });
  const sf = project.createSourceFile(file.path, text);
  const syntax = project.getProgram().compilerObject.getSyntacticDiagnostics(sf.compilerNode);
  if (syntax.length > 0) {
    const d = syntax[0]!;
    const pos = d.start !== undefined ? sf.getLineAndColumnAtPos(d.start) : { line: 1, column: 1 };
    const message = typeof d.messageText === "string" ? d.messageText : d.messageText.messageText;
    return { added: [], unparseable: `${file.path}:${pos.line}:${pos.column}: ${message}` };
  }
  const exported = sf.getExportedDeclarations();
  const missing = file.exports.filter((e) => !exported.has(e.name));
  if (missing.length === 0) return { added: [] };

  const contract = relativeImport(posix.dirname(file.path), `${model.paths.out}/contract.ts`);
  const types = [...new Set(missing.map((e) => e.type))];
  const existing = sf.getImportDeclarations().find((d) => d.getModuleSpecifierValue() === contract);
  if (existing) {
    const have = new Set(existing.getNamedImports().map((n) => n.getName()));
    for (const t of types) if (!have.has(t)) existing.addNamedImport(existing.isTypeOnly() ? t : { name: t, isTypeOnly: true });
  } else {
    sf.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: contract, namedImports: types });
  }
  if (missing.some((e) => e.body.includes("notImplemented(")) && !/\bnotImplemented\b/.test(importsText(sf))) {
    const runtime = sf.getImportDeclarations().find((d) => d.getModuleSpecifierValue() === "@mcpgen/runtime" && !d.isTypeOnly());
    if (runtime) runtime.addNamedImport("notImplemented");
    else sf.insertImportDeclaration(0, { moduleSpecifier: "@mcpgen/runtime", namedImports: ["notImplemented"] });
  }
  let out = sf.getFullText();
  if (!out.endsWith("\n")) out += "\n";
  for (const e of missing) out += emitHandlerExport(e);
  return { text: out, added: missing.map((e) => e.name) };
}

function importsText(sf: import("ts-morph").SourceFile): string {
  return sf.getImportDeclarations().map((d) => d.getText()).join("\n");
}
