import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { main } from "../../generator/src/cli/main.js";
import { CLIENTS, mergeEntry } from "../../generator/src/cli/clients.js";
import { parseJson, setMember, toValue } from "../../generator/src/cli/jsonc.js";
import { cli, repoRoot, scratchProject, write } from "./helpers.js";

const run = promisify(execFile);

const MANIFEST = `version: 1
server: { name: notes, version: 1.0.0 }
tools:
  add:
    input:
      type: object
      properties: { a: { type: integer }, b: { type: integer } }
      required: [a, b]
    output: { type: integer }
`;

const ADD = `import type { AddHandler } from "../../generated/contract.js";
export const handler: AddHandler = async ({ a, b }) => a + b;
`;

/** A generated project with a working handler. */
async function project(t: { after(fn: () => void): void }): Promise<string> {
  const dir = scratchProject(t, MANIFEST);
  assert.equal((await cli(dir)).code, 0);
  write(dir, "src/handlers/tools/add.ts", ADD);
  return dir;
}

/** A scratch folder for config files, outside the project. */
function configDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "mcpgen-install-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The CLI in-process with a chosen environment (HOME, APPDATA...). */
async function cliEnv(cwd: string, env: Record<string, string>, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd, env: { NO_COLOR: "1", ...env } });
  return { code, stdout, stderr };
}

const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));

