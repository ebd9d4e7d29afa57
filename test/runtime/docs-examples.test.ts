/**
 * docs/runtime.md's examples are real code: every ```ts block in it is a copy of a
 * file under test/fixtures/runtime/docs/ (only the import specifier differs), and
 * this file runs each of them.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { McpServer } from "../../runtime/src/index.js";
import { registerBooking } from "../fixtures/runtime/docs/booking.js";
import { registerImportRows } from "../fixtures/runtime/docs/import-rows.js";
import { buildServer } from "../fixtures/runtime/docs/low-level.js";
import { tryNotes } from "../fixtures/runtime/docs/notes-client.js";
import { connectInMemory } from "../fixtures/runtime/docs/testing.js";
import { fixtureCommand, repoRoot } from "./helpers.js";

const DOC = join(repoRoot, "docs", "runtime.md");
const EXAMPLES = join(repoRoot, "test", "fixtures", "runtime", "docs");
const RUNTIME_IMPORT = "../../../../runtime/src/index.js";

describe("docs/runtime.md examples", { timeout: 30_000 }, () => {
  test("every ts block in the doc is one of the example files, verbatim", () => {
    const doc = readFileSync(DOC, "utf8");
    const blocks = [...doc.matchAll(/(?:<!-- example: (\S+) -->\n)?```ts\n([\s\S]*?)```/g)];
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith(".ts")).sort();
    const seen: string[] = [];
    for (const [, path, code] of blocks) {
      assert.ok(path, `a ts block without an example marker:\n${code!.slice(0, 200)}`);
      const file = readFileSync(join(repoRoot, path), "utf8").replaceAll(RUNTIME_IMPORT, "@mcpgen/runtime");
      assert.equal(code, file, `${path} differs from its copy in docs/runtime.md`);
      seen.push(path.split("/").at(-1)!);
    }
    assert.deepEqual(seen.sort(), files, "each example file appears in the doc once");
  });

  test("quick start: the notes client drives the notes server over stdio", async () => {
    const r = await tryNotes();
    assert.equal(r.server, "notes");
    assert.deepEqual(r.added, { uri: "notes://todo", count: 2 });
    assert.deepEqual(r.text, { uri: "notes://todo", mimeType: "text/plain", text: "write the docs" });
    assert.deepEqual(r.completions, ["welcome"]);
    assert.equal(r.refusal, "A note named 'todo' already exists");
    assert.equal(r.promptMessages, 2);
    assert.deepEqual(r.resources, ["notes://welcome", "notes://todo"]);
    assert.deepEqual(r.logs, ["added note todo"]);
  });

  test("runMain --help prints usage and exits", async () => {
    const { command, args } = fixtureCommand("docs/notes-server.ts", ["--help"]);
    const child = spawn(command, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (b) => (stderr += b));
    child.stdout.on("data", (b) => (stdout += b));
    const code = await new Promise((resolve) => child.once("close", resolve));
    assert.equal(code, 0);
    assert.equal(stdout, "");
    assert.match(stderr, /Usage: notes \[--stdio \| --http \[port\] \[options\]\]/);
    assert.match(stderr, /--stateless/);
  });

  test("handler context: elicitation, sampling, roots with progress", async () => {
    const server = new McpServer({ name: "booking", version: "1.0.0" });
    registerBooking(server);
    let reply: { action: "accept" | "decline" | "cancel"; content?: Record<string, unknown> } = {
      action: "accept",
      content: { guests: 4, time: "19:30" },
    };
    const client = await connectInMemory(server, {
      onElicitation: () => reply,
      onSampling: (params) => ({
        role: "assistant",
        content: { type: "text", text: params.systemPrompt?.includes("dish name") ? "Paella" : "?" },
        model: "stub",
      }),
      roots: [{ uri: "file:///a" }, { uri: "file:///b" }],
    });
    const text = (r: { content: unknown[] }) => (r.content[0] as { text: string }).text;
    assert.equal(text(await client.callTool("book_table", { city: "Lisbon" })), "Booked a table for 4 at 19:30 in Lisbon.");
    reply = { action: "decline" };
    assert.equal(text(await client.callTool("book_table", { city: "Lisbon" })), "Booking declined.");
    reply = { action: "accept", content: { guests: "four" } };
    await assert.rejects(client.callTool("book_table", { city: "Lisbon" }), (e: any) => e.code === -32602);
    assert.equal(text(await client.callTool("suggest_dish", { topic: "rice" })), "Paella");
    const progress: number[] = [];
    const scanned = await client.callTool("scan_roots", {}, { onprogress: (p) => progress.push(p.progress) });
    assert.equal(text(scanned), "Scanned 2 root(s).");
    assert.deepEqual(progress, [1, 2]);
    await server.close();

    // Without the capabilities, the same tools fail at once with a clear message.
    const bare = new McpServer({ name: "booking", version: "1.0.0" });
    registerBooking(bare);
    const plain = await connectInMemory(bare);
    await assert.rejects(plain.callTool("book_table", { city: "Oslo" }), /did not declare the 'elicitation' capability/);
    await assert.rejects(plain.callTool("suggest_dish", { topic: "x" }), /did not declare the 'sampling' capability/);
    const noRoots = await plain.callTool("scan_roots");
    assert.equal(noRoots.isError, true);
    await bare.close();
  });

  test("low level: wrapOutput, toolResult, enable at run time, raw handlers, middleware", async () => {
    const timings: string[] = [];
    const server = buildServer(timings);
    const notes: string[] = [];
    const client = await connectInMemory(server, { onNotification: (method) => notes.push(method) });
    const avg = await client.callTool("average", { values: [1, 2, 6] });
    assert.deepEqual(avg.structuredContent, { result: 3 });
    assert.deepEqual(avg.content, [{ type: "text", text: "3" }]);
    const report = await client.callTool("report");
    assert.deepEqual(report.content.map((c) => c.type), ["text", "image", "resource"]);
    assert.equal((report.content[1] as { mimeType: string }).mimeType, "image/png");
    assert.deepEqual(report.structuredContent, { pages: 1 });
    assert.deepEqual((await client.listTools()).map((t) => t.name), ["average", "report", "enable_beta"], "all pages of 2");
    await assert.rejects(client.callTool("beta_feature"), (e: any) => e.code === -32602);
    await client.callTool("enable_beta");
    assert.equal((await client.callTool("beta_feature")).content.length, 1);
    assert.ok(notes.includes("notifications/tools/list_changed"));
    assert.deepEqual(await client.request("acme/stats"), { tools: 4, askedBy: "test" });
    await client.notify("acme/ping", { from: "docs" });
    assert.deepEqual(await client.request("acme/pings"), { pings: ["docs"] });
    server.tool({ name: "unlisted", handler: () => "no" });
    await assert.rejects(client.callTool("unlisted"), (e: any) => e.code === -32600 && /not allowed here/.test(e.message));
    assert.ok(timings.some((t) => /^tools\/call \d+ms$/.test(t)));
    await server.close();
  });

  test("backpressure: an awaited progress loop reports every row and finishes", async () => {
    const server = new McpServer({ name: "rows", version: "1.0.0" });
    registerImportRows(server);
    const client = await connectInMemory(server);
    const seen: number[] = [];
    const result = await client.callTool("import_rows", { rows: ["a", "b", "c"] }, { onprogress: (p) => void seen.push(p.progress) });
    assert.equal((result.content[0] as { text: string }).text, "imported 3");
    assert.deepEqual(seen, [1, 2, 3]);
    await server.close();
  });
});
