/**
 * Editors get completion, hover and validation from schemas/mcp.schema.json: a real
 * yaml-language-server (the one behind the VS Code YAML extension, Neovim's yamlls, ...)
 * runs as a child process and is spoken to over stdio, as an editor would.
 *
 * The workspace is a temp dir laid out like an installed project:
 * node_modules/mcpgen/schemas/mcp.schema.json (a copy of ours) next to documents whose
 * first line is the modeline `mcpgen init` writes. The language server resolves a relative
 * `$schema=` in a modeline against the directory of the document (not the workspace root),
 * so the modeline works for an mcp.yaml at the project root. A second case uses the
 * absolute `file://` form. Schema store and the Kubernetes CRD store are disabled: the
 * test never touches the network.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { runInit } from "../../generator/src/cli/init.js";
import { repoRoot } from "./helpers.js";

const TIMEOUT_MS = 5000;
const SCHEMA_PATH = join(repoRoot, "schemas", "mcp.schema.json");
const LS_BIN = join(repoRoot, "node_modules", "yaml-language-server", "bin", "yaml-language-server");

/** The `yaml` settings section the server pulls with workspace/configuration. */
const YAML_SETTINGS = {
  validate: true,
  hover: true,
  completion: true,
  hoverSchemaSource: false,
  schemaStore: { enable: false },
  kubernetesCRDStore: { enable: false },
  schemas: {},
};

// ---------------------------------------------------------------------------------------
// A minimal LSP client: JSON-RPC 2.0 with Content-Length framing over the child's stdio.

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Message {
  jsonrpc: "2.0";
  id?: number | string | null;
  method?: string;
  params?: Json;
  result?: Json;
  error?: { code: number; message: string; data?: Json };
}

interface Waiter {
  match: (msg: Message) => boolean;
  resolve: (msg: Message) => void;
}