/** Connects the SDK client to a stdio entry as a client app would start it: from another folder. */
async function callAdd(entry: { command: string; args: string[]; env?: Record<string, string> }, cwd: string): Promise<unknown> {
  const transport = new StdioClientTransport({ command: entry.command, args: entry.args, env: entry.env, cwd, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (c: Buffer) => (stderr += c));
  const client = new Client({ name: "install-test", version: "1.0.0" });
  try {
    await client.connect(transport);
    const r = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    return r.structuredContent;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${stderr}`);
  } finally {
    await client.close();
  }
}

describe("mcpgen install", () => {
  it("writes a working stdio entry for each client, in each client's schema", async (t) => {
    const dir = await project(t);
    const cfg = configDir(t);
    for (const client of ["claude-desktop", "claude-code", "cursor", "vscode"]) {
      const file = join(cfg, `${client}.json`);
      const r = await cli(dir, "install", client, "--config-path", file);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`added "notes" to ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      assert.match(r.stderr, /Next: /);
      const doc = json(file);
      const key = client === "vscode" ? "servers" : "mcpServers";
      assert.deepEqual(Object.keys(doc), [key]);
      const entry = doc[key].notes;
      assert.equal(entry.command, process.execPath);
      // No build output: node runs the TypeScript entry through tsx, by absolute paths.
      assert.deepEqual(entry.args.slice(0, 1), ["--import"]);
      assert.match(entry.args[1], /^file:\/\/.*\/tsx\/dist\/loader\.mjs$/);
      assert.equal(entry.args[2], join(dir, "src/server.ts"));
      assert.equal(entry.type, client === "vscode" || client === "claude-code" ? "stdio" : undefined);
      assert.equal(entry.env, undefined);
    }
    // The entry starts from any working directory, as a client app launches it.
    const entry = json(join(cfg, "claude-desktop.json")).mcpServers.notes;
    assert.deepEqual(await callAdd(entry, tmpdir()), { result: 5 });
  });

  it("updates in place: other servers, unknown keys and indentation are kept; idempotent; .bak", async (t) => {
    const dir = await project(t);
    const file = join(configDir(t), "claude_desktop_config.json");
    const original = `{\n\t"globalShortcut": "Ctrl+Space",\n\t"mcpServers": {\n\t\t"other": {\n\t\t\t"command": "other-server",\n\t\t\t"args": []\n\t\t}\n\t},\n\t"theme": { "dark": true }\n}\n`;
    writeFileSync(file, original);
    const added = await cli(dir, "install", "claude-desktop", "--config-path", file, "-e", "API_KEY=secret", "-e", "MODE=a=b");
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stderr, /added "notes"/);
    const text = readFileSync(file, "utf8");
    // Everything that was there is still there byte for byte; the new entry uses tabs too.
    assert.ok(text.startsWith(`{\n\t"globalShortcut": "Ctrl+Space",\n\t"mcpServers": {\n\t\t"other": {\n\t\t\t"command": "other-server",\n\t\t\t"args": []\n\t\t},\n\t\t"notes": {\n\t\t\t"command": `), text);
    assert.ok(text.endsWith(`\n\t},\n\t"theme": { "dark": true }\n}\n`), text);
    const doc = json(file);
    assert.equal(doc.globalShortcut, "Ctrl+Space");
    assert.deepEqual(doc.theme, { dark: true });
    assert.deepEqual(doc.mcpServers.other, { command: "other-server", args: [] });
    assert.deepEqual(doc.mcpServers.notes.env, { API_KEY: "secret", MODE: "a=b" });
    assert.equal(readFileSync(`${file}.bak`, "utf8"), original);

    // Same command again: nothing changes, not even the backup.
    const mtime = statSync(file).mtimeMs;
    const again = await cli(dir, "install", "claude-desktop", "--config-path", file, "-e", "API_KEY=secret", "-e", "MODE=a=b");
    assert.equal(again.code, 0);
    assert.match(again.stderr, /unchanged: "notes" is up to date/);
    assert.equal(readFileSync(file, "utf8"), text);
    assert.equal(statSync(file).mtimeMs, mtime);
    assert.equal(readFileSync(`${file}.bak`, "utf8"), original);

    // A hand-added key in our entry survives an update; env variables not given again are kept.
    writeFileSync(file, text.replace(`"notes": {`, `"notes": {\n\t\t\t"disabled": false,`));
    const updated = await cli(dir, "install", "claude-desktop", "--config-path", file, "-e", "MODE=c", "--name", "notes");
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stderr, /updated "notes"/);
    const entry = json(file).mcpServers.notes;
    assert.equal(entry.disabled, false);
    assert.deepEqual(entry.env, { API_KEY: "secret", MODE: "c" });
    assert.deepEqual(Object.keys(entry), ["disabled", "command", "args", "env"]);
  });

  it("--dry-run prints the change as a diff and writes nothing", async (t) => {
    const dir = await project(t);
    const file = join(configDir(t), "mcp.json");
    const before = `{\n  "mcpServers": {\n    "other": { "url": "https://example.invalid/mcp" }\n  }\n}\n`;
    writeFileSync(file, before);
    const r = await cli(dir, "install", "cursor", "--config-path", file, "--dry-run");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^--- a\/.*mcp\.json\n\+\+\+ b\/.*mcp\.json\n@@ /);
    assert.match(r.stdout, /^-    "other": \{ "url": "https:\/\/example.invalid\/mcp" \}$/m);
    assert.match(r.stdout, /^\+    "other": \{ "url": "https:\/\/example.invalid\/mcp" \},$/m);
    assert.match(r.stdout, /^\+    "notes": \{$/m);
    assert.match(r.stderr, /dry run: would have added "notes" to .*; nothing written/);
    assert.equal(readFileSync(file, "utf8"), before);
    assert.equal(existsSync(`${file}.bak`), false);
    // A missing file: the diff creates it; still nothing written.
    const missing = join(configDir(t), "none.json");
    const r2 = await cli(dir, "install", "vscode", "--config-path", missing, "--dry-run");
    assert.match(r2.stdout, /^--- \/dev\/null\n/);
    assert.equal(existsSync(missing), false);
  });

  it("--env-file and --http", async (t) => {
    const dir = await project(t);
    const cfg = configDir(t);
    write(dir, ".env", "GREETING=hi\n");
    const file = join(cfg, "cc.json");
    const r = await cli(dir, "install", "claude-code", "--config-path", file, "--env-file", ".env");
    assert.equal(r.code, 0, r.stderr);
    const entry = json(file).mcpServers.notes;
    assert.equal(entry.args[0], `--env-file=${join(dir, ".env")}`);
    assert.deepEqual(await callAdd(entry, tmpdir()), { result: 5 });
    const missingEnv = await cli(dir, "install", "claude-code", "--config-path", file, "--env-file", "nope.env");
    assert.equal(missingEnv.code, 2);
    assert.match(missingEnv.stderr, /--env-file nope\.env: no such file/);

    // Remote entries: switching kind drops the local keys.
    const http = await cli(dir, "install", "claude-code", "--config-path", file, "--http", "http://127.0.0.1:3000/mcp");
    assert.equal(http.code, 0, http.stderr);
    assert.deepEqual(json(file).mcpServers.notes, { type: "http", url: "http://127.0.0.1:3000/mcp" });
    const vs = join(cfg, "vs.json");
    assert.equal((await cli(dir, "install", "vscode", "--config-path", vs, "--http", "http://127.0.0.1:3000/mcp", "--name", "remote")).code, 0);
    assert.deepEqual(json(vs), { servers: { remote: { type: "http", url: "http://127.0.0.1:3000/mcp" } } });
    const cur = join(cfg, "cursor.json");
    assert.equal((await cli(dir, "install", "cursor", "--config-path", cur, "--http", "http://127.0.0.1:3000/mcp")).code, 0);
    assert.deepEqual(json(cur), { mcpServers: { notes: { url: "http://127.0.0.1:3000/mcp" } } });
    const desktop = await cli(dir, "install", "claude-desktop", "--config-path", join(cfg, "d.json"), "--http", "http://127.0.0.1:3000/mcp");
    assert.equal(desktop.code, 2);
    assert.match(desktop.stderr, /only starts local \(stdio\) servers.*Connectors/);
    assert.equal(existsSync(join(cfg, "d.json")), false);
    const bad = await cli(dir, "install", "cursor", "--config-path", cur, "--http", "ftp://x");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--http needs an http:\/\/ or https:\/\/ URL/);
  });

  it("malformed JSON: an error with its position, nothing written", async (t) => {
    const dir = await project(t);
    const file = join(configDir(t), "broken.json");
    const broken = `{\n  "mcpServers": {\n    "a": { "command": "x" }\n    "b": {}\n  }\n}\n`;
    writeFileSync(file, broken);
    const r = await cli(dir, "install", "claude-desktop", "--config-path", file);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken\.json:4:5: invalid JSON: expected ',' or '\}' after a property value, found '"'\. Nothing was written/);
    assert.equal(readFileSync(file, "utf8"), broken);
    assert.equal(existsSync(`${file}.bak`), false);
    // Comments: fine for VS Code (JSONC, and they are kept), an error for the others.
    writeFileSync(file, `{\n  // my servers\n  "servers": {},\n}\n`);
    const vs = await cli(dir, "install", "vscode", "--config-path", file);
    assert.equal(vs.code, 0, vs.stderr);
    const text = readFileSync(file, "utf8");
    assert.match(text, /^\{\n {2}\/\/ my servers\n {2}"servers": \{\n {4}"notes": \{\n {6}"type": "stdio",/);
    assert.equal((toValue(parseJson(text, { comments: true })) as any).servers.notes.type, "stdio");
    const cc = await cli(dir, "install", "claude-code", "--config-path", file);
    assert.equal(cc.code, 2);
    assert.match(cc.stderr, /2:3: invalid JSON: comments are not allowed/);
    // Not an object where the servers go.
    writeFileSync(file, `{"mcpServers": []}`);
    const shape = await cli(dir, "install", "cursor", "--config-path", file);
    assert.equal(shape.code, 2);
    assert.match(shape.stderr, /"mcpServers" is not an object/);
  });

  it("finds each client's config at its usual place (HOME and APPDATA respected)", async (t) => {
    const home = configDir(t);
    const ctx = (platform: NodeJS.Platform, env: Record<string, string>, global = false) => ({ platform, env, cwd: "/proj", global });
    const desktop = CLIENTS["claude-desktop"]!;
    assert.equal(desktop.path(ctx("darwin", { HOME: "/Users/me" })), "/Users/me/Library/Application Support/Claude/claude_desktop_config.json");
    assert.equal(desktop.path(ctx("win32", { APPDATA: "C:\\Users\\me\\AppData\\Roaming" })), "C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json");
    assert.equal(desktop.path(ctx("linux", { HOME: "/home/me" })), "/home/me/.config/Claude/claude_desktop_config.json");
    assert.equal(desktop.path(ctx("linux", { HOME: "/home/me", XDG_CONFIG_HOME: "/cfg" })), "/cfg/Claude/claude_desktop_config.json");
    assert.equal(CLIENTS["claude-code"]!.path(ctx("linux", {})), "/proj/.mcp.json");
    assert.equal(CLIENTS.cursor!.path(ctx("linux", {})), "/proj/.cursor/mcp.json");
    assert.equal(CLIENTS.cursor!.path(ctx("darwin", { HOME: "/Users/me" }, true)), "/Users/me/.cursor/mcp.json");
    assert.equal(CLIENTS.vscode!.path(ctx("linux", {})), "/proj/.vscode/mcp.json");

    // Through the CLI, with HOME moved: no --config-path.
    const dir = await project(t);
    if (process.platform === "linux") {
      const r = await cliEnv(dir, { HOME: home }, "install", "claude-desktop");
      assert.equal(r.code, 0, r.stderr);
      assert.ok(json(join(home, ".config/Claude/claude_desktop_config.json")).mcpServers.notes);
    }
    const g = await cliEnv(dir, { HOME: home }, "install", "cursor", "--global", "--name", "n2");
    assert.equal(g.code, 0, g.stderr);
    assert.ok(json(join(home, ".cursor/mcp.json")).mcpServers.n2);
    const p = await cliEnv(dir, { HOME: home }, "install", "vscode");
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stderr, /added "notes" to \.vscode\/mcp\.json \(VS Code\)/);
    assert.ok(json(join(dir, ".vscode/mcp.json")).servers.notes);
    const notGlobal = await cliEnv(dir, { HOME: home }, "install", "vscode", "--global");
    assert.equal(notGlobal.code, 2);
    assert.match(notGlobal.stderr, /--global applies to cursor only/);
  });

  it("uses the built entry when there is one, and it runs from any folder", { timeout: 120_000 }, async (t) => {
    const dir = await project(t);
    write(dir, "tsconfig.json", JSON.stringify({ extends: "../../../tsconfig.base.json", compilerOptions: { rootDir: "src", outDir: "dist", declaration: false, sourceMap: false }, include: ["src"] }));
    await run(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], { cwd: dir });
    const file = join(configDir(t), "c.json");
    const r = await cli(dir, "install", "claude-desktop", "--config-path", file);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /runs {5}dist\/server\.js \(rebuild after changes/);
    const entry = json(file).mcpServers.notes;
    assert.deepEqual(entry.args, [join(dir, "dist/server.js")]);
    assert.deepEqual(await callAdd(entry, tmpdir()), { result: 5 });
    // A source edited after the build: install refuses (the check `mcpgen run` makes), writes nothing.
    const edited = join(dir, "src/handlers/tools/add.ts");
    const later = new Date(statSync(join(dir, "dist/server.js")).mtimeMs + 60_000);
    utimesSync(edited, later, later);
    const before = readFileSync(file, "utf8");
    const stale = await cli(dir, "install", "claude-desktop", "--config-path", file);
    assert.equal(stale.code, 2);
    assert.match(stale.stderr, /dist\/server\.js is older than src\/handlers\/tools\/add\.ts: the client would run an old build\. Rebuild first \(npm run build, or npx tsc\)/);
    assert.match(stale.stderr, /or pass --tsx/);
    assert.equal(readFileSync(file, "utf8"), before);
    const forced = await cli(dir, "install", "claude-desktop", "--config-path", file, "--dist");
    assert.equal(forced.code, 2, "--dist does not take a stale build either");
    // --tsx forces the sources.
    assert.equal((await cli(dir, "install", "claude-desktop", "--config-path", file, "--tsx")).code, 0);
    assert.equal(json(file).mcpServers.notes.args[2], join(dir, "src/server.ts"));
    // Rebuilt: the built entry again.
    await run(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], { cwd: dir });
    utimesSync(edited, new Date(0), new Date(0));
    assert.equal((await cli(dir, "install", "claude-desktop", "--config-path", file)).code, 0);
    assert.deepEqual(json(file).mcpServers.notes.args, [join(dir, "dist/server.js")]);
  });

  it("usage errors say what to do", async (t) => {
    const dir = await project(t);
    const none = await cli(dir, "install");
    assert.equal(none.code, 2);
    assert.match(none.stderr, /which client\? One of claude-desktop, claude-code, cursor, vscode/);
    const unknown = await cli(dir, "install", "emacs");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown client 'emacs'/);
    const env = await cli(dir, "install", "cursor", "-e", "NOPE");
    assert.equal(env.code, 2);
    assert.match(env.stderr, /-e takes KEY=VALUE/);
    const empty = scratchProject(t, "version: 1\n");
    const noName = await cli(empty, "install", "cursor", "--http", "http://127.0.0.1:1/mcp", "--config-path", join(configDir(t), "x.json"));
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /pass --name <name>/);
    const noManifest = await cli(configDir(t), "install", "cursor");
    assert.equal(noManifest.code, 2);
    assert.match(noManifest.stderr, /no manifest at/);
  });
});

