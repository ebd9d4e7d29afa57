/**
 * examples/multi: two generated servers on one port, started as a real process
 * (`node --import tsx src/main.ts --port 0`) and driven over a real socket by the official
 * SDK client: Streamable HTTP at /notes/mcp and /weather/mcp, the deprecated HTTP+SSE
 * transport at /notes/sse, and a graceful SIGTERM. Every wait is for an event (a line on
 * stderr, a notification, a reply, the exit).
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ProgressNotificationSchema, type ProgressNotification } from "@modelcontextprotocol/sdk/types.js";
import { typecheck } from "../generator/helpers.js";
import { Inbox } from "../runtime/helpers.js";
import { contentsText, exampleDir, mcpgenCheck, textOf } from "./helpers.js";

const dir = exampleDir("multi");

interface Running {
  child: ChildProcess;
  /** stderr, line by line, as it arrives. */
  lines: Inbox<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Endpoint URLs by server name, from the "listening on" lines. */
  urls: Record<string, string>;
}

async function start(): Promise<Running> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "--port", "0"], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const lines = new Inbox<string>();
  let partial = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop()!;
    for (const line of parts) lines.push(line);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      lines.fail(new Error(`the server exited (${code ?? signal})\n${lines.items.join("\n")}`));
      resolve({ code, signal });
    }),
  );
  const urls: Record<string, string> = {};
  for (const name of ["notes", "weather"]) {
    const line = await lines.waitFor((l) => l.startsWith(`${name} listening on `), `${name}'s listening line`);
    urls[name] = line.split(" ")[3]!;
  }
  return { child, lines, exit, urls };
}

function newClient(name: string, progress?: Inbox<ProgressNotification["params"]>): Client {
  const client = new Client({ name, version: "1.0.0" }, { capabilities: {} });
  if (progress) client.setNotificationHandler(ProgressNotificationSchema, (n) => progress.push({ ...n.params }));
  return client;
}