class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private waiters: Waiter[] = [];
  /** Every notification and server-to-client request received, in order (for waiting on past ones and for failure messages). */
  readonly received: Message[] = [];
  stderr = "";
  exited: string | undefined;

  constructor(
    bin: string,
    private readonly onServerRequest: (method: string, params: Json) => Json,
  ) {
    this.child = spawn(process.execPath, [bin, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.on("data", (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.on("exit", (code, signal) => {
      this.exited = `exited with code ${code} signal ${signal}`;
      for (const p of this.pending.values()) p.reject(new Error(`yaml-language-server ${this.exited}\n${this.stderr}`));
      this.pending.clear();
    });
    this.child.stdin.on("error", () => {}); // EPIPE after the child exits is reported through "exit"
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString("ascii");
      const length = /Content-Length:\s*(\d+)/i.exec(header);
      if (!length) throw new Error(`LSP frame without Content-Length: ${header}`);
      const start = headerEnd + 4;
      const end = start + Number(length[1]);
      if (this.buffer.length < end) return;
      const msg = JSON.parse(this.buffer.subarray(start, end).toString("utf8")) as Message;
      this.buffer = this.buffer.subarray(end);
      this.dispatch(msg);
    }
  }

  private dispatch(msg: Message): void {
    if (msg.method === undefined) {
      // A response to one of our requests.
      const p = this.pending.get(msg.id as number);
      if (!p) return;
      this.pending.delete(msg.id as number);
      if (msg.error) p.reject(new Error(`LSP error ${msg.error.code}: ${msg.error.message}`));
      else p.resolve(msg);
      return;
    }
    this.received.push(msg);
    if (msg.id !== undefined && msg.id !== null) {
      // A request from the server: answer it (workspace/configuration, client/registerCapability, ...).
      let result: Json = null;
      try {
        result = this.onServerRequest(msg.method, msg.params);
      } catch {
        result = null;
      }
      this.write({ jsonrpc: "2.0", id: msg.id, result: result ?? null });
    }
    for (const w of [...this.waiters]) {
      if (w.match(msg)) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(msg);
      }
    }
  }

  private write(msg: Message): void {
    const body = Buffer.from(JSON.stringify(msg), "utf8");
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }

  request<T = Json>(method: string, params: Json, timeoutMs = TIMEOUT_MS): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`yaml-language-server ${this.exited}\n${this.stderr}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no response to ${method} within ${timeoutMs} ms\nstderr:\n${this.stderr}`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (m) => (clearTimeout(timer), resolve(m.result as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.write({ jsonrpc: "2.0", id, method, params });
    });
  }

  notify(method: string, params: Json): void {
    this.write({ jsonrpc: "2.0", method, params });
  }

  /**
   * Resolves with the first message from the server (notification or request) that
   * matches, looking at those already received since `since` (an index into `received`),
   * then at new ones; rejects after `timeoutMs`, listing what did arrive.
   */
  waitFor(
    what: string,
    match: (msg: Message) => boolean,
    { since = 0, timeoutMs = TIMEOUT_MS }: { since?: number; timeoutMs?: number } = {},
  ): Promise<Message> {
    const past = this.received.slice(since).find(match);
    if (past) return Promise.resolve(past);
    return new Promise<Message>((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (m) => (clearTimeout(timer), resolve(m)),
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== waiter);
        const seen = this.received
          .slice(since)
          .map((m) => `  ${m.method} ${JSON.stringify(m.params).slice(0, 400)}`)
          .join("\n");
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received:\n${seen}\nstderr:\n${this.stderr}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async shutdown(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    try {
      await this.request("shutdown", null, 1000);
      this.notify("exit", null);
    } catch {
      // fall through to the kill below
    }
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 1000);
    await gone;
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------

const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8"));

/** The description an editor should show for a property: markdownDescription, else description, following a bare $ref. */
function docOf(prop: Json): string {
  let node = prop;
  if (!node.markdownDescription && !node.description && typeof node.$ref === "string") {
    const name = node.$ref.replace("#/$defs/", "");
    node = schema.$defs[name];
  }
  const text = node.markdownDescription ?? node.description;
  assert.ok(text, `schema has no description for ${JSON.stringify(prop).slice(0, 80)}`);
  return text;
}

/** Plain text of a completion item's documentation or a hover's contents. */
function textOf(value: Json): string {
  if (value == null) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(textOf).join("\n");
  if (typeof value.value === "string") return value.value;
  return "";
}

interface CompletionItem {
  label: string;
  documentation?: Json;
  insertText?: string;
}

describe("yaml-language-server with schemas/mcp.schema.json", { timeout: 20_000 }, () => {
  let ls: LspClient;
  let ws: string;
  let modeline: string;
  let version = 0;

  before(async () => {
    ws = mkdtempSync(join(tmpdir(), "mcpgen-yaml-ls-"));
    // Lay out the workspace as an installed project: node_modules/mcpgen/schemas/mcp.schema.json.
    mkdirSync(join(ws, "node_modules", "mcpgen", "schemas"), { recursive: true });
    copyFileSync(SCHEMA_PATH, join(ws, "node_modules", "mcpgen", "schemas", "mcp.schema.json"));
    // The modeline is the one `mcpgen init` writes.
    const quiet = { write: () => true };
    const code = await runInit(ws, { stdout: quiet, stderr: quiet, cwd: ws, env: {} }, "mcp.yaml");
    assert.equal(code, 0);
    modeline = readFileSync(join(ws, "mcp.yaml"), "utf8").split("\n")[0]!;
    assert.equal(modeline, "# yaml-language-server: $schema=./node_modules/mcpgen/schemas/mcp.schema.json");

    ls = new LspClient(LS_BIN, (method, params) => {
      if (method === "workspace/configuration") {
        return (params.items as { section?: string }[]).map(({ section }) => {
          if (section === "yaml") return YAML_SETTINGS;
          if (section === "[yaml]") return { "yaml.validate": true };
          if (section === "http") return { proxy: "", proxyStrictSSL: false };
          return {};
        });
      }
      return null; // client/registerCapability, window/workDoneProgress/create, ...
    });
    const init = await ls.request("initialize", {
      processId: process.pid,
      clientInfo: { name: "mcpgen-test" },
      locale: "en",
      rootUri: pathToFileURL(ws).href,
      workspaceFolders: [{ uri: pathToFileURL(ws).href, name: "ws" }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          completion: {
            completionItem: { snippetSupport: true, documentationFormat: ["markdown", "plaintext"] },
          },
          hover: { contentFormat: ["markdown", "plaintext"] },
          publishDiagnostics: { relatedInformation: true },
        },
      },
    });
    assert.ok(init.capabilities.completionProvider, "server offers completion");
    assert.ok(init.capabilities.hoverProvider, "server offers hover");
    const mark = ls.received.length;
    ls.notify("initialized", {});
    // On `initialized` the server pulls its settings; answer, then push a change and let it pull again.
    await ls.waitFor("workspace/configuration after initialized", (m) => m.method === "workspace/configuration", { since: mark });
    const mark2 = ls.received.length;
    ls.notify("workspace/didChangeConfiguration", { settings: { yaml: YAML_SETTINGS } });
    await ls.waitFor("workspace/configuration after didChangeConfiguration", (m) => m.method === "workspace/configuration", {
      since: mark2,
    });
  });

  after(async () => {
    await ls?.shutdown();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  /** Opens a document (path relative to the workspace) and returns its URI. */
  function open(relPath: string, text: string): string {
    const uri = pathToFileURL(join(ws, relPath)).href;
    ls.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: ++version, text } });
    return uri;
  }

  /** The position of the `|` in `text` (there must be exactly one), and the text without it. */
  function cursor(text: string): { text: string; position: { line: number; character: number } } {
    const at = text.indexOf("|");
    assert.ok(at >= 0 && text.indexOf("|", at + 1) < 0, "exactly one | marks the cursor");
    const lines = text.slice(0, at).split("\n");
    return {
      text: text.slice(0, at) + text.slice(at + 1),
      position: { line: lines.length - 1, character: lines[lines.length - 1]!.length },
    };
  }

  async function complete(relPath: string, textWithCursor: string): Promise<CompletionItem[]> {
    const { text, position } = cursor(textWithCursor);
    const uri = open(relPath, text);
    const result = await ls.request("textDocument/completion", { textDocument: { uri }, position });
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  /** Hover text at each `|` (one document per marker, so the key under the cursor stays intact). */
  async function hover(relPath: string, textWithCursor: string): Promise<string> {
    const { text, position } = cursor(textWithCursor);
    const uri = open(relPath, text);
    const result = await ls.request("textDocument/hover", { textDocument: { uri }, position });
    return textOf(result?.contents);
  }

  interface Diagnostic {
    message: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    source?: string;
  }

  async function diagnostics(uri: string): Promise<Diagnostic[]> {
    const msg = await ls.waitFor(
      `textDocument/publishDiagnostics for ${uri}`,
      (m) => m.method === "textDocument/publishDiagnostics" && m.params.uri === uri,
    );
    return msg.params.diagnostics as Diagnostic[];
  }

  const SERVER = "server:\n  name: demo\n  version: 0.1.0\n";

  test("the manifest `mcpgen init` writes resolves its schema through the modeline and validates clean", async () => {
    const text = readFileSync(join(ws, "mcp.yaml"), "utf8");
    const uri = open("mcp.yaml", text);
    assert.deepEqual(await diagnostics(uri), []);
    // The schema was loaded (not silently skipped): hovering a key shows its description.
    const { position } = cursor(text.replace("\ntools:", "\nto|ols:"));
    const result = await ls.request("textDocument/hover", { textDocument: { uri }, position });
    assert.ok(textOf(result?.contents).includes(docOf(schema.properties.tools)), textOf(result?.contents));
  });

  test("top-level completion lists every manifest key with its schema documentation", async () => {
    const items = await complete("top.mcp.yaml", `${modeline}\nversion: 1\n|\n`);
    const byLabel = new Map(items.map((i) => [i.label, i]));
    for (const key of ["server", "tools", "resources", "prompts", "http", "auth"]) {
      assert.ok(byLabel.has(key), `completion offers ${key}; got ${[...byLabel.keys()].join(", ")}`);
    }
    // Every property but the one already present, each documented from the schema.
    const expected = Object.keys(schema.properties).filter((k) => k !== "version");
    for (const key of expected) {
      const item = byLabel.get(key);
      assert.ok(item, `completion offers ${key}`);
      assert.ok(textOf(item.documentation).includes(docOf(schema.properties[key])), `documentation of ${key}: ${textOf(item.documentation)}`);
    }
    assert.ok(!byLabel.has("version"), "a key already present is not offered again");
    // Picking `server` scaffolds its required keys.
    assert.match(byLabel.get("server")!.insertText ?? "", /^server:\n  name: \$1\n  version: \$2/);
  });

  test("completion inside a tool offers the tool's keys, documented", async () => {
    const items = await complete("tool.mcp.yaml", `${modeline}\nversion: 1\n${SERVER}tools:\n  add:\n    |\n`);
    const byLabel = new Map(items.map((i) => [i.label, i]));
    const toolDef = schema.$defs.tool;
    assert.deepEqual([...byLabel.keys()].sort(), Object.keys(toolDef.properties).sort());
    for (const key of ["description", "input", "annotations", "timeoutMs"]) {
      const doc = textOf(byLabel.get(key)!.documentation);
      assert.ok(doc.includes(docOf(toolDef.properties[key])), `documentation of tools.<name>.${key}: ${doc}`);
    }
    for (const [key, item] of byLabel) assert.ok(textOf(item.documentation).length > 0, `${key} has documentation`);
    // Keys already written are not offered again.
    const more = await complete("tool2.mcp.yaml", `${modeline}\nversion: 1\n${SERVER}tools:\n  add:\n    description: Adds.\n    |\n`);
    assert.ok(!more.some((i) => i.label === "description"));
    assert.ok(more.some((i) => i.label === "output"));
  });

  test("hover over a key shows the schema description", async () => {
    const doc = (marked: string) => `${modeline}\nversion: 1\n${SERVER}${marked}`;
    const http = await hover("hover1.mcp.yaml", doc("ht|tp:\n  port: 3000\n  sessions: false\n"));
    assert.ok(http.includes(schema.$defs.http.description), http);
    const sessions = await hover("hover2.mcp.yaml", doc("http:\n  port: 3000\n  sess|ions: false\n"));
    assert.ok(sessions.includes(schema.$defs.http.properties.sessions.description), sessions);
    const readOnly = await hover(
      "hover3.mcp.yaml",
      doc("tools:\n  add:\n    annotations:\n      readOnly|Hint: true\n"),
    );
    assert.ok(readOnly.includes(schema.$defs.toolAnnotations.properties.readOnlyHint.description), readOnly);
  });

  test("diagnostics flag unknown keys and wrong types with the schema's messages", async () => {
    const text = `${modeline}\nversion: 1\n${SERVER}tool:\n  add: {}\nhttp:\n  port: "abc"\n  path: mcp\n  sesions: false\n`;
    const lines = text.split("\n");
    const lineOf = (s: string) => lines.findIndex((l) => l.startsWith(s));
    const found = await diagnostics(open("invalid.mcp.yaml", text));
    const summary = found.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`).join("\n");
    const expect = (line: number, message: string) =>
      assert.ok(
        found.some((d) => d.range.start.line === line && d.message === message),
        `expected "${message}" on line ${line}; got:\n${summary}`,
      );
    expect(lineOf("tool:"), "Property tool is not allowed.");
    expect(lineOf("  sesions:"), "Property sesions is not allowed.");
    expect(lineOf("  port:"), 'Incorrect type. Expected "integer".');
    // A schema-authored message (patternErrorMessage), not a generic regex dump.
    expect(lineOf("  path:"), schema.$defs.http.properties.path.patternErrorMessage);
    assert.equal(found.length, 4, summary);
    for (const d of found) assert.match(d.source ?? "", /^yaml-schema: /, "reported by schema validation");
  });

  test("an absolute file:// modeline works too", async () => {
    const abs = `# yaml-language-server: $schema=${pathToFileURL(SCHEMA_PATH).href}`;
    const uri = open("elsewhere/config/mcp.yaml", `${abs}\nversion: 1\n${SERVER}http:\n  port: "abc"\n`);
    const found = await diagnostics(uri);
    assert.deepEqual(
      found.map((d) => d.message),
      ['Incorrect type. Expected "integer".'],
    );
    const items = await complete("elsewhere/config/mcp2.yaml", `${abs}\nversion: 1\n${SERVER}|\n`);
    assert.ok(items.some((i) => i.label === "tools" && textOf(i.documentation).includes(docOf(schema.properties.tools))));
  });

  test("a relative modeline resolves against the document's folder, not the workspace root", async () => {
    // mcp.yaml in a subfolder (mcpgen --config sub/mcp.yaml) with init's modeline points at
    // sub/node_modules/..., which does not exist: the editor reports it rather than guessing.
    const uri = open("sub/mcp.yaml", `${modeline}\nversion: 1\n${SERVER}http:\n  port: "abc"\n`);
    const found = await diagnostics(uri);
    const missing = join(ws, "sub", "node_modules", "mcpgen", "schemas", "mcp.schema.json");
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.ok(found[0]!.message.startsWith(`Unable to load schema from '${missing}'`), found[0]!.message);
  });
});