describe("config editing", () => {
  it("setMember inserts, replaces and creates with the file's layout", () => {
    assert.deepEqual(setMember(undefined, "servers", "a", () => ({ x: 1 })), { text: '{\n  "servers": {\n    "a": {\n      "x": 1\n    }\n  }\n}\n', status: "added", before: undefined });
    const crlf = setMember('{\r\n   "k": 1\r\n}', "mcpServers", "a", () => 1);
    assert.equal(crlf.text, '{\r\n   "k": 1,\r\n   "mcpServers": {\r\n      "a": 1\r\n   }\r\n}');
    const empty = setMember('{ "mcpServers": {} }', "mcpServers", "a", () => [1]);
    assert.equal(empty.text, '{ "mcpServers": {\n  "a": [\n    1\n  ]\n} }');
    const replaced = setMember('{"mcpServers": {"a": 1, "b": 2}}', "mcpServers", "a", (cur) => (cur as number) + 1);
    assert.deepEqual([replaced.text, replaced.status, replaced.before], ['{"mcpServers": {"a": 2, "b": 2}}', "updated", 1]);
    assert.equal(setMember('{"mcpServers": {"a": {"y": 1, "x": 2}}}', "mcpServers", "a", () => ({ x: 2, y: 1 })).status, "unchanged");
    assert.throws(() => setMember("[]", "mcpServers", "a", () => 1), /top level is not an object/);
  });

  it("mergeEntry keeps foreign keys and env, drops the other kind's keys", () => {
    const cur = { disabled: true, command: "old", args: ["x"], env: { A: "1" }, autoApprove: ["t"] };
    assert.deepEqual(mergeEntry(cur, { command: "node", args: ["s.js"], env: { B: "2" } }, "stdio"), { disabled: true, command: "node", args: ["s.js"], env: { A: "1", B: "2" }, autoApprove: ["t"] });
    assert.deepEqual(mergeEntry(cur, { type: "http", url: "http://h/mcp" }, "http"), { disabled: true, autoApprove: ["t"], type: "http", url: "http://h/mcp" });
    assert.deepEqual(mergeEntry({ url: "u", headers: {} }, { command: "node", args: [] }, "stdio"), { command: "node", args: [] });
  });

  it("parse errors carry line and column", () => {
    assert.throws(() => parseJson('{\n  "a": tru\n}'), (e: any) => e.line === 2 && e.col === 8 && /expected a value/.test(e.reason));
    assert.throws(() => parseJson('{"a": 1,}'), (e: any) => e.col === 9 && /property name/.test(e.reason));
    assert.deepEqual(toValue(parseJson('{"a": [1, 2,], /* c */ "b": "\\u0041"}', { comments: true })), { a: [1, 2], b: "A" });
    assert.throws(() => parseJson("   "), /the file is empty/);
    assert.throws(() => parseJson('{"a": "x\ny"}'), /unterminated string/);
  });
});
