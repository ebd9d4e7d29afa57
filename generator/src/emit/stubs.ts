import { readFileSync } from "node:fs";
import { dirname, posix } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import type { Model } from "../model/build.js";
import { jsdocText } from "./escape.js";
import { relativeImport, type HandlerFile, type HandlerExport } from "./layout.js";

const templatesDir = posix.join(dirname(fileURLToPath(import.meta.url)).replace(/\\/g, "/"), "../../templates");
const cache = new Map<string, Handlebars.TemplateDelegate>();

const readTemplate = (name: string) => readFileSync(posix.join(templatesDir, name), "utf8");

function template(name: string): Handlebars.TemplateDelegate {
  let t = cache.get(name);
  if (!t) {
    // One export's text, shared by fresh stubs and by exports appended on re-runs.
    if (!Handlebars.partials.export) Handlebars.registerPartial("export", readTemplate("handler-export.ts.hbs"));
    // Templates print manifest text only through the escaping module: `{{jsdoc doc}}`.
    if (!Handlebars.helpers.jsdoc) Handlebars.registerHelper("jsdoc", (text: unknown) => jsdocText(String(text)));
    t = Handlebars.compile(readTemplate(name), { noEscape: true, strict: true });
    cache.set(name, t);
  }
  return t;
}

/** The first version of a handler file; written once, then the author's. */
export function emitHandlerStub(model: Model, file: HandlerFile): string {
  return template("handler.ts.hbs")({
    typeImports: [...new Set(file.exports.map((e) => e.type))].sort().join(", "),
    contractImport: relativeImport(posix.dirname(file.path), `${model.paths.out}/contract.ts`),
    exports: file.exports,
  });
}

/** One export appended to an existing handler file (re-runs add only what is missing). */
export function emitHandlerExport(e: HandlerExport): string {
  return template("handler-export.ts.hbs")(e);
}

export function emitLifespanStub(): string {
  return template("lifespan.ts.hbs")({});
}

export function emitEntry(model: Model): string {
  return template("entry.ts.hbs")({
    wiringImport: relativeImport(posix.dirname(model.paths.entry), `${model.paths.out}/server.ts`),
  });
}
