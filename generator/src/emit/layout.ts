import { posix } from "node:path";
import type { Model } from "../model/build.js";
import { contractTypeName } from "../naming/names.js";
import { tsString } from "./escape.js";

/** One function the author writes: its export name, contract type and stub. */
export interface HandlerExport {
  name: string;
  type: string;
  /** Parameter list of the stub, e.g. `(input, ctx)`. */
  params: string;
  doc: string;
  /** The statement a fresh stub runs. */
  body: string;
}

/** One handler file (the author's), with every export the wiring imports from it. */
export interface HandlerFile {
  /** Relative to the project root, POSIX. */
  path: string;
  kind: "tool" | "resource" | "template" | "prompt" | "lifespan" | "auth";
  itemName: string;
  exports: HandlerExport[];
}

/** The export names each kind of handler file must provide. */
export const HANDLER_EXPORTS = {
  tool: "handler",
  read: "read",
  list: "list",
  get: "get",
  verifyToken: "verifyToken",
} as const;

/** The custom token verifier's stub: refuses every token until written. */
const VERIFY_TOKEN_BODY = [
  "// Check the token (ask your identity provider, look it up in your database, ...) and",
  "  // return who the caller is, such as:",
  "  //   return { subject: \"user-1\", clientId: \"my-app\", scopes: [\"notes:read\"] };",
  "  // context.audience names this server: refuse tokens issued for anything else.",
  "  // Returning undefined refuses the token (401 invalid_token).",
  "  void token;",
  "  void request;",
  "  void context;",
  "  return undefined;",
].join("\n");

const notImplemented = (kind: string, name: string, file: string) =>
  `throw notImplemented(${tsString(kind)}, ${tsString(name)}, ${tsString(file)});`;

/** Every handler file the manifest needs, in a stable order. */
export function handlerFiles(model: Model): HandlerFile[] {
  const files: HandlerFile[] = [];
  const at = (file: string) => `${model.paths.handlers}/${file}`;
  for (const t of model.tools) {
    const path = at(t.file);
    files.push({
      path, kind: "tool", itemName: t.name,
      exports: [{
        name: HANDLER_EXPORTS.tool, type: contractTypeName(t.typeName, "Handler"), params: "(input, ctx)",
        doc: (t.meta.description as string | undefined) ?? `The '${t.name}' tool.`,
        body: notImplemented("Tool", t.name, path),
      }],
    });
  }
  for (const r of model.resources) {
    if (r.text !== undefined || r.blob !== undefined) continue;
    const path = at(r.file);
    files.push({
      path, kind: "resource", itemName: r.name,
      exports: [{ name: HANDLER_EXPORTS.read, type: contractTypeName(r.typeName, "Read"), params: "(uri, ctx)", doc: `Contents of ${r.uri}.`, body: notImplemented("Resource", r.name, path) }],
    });
  }
  for (const t of model.templates) {
    const path = at(t.file);
    const exports: HandlerExport[] = [
      { name: HANDLER_EXPORTS.read, type: contractTypeName(t.typeName, "Read"), params: "(params, uri, ctx)", doc: `Contents of ${t.uriTemplate}.`, body: notImplemented("Resource template", t.name, path) },
    ];
    if (t.list) exports.push({ name: HANDLER_EXPORTS.list, type: contractTypeName(t.typeName, "List"), params: "(ctx)", doc: `The concrete ${t.uriTemplate} resources to list.`, body: "return [];" });
    for (const c of t.complete) {
      exports.push({ name: c.exportName, type: "CompletionHandler", params: "(value, context, ctx)", doc: `Suggestions for {${c.variable}}.`, body: "return [];" });
    }
    files.push({ path, kind: "template", itemName: t.name, exports });
  }
  for (const p of model.prompts) {
    const completes = p.arguments.filter((a) => a.complete);
    if (!p.needsHandler && completes.length === 0) continue;
    const path = at(p.file);
    const exports: HandlerExport[] = [];
    if (p.needsHandler) {
      exports.push({ name: HANDLER_EXPORTS.get, type: contractTypeName(p.typeName, "Get"), params: "(args, ctx)", doc: (p.meta.description as string | undefined) ?? `The '${p.name}' prompt.`, body: notImplemented("Prompt", p.name, path) });
    }
    for (const a of completes) {
      exports.push({ name: a.exportName, type: "CompletionHandler", params: "(value, context, ctx)", doc: `Suggestions for the '${a.name}' argument.`, body: "return [];" });
    }
    files.push({ path, kind: "prompt", itemName: p.name, exports });
  }
  if (model.auth?.verifier === "custom") {
    files.push({
      path: at("auth.ts"), kind: "auth", itemName: "auth",
      exports: [{ name: HANDLER_EXPORTS.verifyToken, type: "VerifyToken", params: "(token, request, context)", doc: "Checks a bearer token (auth.verifier: custom in mcp.yaml): who the caller is, or undefined to refuse it.", body: VERIFY_TOKEN_BODY }],
    });
  }
  return files;
}

/** Import specifier from a file in `fromDir` to `toFile` (both relative to the project root), with a .js extension. */
export function relativeImport(fromDir: string, toFile: string): string {
  let rel = posix.relative(fromDir, toFile).replace(/\.ts$/, ".js");
  if (!rel.startsWith(".")) rel = `./${rel}`;
  return rel;
}

/** A module-scope identifier for a handler file's namespace import. */
export const namespaceOf = (f: HandlerFile): string =>
  `${f.kind}_${f.path.replace(/^.*\//, "").replace(/\.ts$/, "").replace(/[^A-Za-z0-9_$]/g, "_")}`;
