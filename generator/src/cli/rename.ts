import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, posix, relative } from "node:path";
import { isMap, isScalar, parseDocument } from "yaml";
import { renderText } from "../diagnostics/index.js";
import { handlerFiles, relativeImport, type HandlerFile } from "../emit/layout.js";
import { tsString } from "../emit/escape.js";
import { emitHandlerStub } from "../emit/stubs.js";
import { readManifest } from "../frontend.js";
import { buildModel, type Model } from "../model/build.js";
import { readState, sha } from "../write/state.js";
import { parseCommandArgs, UsageError } from "./args.js";
import { generateCommand } from "./generate.js";
import { ExitCode, type CliIO } from "./io.js";

export const RENAME_USAGE = `Usage: mcpgen rename <tool|resource|prompt> <old> <new> [options]

Renames an item and keeps its code:
  - mcp.yaml: the key is renamed in place; comments, order and formatting are kept.
    When mcp.yaml already names <new> and not <old> (you renamed it by hand), it is kept.
  - The handler file moves to the new name's file, and its contract types follow
    (AddHandler becomes SumHandler, in the import and wherever the file uses it).
    A stub mcpgen wrote for <new> meanwhile, never edited, is replaced; an edited one
    stops the rename, and nothing is changed.
  - Then generates, as \`mcpgen\` does.

Example:
  mcpgen rename tool add sum
`;

const SECTIONS = { tool: "tools", resource: "resources", prompt: "prompts" } as const;
type Kind = keyof typeof SECTIONS;

export async function renameCommand(argv: string[], io: CliIO): Promise<number> {
  const { positionals, common } = parseCommandArgs(argv, io, { name: "rename", positionals: 3 });
  const [kind, from, to] = positionals;
  if (kind === undefined || !Object.hasOwn(SECTIONS, kind)) throw new UsageError(`what to rename: tool, resource or prompt (got ${kind === undefined ? "nothing" : `'${kind}'`})`);
  if (from === undefined || to === undefined) throw new UsageError(`rename ${kind} needs the old and the new name`);
  if (from === to) throw new UsageError(`the old and the new name are the same ('${from}')`);
  const err = (s: string) => io.stderr.write(`mcpgen rename: ${s}\n`);
  const say = (s: string) => !common.quiet && io.stderr.write(`${s}\n`);
  const manifestPath = common.manifest;
  const shownManifest = relative(common.cwd, manifestPath).split("\\").join("/") || "mcp.yaml";
  if (!existsSync(manifestPath)) {
    err(`no manifest at ${shownManifest}: run this in your server's folder, or pass --cwd / --config.`);
    return ExitCode.UserError;
  }
  const root = dirname(manifestPath);
  const section = SECTIONS[kind as Kind];
  const text = await readFile(manifestPath, "utf8");

  // 1. The manifest, with the key renamed (or as it is, when renamed by hand already).
  const doc = parseDocument(text, { keepSourceTokens: true });
  const items = doc.get(section, true);
  const keyOf = (name: string) => (isMap(items) ? items.items.find((p) => isScalar(p.key) && String(p.key.value) === name)?.key : undefined);
  const oldKey = keyOf(from);
  const newKey = keyOf(to);
  if (oldKey && newKey) {
    err(`${shownManifest} has both ${section}.${from} and ${section}.${to}: remove one, then run this again.`);
    return ExitCode.UserError;
  }
  if (!oldKey && !newKey) {
    err(`${shownManifest} has no ${kind} '${from}' (nor '${to}') under ${section}:. The ${section}: ${isMap(items) ? items.items.map((p) => String((p.key as { value?: unknown })?.value)).join(", ") || "none" : "none"}.`);
    return ExitCode.UserError;
  }
  const key = (oldKey ?? newKey) as { range?: [number, number, number] | null };
  if (!key.range) throw new Error("yaml gave no source range for a key");
  const splice = (name: string) => text.slice(0, key.range![0]) + yamlKey(name) + text.slice(key.range![1]);
  const oldText = oldKey ? text : splice(from);
  const newText = oldKey ? splice(to) : text;

  // 2. Both manifests' handler files: where the code is now, and where it goes.
  const oldModel = model(shownManifest, oldText, manifestPath, io, common.color);
  const newModel = model(shownManifest, newText, manifestPath, io, common.color);
  if (!oldModel || !newModel) return ExitCode.UserError;
  const find = (m: Model, name: string) => handlerFiles(m).find((f) => f.itemName === name && sameKind(f.kind, kind as Kind));
  const oldFile = find(oldModel, from);
  const newFile = find(newModel, to);

  let moved: { from: string; to: string; text: string } | undefined;
  if (oldFile && newFile && oldFile.path !== newFile.path && existsSync(join(root, oldFile.path))) {
    const source = await readFile(join(root, oldFile.path), "utf8");
    const target = join(root, newFile.path);
    if (existsSync(target)) {
      const there = await readFile(target, "utf8");
      const recorded = readState(root, newModel.paths.out)?.stubs?.[newFile.path];
      const untouched = there === emitHandlerStub(newModel, newFile) || (recorded !== undefined && recorded === sha(there));
      if (!untouched) {
        err(`${newFile.path} exists and has been edited, so ${oldFile.path} cannot move there. Merge the two by hand (keep one), then run \`npx mcpgen\`. Nothing was changed.`);
        return ExitCode.UserError;
      }
    }
    moved = { from: oldFile.path, to: newFile.path, text: await retarget(source, oldModel, oldFile, newModel, newFile) };
  }

  // 3. Write: the manifest, then the moved handler, then generate.
  if (oldKey) {
    await writeFile(manifestPath, newText);
    say(`  renamed  ${section}.${from} -> ${section}.${to} in ${shownManifest}`);
  } else say(`  kept     ${shownManifest} (it already names ${section}.${to})`);
  if (moved) {
    await mkdir(dirname(join(root, moved.to)), { recursive: true });
    await writeFile(join(root, moved.to), moved.text);
    await rm(join(root, moved.from));
    say(`  moved    ${moved.from} -> ${moved.to}`);
  } else if (oldFile && newFile && oldFile.path !== newFile.path) {
    say(`  (no ${oldFile.path} to move: ${to} keeps its own handler file)`);
  }
  const passOn = [...(common.config ? ["--config", common.config] : []), ...(common.quiet ? ["--quiet"] : []), "--cwd", common.cwd];
  return generateCommand(passOn, io);
}

