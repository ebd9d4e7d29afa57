/**
 * Version-gated behaviour at the wire, with the raw line driver: what each
 * negotiated revision sees in initialize, lists, results and server requests, and
 * batches (only in 2025-03-26).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { McpClient, McpServer, createMemoryTransportPair, resourceLink, text, type GetPromptResult } from "../../runtime/src/index.js";
import { REVISIONS, RawServer, isResponse, type Wire } from "./helpers.js";

const at = (version: string, since: string) => version >= since;
const ICON = { src: "https://example.com/icon.png", mimeType: "image/png", sizes: ["48x48"] };

for (const version of REVISIONS) {
  describe(`protocol ${version} on the wire`, { timeout: 30_000 }, () => {
    let server: RawServer;
    let init: any;
    before(async () => {
      server = new RawServer("kitchen-sink.ts");
      init = await server.initialize(version, { elicitation: { form: {}, url: {} }, sampling: { tools: {} } });
    });
    after(() => server.close());

    test("initialize echoes the revision; serverInfo carries what the revision knows", () => {
      assert.equal(init.protocolVersion, version);
      const expected: Record<string, unknown> = { name: "kitchen-sink", version: "1.2.3" };
      if (at(version, "2025-06-18")) expected.title = "Kitchen Sink";
      if (at(version, "2025-11-25")) {
        Object.assign(expected, { description: "Every runtime feature in one server", websiteUrl: "https://example.com/kitchen-sink", icons: [ICON] });
      }
      assert.deepEqual(init.serverInfo, expected);
    });

    test("tools/list entries are shaped for the revision", async () => {
      const { tools } = await server.call("tools/list");
      const echo = tools.find((t: any) => t.name === "echo");
      const expected: Record<string, unknown> = {
        name: "echo",
        description: "Repeats a message",
        inputSchema: echo.inputSchema,
      };
      if (at(version, "2025-06-18")) expected.title = "Echo";
      if (at(version, "2025-03-26")) expected.annotations = { title: "Echo (annotation)", readOnlyHint: true, idempotentHint: true, openWorldHint: false };
      if (at(version, "2025-11-25")) expected.icons = [ICON];
      assert.deepEqual(echo, expected);
      const add = tools.find((t: any) => t.name === "add");
      assert.equal("outputSchema" in add, at(version, "2025-06-18"));
      assert.equal("execution" in add, at(version, "2025-11-25"));
    });

    test("prompts/list: titles of prompts and arguments from 2025-06-18", async () => {
      const { prompts } = await server.call("prompts/list");
      const greet = prompts.find((p: any) => p.name === "greet");
      assert.equal("title" in greet, at(version, "2025-06-18"));
      assert.deepEqual(
        greet.arguments[0],
        at(version, "2025-06-18")
          ? { name: "name", title: "Name", description: "Who to greet", required: true }
          : { name: "name", description: "Who to greet", required: true },
      );
      assert.equal("icons" in greet, at(version, "2025-11-25"));
    });

    test("structuredContent from 2025-06-18; the JSON text block always", async () => {
      const r = await server.call("tools/call", { name: "add", arguments: { a: 1, b: 2 } });
      assert.deepEqual(r.content, [{ type: "text", text: '{"sum":3}' }]);
      assert.equal("structuredContent" in r, at(version, "2025-06-18"));
    });

    test("progress and log notifications precede the reply, in order", async () => {
      const from = server.inbox.items.length;
      const reply = await server.request("tools/call", { name: "progress", arguments: { steps: 3 }, _meta: { progressToken: "tok" } }, "p-1");
      assert.equal(reply.result.content[0].text, "did 3 steps");
      const seen = server.inbox.items.slice(from);
      const progress = seen.filter((m: Wire) => m.method === "notifications/progress");
      assert.deepEqual(
        progress.map((m) => m.params),
        [1, 2, 3].map((i) => ({
          progressToken: "tok",
          progress: i,
          total: 3,
          ...(at(version, "2025-03-26") ? { message: `step ${i} of 3` } : {}),
        })),
      );
      const replyIndex = seen.findIndex((m) => isResponse(m) && m.id === "p-1");
      assert.ok(seen.indexOf(progress[2]!) < replyIndex, "progress before the reply");
    });

    test("elicitation requests carry `mode` only in 2025-11-25", async (t) => {
      if (!at(version, "2025-06-18")) {
        const r = await server.request("tools/call", { name: "elicit", arguments: {} });
        assert.equal(r.error?.code, -32600);
        assert.match(r.error!.message, /protocol version 2\d{3}-\d\d-\d\d does not support it/);
        return;
      }
      const from = server.inbox.items.length;
      server.send({ jsonrpc: "2.0", id: "e-1", method: "tools/call", params: { name: "elicit", arguments: {} } });
      const ask = await server.message("elicitation/create", () => true, from);
      assert.equal(ask.params.mode, at(version, "2025-11-25") ? "form" : undefined);
      assert.equal(ask.params.message, "Who are you?");
      server.send({ jsonrpc: "2.0", id: ask.id, result: { action: "accept", content: { name: "Raw" } } });
      const reply = await server.response("e-1");
      assert.deepEqual(JSON.parse(reply.result.content[0].text), { action: "accept", content: { name: "Raw" } });
      t.diagnostic(`server request id ${JSON.stringify(ask.id)}`);
    });

    test("prompt messages: resource_link and audio are downgraded for older revisions", async () => {
      const r = await server.call("prompts/get", { name: "rich" });
      const link = r.messages[3].content;
      if (at(version, "2025-06-18")) assert.equal(link.type, "resource_link");
      else assert.deepEqual(link, { type: "text", text: "The greeting: mem://greeting" });
    });

    test(version === "2025-03-26" ? "batches are answered as one array" : "batches are refused with -32600", async () => {
      const from = server.inbox.items.length;
      server.send([
        { jsonrpc: "2.0", id: "b-1", method: "ping" },
        { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: "none", progress: 1 } },
        { jsonrpc: "2.0", id: "b-2", method: "tools/call", params: { name: "echo", arguments: { message: "in a batch" } } },
        { jsonrpc: "2.0", id: "b-3", method: "no/such/method" },
        { jsonrpc: "2.0", id: "b-4", method: 42 },
      ]);
      const reply = (await server.inbox.waitFor((m) => Array.isArray(m) || (isResponse(m) && m.id === null), "the batch reply", from)) as unknown;
      if (version === "2025-03-26") {
        assert.ok(Array.isArray(reply));
        const byId = new Map((reply as Wire[]).map((m) => [m.id, m]));
        assert.equal(byId.size, 4, "one reply per request, none for the notification");
        assert.deepEqual(byId.get("b-1")!.result, {});
        assert.equal(byId.get("b-2")!.result.content[0].text, "in a batch");
        assert.equal(byId.get("b-3")!.error!.code, -32601);
        assert.equal(byId.get("b-4")!.error!.code, -32600);
        // A batch of notifications only gets no reply at all; the next request still works.
        server.send([{ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: "none", progress: 1 } }]);
        const after = server.inbox.items.length;
        await server.call("ping");
        assert.ok(!server.inbox.items.slice(after).some((m) => Array.isArray(m)));
      } else {
        const error = reply as Wire;
        assert.equal(error.id, null);
        assert.equal(error.error!.code, -32600);
        assert.match(error.error!.message, /batches are not supported/);
        const ids = server.inbox.items.slice(from).filter((m) => isResponse(m)).map((m) => m.id);
        assert.deepEqual(ids, [null], "nothing in the refused batch ran");
      }
      assert.deepEqual(await server.call("ping"), {});
    });
  });
}

describe("version negotiation", { timeout: 30_000 }, () => {
  for (const requested of ["2099-01-01", "2024-10-07"]) {
    test(`an unsupported revision (${requested}) is answered with the latest`, async () => {
      const server = new RawServer("kitchen-sink.ts");
      try {
        const r = await server.initialize(requested);
        assert.equal(r.protocolVersion, "2025-11-25");
      } finally {
        await server.close();
      }
    });
  }
});

describe("one server, sessions at different revisions", () => {
  test("each session is shaped for its own revision; shared handler results stay untouched", async () => {
    const shared: GetPromptResult = {
      messages: [
        { role: "user", content: text("see the link") },
        { role: "user", content: resourceLink({ uri: "mem://doc", name: "doc", title: "The doc" }) },
      ],
    };
    const server = new McpServer({ name: "multi", version: "1", title: "Multi" });
    server.prompt({ name: "shared", get: () => shared });
    server.tool({ name: "t", title: "T", outputSchema: { type: "object" }, handler: () => ({ ok: true }) });
    const connect = async (protocolVersion: string) => {
      const [a, b] = createMemoryTransportPair();
      await server.connect(a);
      const client = new McpClient({ name: protocolVersion, version: "1" }, { protocolVersion });
      await client.connect(b);
      return client;
    };
    const old = await connect("2025-03-26");
    const latest = await connect("2025-11-25");
    for (let round = 0; round < 2; round++) {
      assert.deepEqual((await old.getPrompt("shared")).messages[1]!.content, { type: "text", text: "The doc: mem://doc" });
      assert.equal((await latest.getPrompt("shared")).messages[1]!.content.type, "resource_link");
      assert.deepEqual(Object.keys((await old.listTools())[0]!).sort(), ["inputSchema", "name"]);
      assert.deepEqual(Object.keys((await latest.listTools())[0]!).sort(), ["inputSchema", "name", "outputSchema", "title"]);
      assert.equal((await old.callTool("t")).structuredContent, undefined);
      assert.deepEqual((await latest.callTool("t")).structuredContent, { ok: true });
    }
    assert.equal(shared.messages[1]!.content.type, "resource_link", "the handler's own object was not modified");
    assert.equal(old.serverInfo?.title, undefined);
    assert.equal(latest.serverInfo?.title, "Multi");
    await server.close();
  });
});
