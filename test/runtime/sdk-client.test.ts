/**
 * The official SDK client drives the kitchen-sink fixture over real stdio through
 * every feature, once per protocol revision (the client's initialize is pinned to
 * that revision). Version-gated behaviour is asserted against the negotiated one.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  ResultSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { PNG, WAV } from "../fixtures/runtime/kitchen-sink-data.js";
import { REVISIONS, connectSdk, firstText, jsonText, type SdkConnection } from "./helpers.js";

const at = (version: string, since: string) => version >= since;

/** Every page of a list, checking the page size and that cursors are opaque strings. */
async function walk<T>(fetch: (cursor?: string) => Promise<{ nextCursor?: string } & Record<string, unknown>>, key: string, pageSize: number) {
  const items: T[] = [];
  const pages: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    const list = page[key] as T[];
    assert.ok(list.length <= pageSize, `a page of ${key} has ${list.length} items, more than ${pageSize}`);
    pages.push(list.length);
    items.push(...list);
    if (page.nextCursor !== undefined) {
      assert.equal(typeof page.nextCursor, "string");
      assert.equal(list.length, pageSize, "only the last page may be short");
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return { items, pages };
}

const rejectsWith = (code: number, pattern?: RegExp) => (e: any) => {
  assert.equal(e.code, code, `expected error ${code}, got ${e.code}: ${e.message}`);
  if (pattern) assert.match(e.message, pattern);
  return true;
};

const PAGE = 3;

for (const version of REVISIONS) {
  describe(`official SDK client → kitchen-sink, protocol ${version}`, { timeout: 60_000 }, () => {
    let conn: SdkConnection;
    let client: Client;
    let elicitReply: any = { action: "cancel" };
    const elicitRequests: any[] = [];
    const samplingRequests: any[] = [];
    let roots = [{ uri: "file:///work/project", name: "project" }];

    before(async () => {
      conn = await connectSdk("kitchen-sink.ts", {
        version,
        env: { PAGE_SIZE: String(PAGE) },
        client: {
          capabilities: {
            sampling: { tools: {} },
            elicitation: { form: {}, url: {} },
            roots: { listChanged: true },
          },
        },
        setup: (c) => {
          c.setRequestHandler(ElicitRequestSchema, async (req) => {
            elicitRequests.push(req.params);
            return elicitReply;
          });
          c.setRequestHandler(CreateMessageRequestSchema, async (req) => {
            samplingRequests.push(req.params);
            if (req.params.tools) {
              return {
                role: "assistant",
                content: [{ type: "tool_use", id: "call-1", name: "lookup", input: { word: "mcp" } }],
                model: "test-model",
                stopReason: "toolUse",
              } as any;
            }
            const first = req.params.messages[0]!.content as { text: string };
            return { role: "assistant", content: { type: "text", text: `model says: ${first.text}` }, model: "test-model", stopReason: "endTurn" };
          });
          c.setRequestHandler(ListRootsRequestSchema, async () => ({ roots }));
        },
      });
      client = conn.client;
    });
    after(() => conn.close());

    test("initialize: negotiated revision, server info and capabilities", async () => {
      const info = jsonText(await client.callTool({ name: "context_info", arguments: {} }));
      assert.equal(info.protocolVersion, version);
      const server = client.getServerVersion()!;
      assert.equal(server.name, "kitchen-sink");
      assert.equal(server.version, "1.2.3");
      assert.equal(server.title, at(version, "2025-06-18") ? "Kitchen Sink" : undefined);
      assert.equal(server.description, at(version, "2025-11-25") ? "Every runtime feature in one server" : undefined);
      assert.equal(server.websiteUrl, at(version, "2025-11-25") ? "https://example.com/kitchen-sink" : undefined);
      assert.equal(server.icons?.length, at(version, "2025-11-25") ? 1 : undefined);
      assert.equal(client.getInstructions(), "A test server: call 'echo' first.");
      assert.deepEqual(client.getServerCapabilities(), {
        logging: {},
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        completions: {},
      });
      await client.ping();
    });

    test("tools/list: every page, opaque cursors, version-shaped entries", async () => {
      const { items, pages } = await walk<any>((cursor) => client.listTools(cursor ? { cursor } : {}), "tools", PAGE);
      assert.ok(pages.length > 1);
      const names = items.map((t) => t.name);
      assert.equal(new Set(names).size, names.length, "no tool listed twice");
      assert.ok(!names.includes("hidden_tool"), "disabled tools are not listed");
      for (const n of ["echo", "add", "bad_output", "length", "fail", "content_kinds", "hold", "forbidden"]) assert.ok(names.includes(n), n);
      const echo = items.find((t) => t.name === "echo");
      assert.equal(echo.description, "Repeats a message");
      assert.deepEqual(echo.inputSchema.required, ["message"]);
      assert.equal(echo.title, at(version, "2025-06-18") ? "Echo" : undefined);
      assert.equal(echo.annotations?.readOnlyHint, at(version, "2025-03-26") ? true : undefined);
      assert.equal(echo.icons?.[0]?.src, at(version, "2025-11-25") ? "https://example.com/icon.png" : undefined);
      const add = items.find((t) => t.name === "add");
      assert.equal(add.outputSchema?.required?.[0], at(version, "2025-06-18") ? "sum" : undefined);
      assert.equal(add.execution?.taskSupport, at(version, "2025-11-25") ? "forbidden" : undefined);
      await assert.rejects(client.listTools({ cursor: "not-a-cursor" }), rejectsWith(-32602, /cursor/i));
    });

    test("tools/call: input is validated and the error says what was wrong", async () => {
      assert.equal(firstText(await client.callTool({ name: "echo", arguments: { message: "hi", times: 2 } })), "hi hi");
      const missing = await client.callTool({ name: "echo", arguments: {} });
      assert.equal(missing.isError, true);
      assert.match(firstText(missing), /missing required property 'message'/);
      const wrongType = await client.callTool({ name: "echo", arguments: { message: "x", times: "two" } });
      assert.equal(wrongType.isError, true);
      assert.match(firstText(wrongType), /times: must be integer/);
      const extra = await client.callTool({ name: "echo", arguments: { message: "x", loud: true } });
      assert.match(firstText(extra), /unexpected property 'loud'/);
      const range = await client.callTool({ name: "echo", arguments: { message: "x", times: 9 } });
      assert.match(firstText(range), /times: must be <= 5/);
      await assert.rejects(client.callTool({ name: "no_such_tool", arguments: {} }), rejectsWith(-32602, /Unknown tool: no_such_tool/));
    });

    test("tools/call: structured output, JSON text block, output checks", async () => {
      const add = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
      assert.deepEqual(JSON.parse(firstText(add)), { sum: 5 });
      assert.deepEqual(add.structuredContent, at(version, "2025-06-18") ? { sum: 5 } : undefined);
      const len = await client.callTool({ name: "length", arguments: { value: "hello" } });
      // A wrapped primitive's text is the value's own JSON, as the Python SDK sends it.
      assert.equal(firstText(len), "5");
      if (at(version, "2025-06-18")) assert.deepEqual(len.structuredContent, { result: 5 });
      // Output that breaks the schema is the server's bug: a protocol error, never a silent pass.
      await assert.rejects(client.callTool({ name: "bad_output", arguments: {} }), rejectsWith(-32603, /outputSchema[\s\S]*sum: must be number/));
      // Error results are never checked against the output schema.
      const asError = await client.callTool({ name: "bad_output", arguments: { asError: true } });
      assert.equal(asError.isError, true);
      assert.equal(firstText(asError), "failed deliberately");
      assert.equal(asError.structuredContent, undefined);
    });

    test("tools/call: failures become isError results; McpErrors stay protocol errors", async () => {
      const toolError = await client.callTool({ name: "fail", arguments: { kind: "tool_error" } });
      assert.equal(toolError.isError, true);
      assert.equal(firstText(toolError), "The widget is out of stock");
      const crash = await client.callTool({ name: "fail", arguments: { kind: "crash" } });
      assert.equal(crash.isError, true);
      assert.equal(firstText(crash), "Error executing tool fail: kaboom");
      await assert.rejects(client.callTool({ name: "fail", arguments: { kind: "mcp" } }), (e: any) => {
        assert.equal(e.code, -32602);
        assert.deepEqual(e.data, { widget: 7 });
        return true;
      });
      await assert.rejects(client.callTool({ name: "fail", arguments: { kind: "url_required" } }), rejectsWith(-32042, /Authorization required/));
    });

    test("tools/call: content helpers (text, image, audio, resource_link, embedded resources)", async () => {
      const r = await client.callTool({ name: "content_kinds", arguments: {} });
      const content = r.content as any[];
      assert.deepEqual(content[0], { type: "text", text: "plain text", annotations: { audience: ["user"], priority: 1 } });
      assert.deepEqual(content[1], { type: "image", data: PNG.toString("base64"), mimeType: "image/png" });
      if (at(version, "2025-03-26")) {
        assert.deepEqual(content[2], { type: "audio", data: WAV.toString("base64"), mimeType: "audio/wav" });
      } else {
        // 2024-11-05 has no audio content: the clip travels as an embedded blob resource.
        assert.equal(content[2].type, "resource");
        assert.equal(content[2].resource.mimeType, "audio/wav");
        assert.equal(content[2].resource.blob, WAV.toString("base64"));
      }
      if (at(version, "2025-06-18")) {
        assert.deepEqual(content[3], { type: "resource_link", uri: "mem://greeting", name: "greeting", title: "The greeting", mimeType: "text/plain" });
      } else {
        assert.deepEqual(content[3], { type: "text", text: "The greeting: mem://greeting" });
      }
      assert.deepEqual(content[4], { type: "resource", resource: { uri: "mem://inline.txt", mimeType: "text/plain", text: "inline text" } });
      assert.deepEqual(content[5], {
        type: "resource",
        resource: { uri: "mem://inline.bin", mimeType: "application/octet-stream", blob: Buffer.from([1, 2, 3]).toString("base64") },
      });
    });

    test("tools/call: a plain CallToolResult keeps isError and _meta; error results are downgraded too", async () => {
      for (const isError of [false, true]) {
        const r = await client.callTool({ name: "plain_result", arguments: { isError } });
        assert.equal(r.isError, isError);
        assert.equal(firstText(r), isError ? "plain failure" : "plain success");
        assert.equal(r._meta?.["kitchen/plain"], true);
        const link = (r.content as any[])[1];
        assert.deepEqual(link, at(version, "2025-06-18") ? { type: "resource_link", uri: "mem://greeting", name: "greeting" } : { type: "text", text: "greeting: mem://greeting" });
      }
    });

    test("middleware: refuses a call and decorates results", async () => {
      await assert.rejects(client.callTool({ name: "forbidden", arguments: {} }), rejectsWith(-32600, /blocked by policy/));
      const r = await client.callTool({ name: "echo", arguments: { message: "m" } });
      assert.equal(r._meta?.["kitchen/middleware"], "echo");
    });

    test("handler context: request id, method, client, app, _meta", async () => {
      const info = jsonText(await client.callTool({ name: "context_info", arguments: {}, _meta: { trace: "t-1" } }));
      assert.equal(typeof info.requestId, "number");
      assert.equal(info.method, "tools/call");
      assert.equal(info.clientInfo.name, "sdk-test-client");
      assert.deepEqual(info.clientCapabilities.roots, { listChanged: true });
      assert.equal(info.app, "lifespan-ok");
      assert.equal(info.meta.trace, "t-1");
      assert.equal(info.sessionId, null);
      assert.equal(info.aborted, false);
    });

    test("progress via _meta.progressToken", async () => {
      // The SDK client runs notification handlers a microtask after reading them but
      // settles replies at once, so progress sent just before a reply can be dropped
      // on its side. Hold the request open until the progress has arrived instead.
      const seen: any[] = [];
      let sawProgress!: () => void;
      const arrived = new Promise<void>((resolve) => (sawProgress = resolve));
      const call = client.callTool({ name: "hold", arguments: { until: "latch", latch: "progress" } }, undefined, {
        onprogress: (p) => {
          seen.push(p);
          sawProgress();
        },
      });
      await arrived;
      await client.callTool({ name: "release", arguments: { latch: "progress" } });
      assert.equal(firstText(await call), "released latch progress");
      assert.equal(seen.length, 1);
      assert.deepEqual({ progress: seen[0].progress, total: seen[0].total }, { progress: 0, total: 1 });
      // `message` on progress arrived in 2025-03-26.
      assert.equal(seen[0].message, at(version, "2025-03-26") ? "holding" : undefined);
      // Without a token the handler's progress calls send nothing (and do not fail).
      assert.equal(firstText(await client.callTool({ name: "progress", arguments: { steps: 2 } })), "did 2 steps");
    });

    test("logging: setLevel is honoured by ctx.log", async () => {
      const levelsFor = async () => {
        const from = conn.notifications.items.length;
        await client.callTool({ name: "log_levels", arguments: {} });
        await conn.notifications.waitFor((n) => n.method === "notifications/message" && n.params?.data?.marker === "end", "the end marker", from);
        return conn.notifications.items
          .slice(from)
          .filter((n) => n.method === "notifications/message" && typeof n.params.data === "string")
          .map((n) => n.params.level);
      };
      await client.setLoggingLevel("warning");
      assert.deepEqual(await levelsFor(), ["warning", "error", "critical", "alert", "emergency"]);
      await client.setLoggingLevel("debug");
      const all = await levelsFor();
      assert.deepEqual(all, ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]);
      const one = conn.notifications.items.find((n) => n.method === "notifications/message" && n.params.data === "info message")!;
      assert.equal(one.params.logger, "kitchen");
      await assert.rejects(client.request({ method: "logging/setLevel", params: { level: "loud" } }, ResultSchema), rejectsWith(-32602, /Invalid log level/));
    });

    test("resources/list and resources/templates/list: every page, version-shaped entries", async () => {
      const { items } = await walk<any>((cursor) => client.listResources(cursor ? { cursor } : {}), "resources", PAGE);
      assert.deepEqual(
        items.map((r) => r.uri),
        ["mem://greeting", "mem://logo.png", "mem://counter", "mem://pair", "mem://users/1", "mem://users/2", "mem://users/10"],
      );
      const greeting = items[0];
      assert.equal(greeting.name, "greeting");
      assert.equal(greeting.mimeType, "text/plain");
      assert.equal(greeting.size, 13);
      assert.deepEqual(greeting.annotations, { audience: ["user", "assistant"], priority: 0.5 });
      assert.equal(greeting.title, at(version, "2025-06-18") ? "Greeting" : undefined);
      assert.equal(greeting.icons?.length, at(version, "2025-11-25") ? 1 : undefined);
      assert.equal(items[4].mimeType, "application/json", "listed template resources get the template's MIME type");

      const templates = await walk<any>((cursor) => client.listResourceTemplates(cursor ? { cursor } : {}), "resourceTemplates", PAGE);
      assert.deepEqual(
        templates.items.map((t) => t.uriTemplate),
        ["mem://users/{id}", "mem://files/{+path}", "mem://search{?q,limit}", "mem://repos/{owner}/{repo}"],
      );
      assert.equal(templates.items[0].title, at(version, "2025-06-18") ? "User" : undefined);
      await assert.rejects(client.listResources({ cursor: "bm9wZQ" }), rejectsWith(-32602));
    });

    test("resources/read: text, blob, several contents, RFC 6570 templates, not found", async () => {
      assert.deepEqual((await client.readResource({ uri: "mem://greeting" })).contents, [
        { uri: "mem://greeting", mimeType: "text/plain", text: "Hello, world!" },
      ]);
      const logo = (await client.readResource({ uri: "mem://logo.png" })).contents[0] as any;
      assert.equal(logo.mimeType, "image/png");
      assert.deepEqual(Buffer.from(logo.blob, "base64"), PNG);
      const pair = (await client.readResource({ uri: "mem://pair" })).contents as any[];
      assert.deepEqual(pair.map((c) => c.uri), ["mem://pair#a", "mem://pair#b"]);
      assert.equal(Buffer.from(pair[1].blob, "base64").toString(), "second");
      const user = (await client.readResource({ uri: "mem://users/2" })).contents[0] as any;
      assert.equal(user.mimeType, "application/json");
      assert.deepEqual(JSON.parse(user.text), { id: "2", name: "Grace" });
      assert.equal(((await client.readResource({ uri: "mem://files/a/b/c.txt" })).contents[0] as any).text, "contents of a/b/c.txt");
      const search = (await client.readResource({ uri: "mem://search?q=mcp&limit=5" })).contents[0] as any;
      assert.deepEqual(JSON.parse(search.text), { q: "mcp", limit: "5" });
      const noQuery = (await client.readResource({ uri: "mem://search" })).contents[0] as any;
      assert.deepEqual(JSON.parse(noQuery.text), { q: null, limit: null });
      await assert.rejects(client.readResource({ uri: "mem://nothing" }), (e: any) => {
        assert.equal(e.code, -32002);
        assert.deepEqual(e.data, { uri: "mem://nothing" });
        return true;
      });
      await assert.rejects(client.readResource({ uri: "mem://users/99" }), rejectsWith(-32002, /No user 99/));
      await assert.rejects(client.readResource({ uri: "mem://hidden" }), rejectsWith(-32002));
      // A handler can read another resource through its context.
      const other = JSON.parse(firstText(await client.callTool({ name: "read_other", arguments: { uri: "mem://users/1" } })));
      assert.deepEqual(JSON.parse(other[0].text), { id: "1", name: "Ada" });
    });

    test("resources/subscribe and unsubscribe → notifications/resources/updated", async () => {
      const updated = (uri: string, from: number) =>
        conn.notifications.waitFor((n) => n.method === "notifications/resources/updated" && n.params.uri === uri, `updated ${uri}`, from);
      await client.subscribeResource({ uri: "mem://greeting" });
      await client.subscribeResource({ uri: "mem://repos/acme/anvil" });
      let from = conn.notifications.items.length;
      await client.callTool({ name: "touch", arguments: { uri: "mem://greeting" } });
      await updated("mem://greeting", from);
      await client.callTool({ name: "touch", arguments: { uri: "mem://repos/acme/anvil" } });
      await updated("mem://repos/acme/anvil", from);

      await client.unsubscribeResource({ uri: "mem://greeting" });
      from = conn.notifications.items.length;
      await client.callTool({ name: "touch", arguments: { uri: "mem://greeting" } });
      await client.callTool({ name: "touch", arguments: { uri: "mem://repos/acme/anvil" } });
      await updated("mem://repos/acme/anvil", from);
      const stale = conn.notifications.items.slice(from).filter((n) => n.params?.uri === "mem://greeting");
      assert.deepEqual(stale, [], "no update after unsubscribing");
      await client.unsubscribeResource({ uri: "mem://repos/acme/anvil" });

      await assert.rejects(client.subscribeResource({ uri: "mem://logo.png" }), rejectsWith(-32602, /not subscribable/));
    });

    test("prompts/list and prompts/get: arguments, required check, content", async () => {
      const { items } = await walk<any>((cursor) => client.listPrompts(cursor ? { cursor } : {}), "prompts", PAGE);
      assert.deepEqual(items.map((p) => p.name), ["greet", "scaffold", "rich", "simple"]);
      const greet = items[0];
      assert.equal(greet.title, at(version, "2025-06-18") ? "Greet someone" : undefined);
      // (Argument titles are checked over the raw driver: the SDK's schema strips them.)
      assert.equal(greet.arguments[0].required, true);
      assert.equal(greet.icons?.length, at(version, "2025-11-25") ? 1 : undefined);

      const got = await client.getPrompt({ name: "greet", arguments: { name: "Ada", style: "formal" } });
      assert.equal(got.description, "Writes a greeting");
      assert.deepEqual(got.messages, [{ role: "user", content: { type: "text", text: "Say hello to Ada in a formal style." } }]);
      await assert.rejects(client.getPrompt({ name: "greet", arguments: {} }), rejectsWith(-32602, /Missing required argument.*'greet': name/));
      await assert.rejects(client.getPrompt({ name: "nope" }), rejectsWith(-32602, /Unknown prompt: nope/));
      const scaffold = await client.getPrompt({ name: "scaffold", arguments: { language: "python" } });
      assert.deepEqual(scaffold.messages.map((m) => [m.role, (m.content as any).text]), [
        ["user", "Create a python project."],
        ["assistant", "Sure."],
      ]);
      const rich = await client.getPrompt({ name: "rich" });
      const types = rich.messages.map((m) => m.content.type);
      assert.deepEqual(types, ["text", "image", "resource", at(version, "2025-06-18") ? "resource_link" : "text"]);
    });

    test("completion/complete: prompt arguments and template variables, with context", async () => {
      const values = async (ref: any, name: string, value: string, context?: Record<string, string>) =>
        (await client.complete({ ref, argument: { name, value }, ...(context ? { context: { arguments: context } } : {}) })).completion.values;
      assert.deepEqual(await values({ type: "ref/prompt", name: "greet" }, "style", "f"), ["formal"]);
      assert.deepEqual(await values({ type: "ref/prompt", name: "greet" }, "name", "A"), [], "an argument without a completer completes to nothing");
      assert.deepEqual(await values({ type: "ref/resource", uri: "mem://users/{id}" }, "id", "1"), ["1", "10"]);
      assert.deepEqual(await values({ type: "ref/resource", uri: "mem://repos/{owner}/{repo}" }, "owner", ""), ["acme", "initech"]);
      if (at(version, "2025-06-18")) {
        assert.deepEqual(await values({ type: "ref/prompt", name: "scaffold" }, "framework", "f", { language: "python" }), ["flask", "fastapi"]);
        assert.deepEqual(await values({ type: "ref/resource", uri: "mem://repos/{owner}/{repo}" }, "repo", "r", { owner: "acme" }), ["rocket", "roadrunner"]);
      }
      const full = await client.complete({ ref: { type: "ref/prompt", name: "greet" }, argument: { name: "style", value: "" } });
      assert.deepEqual(full.completion, { values: ["casual", "formal", "pirate"], total: 3, hasMore: false });
      await assert.rejects(client.complete({ ref: { type: "ref/prompt", name: "nope" }, argument: { name: "x", value: "" } }), rejectsWith(-32602));
    });

    test("run-time enable/disable sends list_changed", async () => {
      const changed = (kind: string, from: number) =>
        conn.notifications.waitFor((n) => n.method === `notifications/${kind}/list_changed`, `${kind} list_changed`, from);
      const toolNames = async () => (await walk<any>((cursor) => client.listTools(cursor ? { cursor } : {}), "tools", PAGE)).items.map((t) => t.name);

      await assert.rejects(client.callTool({ name: "hidden_tool", arguments: {} }), rejectsWith(-32602, /Unknown tool/));
      let from = conn.notifications.items.length;
      await client.callTool({ name: "toggle", arguments: { kind: "tool", enabled: true } });
      await changed("tools", from);
      assert.ok((await toolNames()).includes("hidden_tool"));
      assert.equal(firstText(await client.callTool({ name: "hidden_tool", arguments: {} })), "hidden tool ran");
      from = conn.notifications.items.length;
      await client.callTool({ name: "toggle", arguments: { kind: "tool", enabled: false } });
      await changed("tools", from);
      assert.ok(!(await toolNames()).includes("hidden_tool"));

      from = conn.notifications.items.length;
      await client.callTool({ name: "toggle", arguments: { kind: "prompt", enabled: true } });
      await changed("prompts", from);
      assert.equal((await client.getPrompt({ name: "hidden_prompt" })).messages.length, 1);
      await client.callTool({ name: "toggle", arguments: { kind: "prompt", enabled: false } });

      from = conn.notifications.items.length;
      await client.callTool({ name: "toggle", arguments: { kind: "resource", enabled: true } });
      await changed("resources", from);
      assert.equal(((await client.readResource({ uri: "mem://hidden" })).contents[0] as any).text, "hidden resource");
      from = conn.notifications.items.length;
      await client.callTool({ name: "toggle", arguments: { kind: "template", enabled: true } });
      await changed("resources", from);
      assert.equal(((await client.readResource({ uri: "mem://hidden/7" })).contents[0] as any).text, "hidden 7");
      await client.callTool({ name: "toggle", arguments: { kind: "resource", enabled: false } });
      await client.callTool({ name: "toggle", arguments: { kind: "template", enabled: false } });
      await assert.rejects(client.readResource({ uri: "mem://hidden/7" }), rejectsWith(-32002));
    });

    test("elicitation (form): accept, decline, cancel; refused before 2025-06-18", async () => {
      const elicit = () => client.callTool({ name: "elicit", arguments: { mode: "form" } });
      if (!at(version, "2025-06-18")) {
        await assert.rejects(elicit(), rejectsWith(-32600, /does not support it/));
        assert.equal(elicitRequests.length, 0, "nothing was sent to the client");
        return;
      }
      elicitReply = { action: "accept", content: { name: "Ada", age: 36 } };
      assert.deepEqual(jsonText(await elicit()), elicitReply);
      const sent = elicitRequests.at(-1);
      assert.equal(sent.message, "Who are you?");
      assert.deepEqual(sent.requestedSchema.required, ["name"]);
      assert.equal(sent.mode, at(version, "2025-11-25") ? "form" : undefined);
      elicitReply = { action: "decline" };
      assert.deepEqual(jsonText(await elicit()), { action: "decline" });
      elicitReply = { action: "cancel" };
      assert.deepEqual(jsonText(await elicit()), { action: "cancel" });
      // An accepted answer that fails the form's validator is refused.
      elicitReply = { action: "accept", content: { age: 3 } };
      await assert.rejects(elicit(), rejectsWith(-32602, /does not match the requested schema/));
    });

    test("elicitation (URL): only from 2025-11-25", async () => {
      const before = elicitRequests.length;
      const elicit = () => client.callTool({ name: "elicit", arguments: { mode: "url" } });
      if (!at(version, "2025-11-25")) {
        await assert.rejects(elicit(), rejectsWith(-32600, /URL elicitation is not available/));
        assert.equal(elicitRequests.length, before);
        return;
      }
      elicitReply = { action: "accept" };
      assert.deepEqual(jsonText(await elicit()), { action: "accept" });
      const sent = elicitRequests.at(-1);
      assert.deepEqual(
        { mode: sent.mode, url: sent.url, elicitationId: sent.elicitationId, message: sent.message },
        { mode: "url", url: "https://example.com/login", elicitationId: "elicit-42", message: "Please sign in" },
      );
      elicitReply = { action: "decline" };
      assert.deepEqual(jsonText(await elicit()), { action: "decline" });
    });

    test("sampling, and sampling with tools from 2025-11-25", async () => {
      const plain = jsonText(await client.callTool({ name: "sample", arguments: { prompt: "hi" } }));
      assert.deepEqual(plain.content, { type: "text", text: "model says: hi" });
      assert.equal(samplingRequests.at(-1).maxTokens, 1000);
      const withTools = () => client.callTool({ name: "sample", arguments: { prompt: "define mcp", withTools: true } });
      if (!at(version, "2025-11-25")) {
        await assert.rejects(withTools(), rejectsWith(-32600, /sampling with tools is not available/));
        return;
      }
      const r = jsonText(await withTools());
      assert.equal(r.stopReason, "toolUse");
      assert.equal(r.content[0].type, "tool_use");
      assert.equal(samplingRequests.at(-1).tools[0].name, "lookup");
      assert.deepEqual(samplingRequests.at(-1).toolChoice, { mode: "auto" });
    });

    test("roots/list and notifications/roots/list_changed", async () => {
      assert.deepEqual(jsonText(await client.callTool({ name: "roots", arguments: {} })), roots);
      roots = [...roots, { uri: "file:///work/other", name: "other" }];
      const from = conn.notifications.items.length;
      await client.sendRootsListChanged();
      const log = await conn.notifications.waitFor((n) => n.method === "notifications/message" && n.params.logger === "roots", "the roots log", from);
      assert.deepEqual(log.params.data, { rootsChanged: ["file:///work/project", "file:///work/other"] });
    });

    test("cancellation aborts the handler's signal; other requests keep flowing", async () => {
      const controller = new AbortController();
      const from = conn.notifications.items.length;
      const call = client.callTool({ name: "hold", arguments: { until: "cancel" } }, undefined, { signal: controller.signal });
      const holding = await conn.notifications.waitFor((n) => n.method === "notifications/message" && n.params.data?.holding !== undefined, "hold start", from);
      const id = holding.params.data.holding;
      controller.abort("user pressed stop");
      await assert.rejects(call);
      const aborted = await conn.notifications.waitFor((n) => n.method === "notifications/message" && n.params.data?.cancelled === id, "the abort log", from);
      assert.match(aborted.params.data.reason, /user pressed stop/);
      const events = jsonText(await client.callTool({ name: "events", arguments: {} }));
      assert.ok(events.some((e: string) => e.startsWith(`cancelled ${id}`)), JSON.stringify(events));
    });

    test("replies may arrive out of order", async () => {
      const order: string[] = [];
      const from = conn.notifications.items.length;
      const held = client.callTool({ name: "hold", arguments: { until: "latch", latch: "ooo" } }).then((r) => {
        order.push("held");
        return r;
      });
      await conn.notifications.waitFor((n) => n.method === "notifications/message" && n.params.data?.until === "latch", "hold start", from);
      const echo = await client.callTool({ name: "echo", arguments: { message: "first" } });
      order.push("echo");
      assert.equal(firstText(echo), "first");
      await client.callTool({ name: "release", arguments: { latch: "ooo" } });
      assert.equal(firstText(await held), "released latch ooo");
      assert.deepEqual(order, ["echo", "held"]);
    });

    test("raw request handlers answer custom methods", async () => {
      const r: any = await client.request({ method: "kitchen/echo", params: { x: 1 } }, ResultSchema);
      assert.deepEqual(r.params, { x: 1 });
      assert.equal(typeof r.requestId, "number");
      assert.equal(r.app, "lifespan-ok");
      await assert.rejects(client.request({ method: "kitchen/unknown", params: {} }, ResultSchema), rejectsWith(-32601));
    });
  });
}

describe("official SDK client without sampling, elicitation or roots", { timeout: 30_000 }, () => {
  let conn: SdkConnection;
  before(async () => {
    conn = await connectSdk("kitchen-sink.ts", { version: "2025-11-25", client: { capabilities: { elicitation: {} } } });
  });
  after(() => conn.close());

  test("asking for an undeclared capability fails at once with a clear error", async () => {
    const { client } = conn;
    await assert.rejects(client.callTool({ name: "sample", arguments: { prompt: "x" } }), rejectsWith(-32600, /did not declare the 'sampling' capability/));
    await assert.rejects(client.callTool({ name: "roots", arguments: {} }), rejectsWith(-32600, /did not declare the 'roots' capability/));
    // `elicitation: {}` means form mode only.
    await assert.rejects(client.callTool({ name: "elicit", arguments: { mode: "url" } }), rejectsWith(-32600, /did not declare the 'elicitation.url' capability/));
  });
});
