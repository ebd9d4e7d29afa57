/**
 * Our client (McpClient + StdioClientTransport) against the reference server,
 * `@modelcontextprotocol/server-everything`, over real stdio: list, call, read, get
 * and complete, answering its sampling, elicitation and roots requests.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  McpClient,
  StdioClientTransport,
  getDisplayName,
  type CreateMessageParams,
  type ElicitationRequest,
  type ElicitResult,
  type LogMessage,
  type Progress,
  type Root,
} from "../../runtime/src/index.js";
import { Inbox, repoRoot } from "./helpers.js";

const everything = fileURLToPath(new URL("../../node_modules/@modelcontextprotocol/server-everything/dist/index.js", import.meta.url));

const text = (r: { content: unknown[] }, i = 0) => (r.content[i] as { text: string }).text;

describe("McpClient → server-everything over stdio", { timeout: 60_000 }, () => {
  let client: McpClient;
  let transport: StdioClientTransport;
  const logs = new Inbox<LogMessage>();
  const notifications = new Inbox<{ method: string; params: Record<string, unknown> }>();
  const samplings: CreateMessageParams[] = [];
  const elicitations: ElicitationRequest[] = [];
  let elicitReply: ElicitResult = { action: "cancel" };
  let roots: Root[] = [{ uri: "file:///work/project", name: "project" }];
  let stderr = "";

  before(async () => {
    transport = new StdioClientTransport({ command: process.execPath, args: [everything, "stdio"], cwd: repoRoot, stderr: "pipe" });
    client = new McpClient(
      { name: "mcpgen-test-client", version: "1.0.0" },
      {
        onSampling: async (params) => {
          samplings.push(params);
          return { role: "assistant", content: { type: "text", text: "sampled answer" }, model: "stub-model", stopReason: "endTurn" };
        },
        onElicitation: async (params) => {
          elicitations.push(params);
          return elicitReply;
        },
        elicitationModes: ["form", "url"],
        roots: () => roots,
        onLog: (m) => logs.push(m),
        onNotification: (method, params) => notifications.push({ method, params }),
        timeoutMs: 20_000,
      },
    );
    const init = await client.connect(transport);
    transport.stderr?.setEncoding("utf8");
    transport.stderr?.on("data", (s: string) => (stderr += s));
    assert.equal(init.protocolVersion, "2025-11-25");
  });

  after(async () => {
    await client.close();
    assert.ok(transport.process?.exitCode !== null || transport.process?.signalCode !== null, "the server process is gone");
  });

  test("initialize: server info, capabilities, instructions", () => {
    assert.equal(client.protocolVersion, "2025-11-25");
    assert.equal(client.serverInfo?.name, "mcp-servers/everything");
    assert.equal(getDisplayName(client.serverInfo!), "Everything Reference Server");
    const caps = client.serverCapabilities!;
    assert.deepEqual(caps.tools, { listChanged: true });
    assert.deepEqual(caps.resources, { subscribe: true, listChanged: true });
    assert.ok(caps.prompts && caps.logging && caps.completions);
    assert.ok((client.instructions ?? "").length > 0);
  });

  test("the server asks for our roots after initializing", async () => {
    const log = await logs.waitFor((m) => String(m.data).startsWith("Roots updated"), "the roots log");
    assert.equal(log.data, "Roots updated: 1 root(s) received from client");
  });

  test("tools: list (all pages) and call", async () => {
    const tools = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const n of ["echo", "get-sum", "get-structured-content", "trigger-sampling-request", "trigger-elicitation-request", "get-roots-list", "trigger-url-elicitation"]) {
      assert.ok(names.includes(n), `${n} in ${names}`);
    }
    const sum = tools.find((t) => t.name === "get-sum")!;
    assert.equal(getDisplayName(sum), sum.title ?? "get-sum");
    assert.equal(text(await client.callTool("echo", { message: "hello" })), "Echo: hello");
    assert.equal(text(await client.callTool("get-sum", { a: 2, b: 3 })), "The sum of 2 and 3 is 5.");
    const weather = await client.callTool("get-structured-content", { location: "Chicago" });
    assert.equal(typeof (weather.structuredContent as { temperature: number }).temperature, "number");
    assert.deepEqual(JSON.parse(text(weather)), weather.structuredContent);
    const image = await client.callTool("get-tiny-image");
    assert.ok(image.content.some((c) => c.type === "image" && c.mimeType === "image/png"));
    const links = await client.callTool("get-resource-links", { count: 2 });
    assert.equal(links.content.filter((c) => c.type === "resource_link").length, 2);
    const bad = await client.callTool("get-sum", { a: "two" });
    assert.equal(bad.isError, true);
    // SDK servers answer an unknown tool with an isError result (older ones with -32602).
    const unknown = await client.callTool("no-such-tool").catch((e) => e);
    assert.ok(unknown.isError === true || unknown.code === -32602, JSON.stringify(unknown));
  });

  test("a 5 MB message each way", async () => {
    const message = "0123456789abcdef".repeat((5 * 1024 * 1024) / 16);
    const r = await client.callTool("echo", { message });
    assert.equal(text(r).length, message.length + "Echo: ".length);
    assert.ok(text(r).endsWith("cdef"));
  });

  test("progress, and cancelling a long operation", async () => {
    const seen: Progress[] = [];
    const done = await client.callTool("trigger-long-running-operation", { duration: 0.05, steps: 3 }, { onprogress: (p) => seen.push(p) });
    assert.match(text(done), /Long running operation completed/);
    assert.deepEqual(seen.map((p) => [p.progress, p.total]), [[1, 3], [2, 3], [3, 3]]);

    const controller = new AbortController();
    let first!: () => void;
    const progressed = new Promise<void>((resolve) => (first = resolve));
    const call = client.callTool("trigger-long-running-operation", { duration: 1, steps: 20 }, { signal: controller.signal, onprogress: () => first() });
    await progressed;
    controller.abort(new Error("stop it"));
    await assert.rejects(call, /stop it/);
    await client.ping();
  });

  test("resources: list, templates, read text and blob, unknown", async () => {
    const resources = await client.listResources();
    assert.ok(resources.length > 0);
    const doc = resources[0]!;
    const read = await client.readResource(doc.uri);
    assert.equal(read.contents[0]!.uri, doc.uri);
    assert.ok("text" in read.contents[0]! && read.contents[0].text.length > 0);
    const templates = await client.listResourceTemplates();
    assert.deepEqual(templates.map((t) => t.uriTemplate).sort(), ["demo://resource/dynamic/blob/{resourceId}", "demo://resource/dynamic/text/{resourceId}"]);
    const textRes = await client.readResource("demo://resource/dynamic/text/1");
    assert.match((textRes.contents[0] as { text: string }).text, /^Resource 1: /);
    const blob = await client.readResource("demo://resource/dynamic/blob/2");
    assert.match(Buffer.from((blob.contents[0] as { blob: string }).blob, "base64").toString(), /^Resource 2: /);
    // server-everything answers an unknown resource with -32602 (the 2026 code), older revisions say -32002.
    await assert.rejects(client.readResource("demo://nothing/here"), (e: any) => e.code === -32602 || e.code === -32002);
  });

  test("prompts: list, get with arguments, missing argument", async () => {
    const prompts = await client.listPrompts();
    assert.deepEqual(prompts.map((p) => p.name), ["simple-prompt", "args-prompt", "completable-prompt", "resource-prompt"]);
    const args = await client.getPrompt("args-prompt", { city: "Paris", state: "Texas" });
    assert.equal((args.messages[0]!.content as { text: string }).text, "What's weather in Paris, Texas?");
    await assert.rejects(client.getPrompt("args-prompt", {}), (e: any) => e.code === -32602);
    const withResource = await client.getPrompt("resource-prompt", { resourceType: "Text", resourceId: "3" });
    assert.ok(withResource.messages.some((m) => m.content.type === "resource"));
  });

  test("completion: prompt arguments with context, template variables", async () => {
    const departments = await client.complete({ type: "ref/prompt", name: "completable-prompt" }, { name: "department", value: "S" });
    assert.deepEqual(departments.values, ["Sales", "Support"]);
    const people = await client.complete({ type: "ref/prompt", name: "completable-prompt" }, { name: "name", value: "" }, { department: "Engineering" });
    assert.deepEqual(people.values, ["Alice", "Bob", "Charlie"]);
    const ids = await client.complete({ type: "ref/resource", uri: "demo://resource/dynamic/text/{resourceId}" }, { name: "resourceId", value: "7" });
    assert.deepEqual(ids.values, ["7"]);
  });

  test("sampling: we answer the server's sampling/createMessage", async () => {
    const r = await client.callTool("trigger-sampling-request", { prompt: "What is MCP?", maxTokens: 42 });
    assert.match(text(r), /sampled answer/);
    assert.match(text(r), /stub-model/);
    const asked = samplings.at(-1)!;
    assert.equal(asked.maxTokens, 42);
    assert.match((asked.messages[0]!.content as { text: string }).text, /What is MCP\?/);
  });

  test("elicitation (form): accept, decline, cancel", async () => {
    elicitReply = { action: "accept", content: { name: "Ada Lovelace", check: true } };
    const accepted = await client.callTool("trigger-elicitation-request");
    assert.match(text(accepted), /User provided the requested information/);
    assert.match(text(accepted, 1), /Name: Ada Lovelace/);
    const form = elicitations.at(-1)!;
    assert.equal(form.mode ?? "form", "form");
    assert.ok(form.requestedSchema && "properties" in form.requestedSchema);
    elicitReply = { action: "decline" };
    assert.match(text(await client.callTool("trigger-elicitation-request")), /declined/);
    elicitReply = { action: "cancel" };
    assert.match(text(await client.callTool("trigger-elicitation-request")), /cancelled/);
  });

  test("elicitation (URL)", async () => {
    elicitReply = { action: "accept" };
    const r = await client.callTool("trigger-url-elicitation", { url: "https://example.com/consent", elicitationId: "el-1" });
    assert.equal(r.isError, undefined);
    const asked = elicitations.at(-1)!;
    assert.equal(asked.mode, "url");
    assert.equal(asked.url, "https://example.com/consent");
    assert.equal(asked.elicitationId, "el-1");
  });

  test("roots: the server sees our roots and re-reads them on list_changed", async () => {
    assert.match(text(await client.callTool("get-roots-list")), /1\. project\s+URI: file:\/\/\/work\/project/);
    roots = [...roots, { uri: "file:///work/docs", name: "docs" }];
    const from = logs.items.length;
    await client.sendRootsListChanged();
    await logs.waitFor((m) => m.data === "Roots updated: 2 root(s) received from client", "the second roots log", from);
    assert.match(text(await client.callTool("get-roots-list")), /2\. docs/);
  });

  test("logging level, subscriptions and resources/updated", async () => {
    assert.deepEqual(await client.setLoggingLevel("debug"), {});
    const uri = "demo://resource/dynamic/text/1";
    await client.subscribeResource(uri);
    const from = notifications.items.length;
    await client.callTool("toggle-subscriber-updates"); // starts updates, sending one at once
    await notifications.waitFor((n) => n.method === "notifications/resources/updated" && n.params.uri === uri, "resources/updated", from);
    await client.callTool("toggle-subscriber-updates"); // stops them
    await client.unsubscribeResource(uri);
  });

  test("ping, and nothing on the server's stderr but its banner", async () => {
    assert.deepEqual(await client.ping(), {});
    assert.doesNotMatch(stderr, /Error|error/);
  });
});