/** The model of one version of the manifest; prints its diagnostics when it is invalid. */
function model(shown: string, text: string, abs: string, io: CliIO, color: boolean): Model | undefined {
  const { manifest, diagnostics } = readManifest(shown, text, { baseDir: dirname(abs) });
  if (!manifest) {
    io.stderr.write(renderText(diagnostics, new Map([[shown, text]]), { color }) + "\n");
    io.stderr.write(`mcpgen rename: ${shown} has errors (above) with the rename applied: fix them first. Nothing was changed.\n`);
    return undefined;
  }
  return buildModel(manifest, abs);
}

const sameKind = (fileKind: HandlerFile["kind"], kind: Kind) => fileKind === kind || (kind === "resource" && fileKind === "template");

/** A mapping key as YAML source: plain when it can be, else double-quoted. */
const yamlKey = (name: string) => (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(name) ? name : JSON.stringify(name));

/**
 * The handler's text for its new place: the contract types renamed (in the import and in
 * every use), the contract's import path adjusted, and the name and path in a stub's
 * `notImplemented(...)` call updated. Nothing else is touched.
 */
async function retarget(source: string, oldModel: Model, oldFile: HandlerFile, newModel: Model, newFile: HandlerFile): Promise<string> {
  const { Project, SyntaxKind } = await import("ts-morph");
  const project = new Project({ useInMemoryFileSystem: true });
  const sf = project.createSourceFile(newFile.path, source);
  const types = new Map<string, string>();
  for (const e of oldFile.exports) {
    const n = newFile.exports.find((x) => x.name === e.name);
    if (n && n.type !== e.type) types.set(e.type, n.type);
  }
  const oldContract = relativeImport(posix.dirname(oldFile.path), `${oldModel.paths.out}/contract.ts`);
  const newContract = relativeImport(posix.dirname(newFile.path), `${newModel.paths.out}/contract.ts`);
  // Edits as text ranges, applied from the end: every other byte stays as the author wrote it.
  const edits: { start: number; end: number; text: string }[] = [];
  // Names are any text now (`"customers" database schema`): printed through the escaping module.
  const literal = (node: import("ts-morph").StringLiteral, value: string) => {
    edits.push({ start: node.getStart(), end: node.getEnd(), text: tsString(value) });
  };
  for (const imp of sf.getImportDeclarations()) {
    if (imp.getModuleSpecifierValue() === oldContract && oldContract !== newContract) literal(imp.getModuleSpecifier(), newContract);
  }
  for (const id of sf.getDescendantsOfKind(SyntaxKind.Identifier)) {
    const to = types.get(id.getText());
    if (to) edits.push({ start: id.getStart(), end: id.getEnd(), text: to });
  }
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (call.getExpression().getText() !== "notImplemented") continue;
    for (const arg of call.getArguments()) {
      if (!arg.isKind(SyntaxKind.StringLiteral)) continue;
      const value = arg.getLiteralValue();
      if (value === oldFile.itemName) literal(arg, newFile.itemName);
      else if (value === oldFile.path) literal(arg, newFile.path);
    }
  }
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