describe("examples/multi", { timeout: 60_000 }, () => {
  let server: Running;
  let notes: Client;
  let weather: Client;
  let legacy: Client;
  const notesProgress = new Inbox<ProgressNotification["params"]>();
  const weatherProgress = new Inbox<ProgressNotification["params"]>();

  before(async () => {
    server = await start();
    notes = newClient("notes-client", notesProgress);
    await notes.connect(new StreamableHTTPClientTransport(new URL(server.urls.notes!)));
    weather = newClient("weather-client", weatherProgress);
    await weather.connect(new StreamableHTTPClientTransport(new URL(server.urls.weather!)));
    legacy = newClient("legacy-client");
    await legacy.connect(new SSEClientTransport(new URL("/notes/sse", server.urls.notes)));
  });
  after(async () => {
    await Promise.allSettled([notes?.close(), weather?.close(), legacy?.close()]);
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill("SIGKILL");
      await server.exit;
    }
  });

  test("generated code is up to date for both servers (mcpgen check) and everything type-checks", async () => {
    for (const name of ["notes", "weather"]) {
      const r = await mcpgenCheck(`multi/servers/${name}`);
      assert.equal(r.code, 0, `${name}: ${r.stdout}${r.stderr}`);
    }
    const tc = await typecheck(dir);
    assert.ok(tc.ok, tc.output);
  });

  test("one port, two servers, each at its own path", () => {
    const notesUrl = new URL(server.urls.notes!);
    const weatherUrl = new URL(server.urls.weather!);
    assert.equal(notesUrl.host, weatherUrl.host);
    assert.equal(notesUrl.hostname, "127.0.0.1");
    assert.deepEqual([notesUrl.pathname, weatherUrl.pathname], ["/notes/mcp", "/weather/mcp"]);
    assert.equal(notes.getServerVersion()?.name, "notes");
    assert.equal(weather.getServerVersion()?.name, "weather");
    assert.equal(legacy.getServerVersion()?.name, "notes");
    assert.match(notes.getInstructions() ?? "", /add_note/);
  });

  test("each endpoint lists only its own server's items", async () => {
    assert.deepEqual((await notes.listTools()).tools.map((t) => t.name), ["add_note", "search_notes", "wait_for_note"]);
    assert.deepEqual((await weather.listTools()).tools.map((t) => t.name), ["convert_temperature", "get_forecast"]);
    assert.deepEqual((await legacy.listTools()).tools.map((t) => t.name), ["add_note", "search_notes", "wait_for_note"]);
    assert.deepEqual((await weather.listResources()).resources.map((r) => r.uri), ["weather://cities"]);
    assert.deepEqual((await notes.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate), ["note://{title}"]);
  });

  test("notes: add, search, read, complete; one notebook for every session and transport", async () => {
    const added = await notes.callTool({ name: "add_note", arguments: { title: "groceries", body: "Eggs, milk and bread", tags: ["home"] } });
    assert.equal(added.isError, undefined);
    assert.deepEqual(added.structuredContent, { title: "groceries", body: "Eggs, milk and bread", tags: ["home"] });

    // The legacy SSE client reaches the same server, so it sees the note.
    const found = await legacy.callTool({ name: "search_notes", arguments: { query: "MILK" } });
    assert.deepEqual(found.structuredContent, { matches: [{ title: "groceries", body: "Eggs, milk and bread", tags: ["home"] }] });
    await legacy.callTool({ name: "add_note", arguments: { title: "gift ideas", body: "A book", tags: ["home", "later"] } });
    const tagged = await notes.callTool({ name: "search_notes", arguments: { query: "", tag: "later" } });
    assert.deepEqual((tagged.structuredContent as { matches: { title: string }[] }).matches.map((m) => m.title), ["gift ideas"]);

    const duplicate = await notes.callTool({ name: "add_note", arguments: { title: "groceries", body: "again" } });
    assert.equal(duplicate.isError, true);
    assert.equal(textOf(duplicate), "A note titled 'groceries' already exists");
    const invalid = await notes.callTool({ name: "add_note", arguments: { title: "", body: "x" } });
    assert.equal(invalid.isError, true);

    const { resources } = await legacy.listResources();
    assert.deepEqual(resources.map((r) => r.uri), ["note://welcome", "note://groceries", "note://gift%20ideas"]);
    assert.equal(contentsText(await notes.readResource({ uri: "note://gift%20ideas" })), "A book");
    const completion = await notes.complete({ ref: { type: "ref/resource", uri: "note://{title}" }, argument: { name: "title", value: "g" } });
    assert.deepEqual(completion.completion.values, ["groceries", "gift ideas"]);
  });

  test("weather: a forecast streams one progress notification per day before its result", async () => {
    const from = weatherProgress.items.length;
    const r = await weather.callTool({ name: "get_forecast", arguments: { city: "lisbon", days: 2, unit: "F" }, _meta: { progressToken: "fc" } });
    assert.deepEqual(r.structuredContent, {
      city: "Lisbon",
      unit: "F",
      days: [
        { day: 1, condition: "sunny", high: 71.6, low: 57.2 },
        { day: 2, condition: "sunny", high: 73.4, low: 59 },
      ],
    });
    await weatherProgress.waitFor((p) => p.progressToken === "fc" && p.progress === 2, "the second progress notification", from);
    assert.deepEqual(
      weatherProgress.items.slice(from).map((p) => [p.progress, p.total, p.message]),
      [
        [1, 2, "day 1 of 2"],
        [2, 2, "day 2 of 2"],
      ],
    );
    const unknown = await weather.callTool({ name: "get_forecast", arguments: { city: "Atlantis" } });
    assert.equal(unknown.isError, true);
    assert.match(textOf(unknown), /Unknown city 'Atlantis'/);
    const converted = await weather.callTool({ name: "convert_temperature", arguments: { value: 100, from: "C", to: "F" } });
    assert.deepEqual(converted.structuredContent, { result: 212 });
    assert.deepEqual((await weather.readResource({ uri: "weather://cities" })).contents, [
      { uri: "weather://cities", mimeType: "text/plain", text: "Lisbon\nLondon\nOslo\nTokyo" },
    ]);
  });

  test("a long-poll on /notes/mcp is answered by a note added over legacy SSE", async () => {
    const from = notesProgress.items.length;
    const waiting = notes.callTool({ name: "wait_for_note", arguments: { title: "news", timeoutMs: 30_000 }, _meta: { progressToken: "w1" } });
    // The progress notification says the call is in flight and waiting.
    await notesProgress.waitFor((p) => p.progressToken === "w1", "wait_for_note's progress", from);
    await legacy.callTool({ name: "add_note", arguments: { title: "news", body: "It arrived" } });
    const r = await waiting;
    assert.deepEqual(r.structuredContent, { found: true, note: { title: "news", body: "It arrived", tags: [] } });
  });

  test("sessions belong to their endpoint; other paths and methods are refused", async () => {
    const sessionId = (weather.transport as StreamableHTTPClientTransport).sessionId;
    assert.ok(sessionId);
    const post = (path: string, headers: Record<string, string> = {}) =>
      fetch(new URL(path, server.urls.notes), {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
    const crossed = await post("/notes/mcp", { "mcp-session-id": sessionId });
    assert.equal(crossed.status, 404);
    assert.equal(((await crossed.json()) as { error: { message: string } }).error.message, "Session not found");
    // The weather session is still fine where it belongs.
    assert.equal((await weather.listTools()).tools.length, 2);

    const elsewhere = await post("/mcp");
    assert.equal(elsewhere.status, 404);
    assert.match(await elsewhere.text(), /Not Found: \/mcp/);
    // Legacy SSE is on for notes only.
    assert.equal((await fetch(new URL("/weather/sse", server.urls.notes), { headers: { accept: "text/event-stream" } })).status, 404);
    // DNS-rebinding guard: a foreign Host is refused on either path.
    for (const path of ["/notes/mcp", "/weather/mcp"]) {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const url = new URL(path, server.urls.notes);
        const req = request(url, { method: "POST", headers: { host: "evil.example", "content-type": "application/json", accept: "application/json, text/event-stream" } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.once("error", reject);
        req.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
      });
      assert.equal(status, 403, path);
    }
  });

  test("SIGTERM: the call in flight finishes, then the servers close and the process exits 0", async () => {
    const from = notesProgress.items.length;
    const waiting = notes.callTool(
      { name: "wait_for_note", arguments: { title: "never", timeoutMs: 1500 }, _meta: { progressToken: "w2" } },
      undefined,
      { timeout: 30_000 },
    );
    await notesProgress.waitFor((p) => p.progressToken === "w2", "wait_for_note's progress", from);
    server.child.kill("SIGTERM");
    await server.lines.waitFor((l) => l === "shutting down", "the shutdown line");

    // New requests are refused while the call in flight is allowed to finish.
    const late = await fetch(server.urls.weather!, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "late", version: "1" } } }),
    }).catch((e: Error) => e);
    if (!(late instanceof Error)) assert.equal(late.status, 503, "a request during shutdown gets 503 (or no connection)");

    const r = await waiting;
    assert.deepEqual(r.structuredContent, { found: false });
    assert.deepEqual(await server.exit, { code: 0, signal: null });
    // The notes lifespan's stop() ran after the drain (welcome, groceries, gift ideas, news).
    assert.ok(server.lines.items.includes("notes: stopped with 4 note(s)"), server.lines.items.join("\n"));
    assert.ok(server.lines.items.indexOf("shutting down") < server.lines.items.indexOf("notes: stopped with 4 note(s)"));
  });
});
