/**
 * The official dual-era client (@modelcontextprotocol/client 2.4.0) against the modern
 * fixture, over Streamable HTTP (a real socket) and stdio (a child process), in both
 * eras: `versionNegotiation: auto` negotiates 2026-07-28 through server/discover and gets
 * input_required rounds answered by its own request handlers; the default (legacy) mode
 * initializes a session and gets the same inputs as server→client requests. Then our
 * own McpClient, which speaks both eras too, against the same server and a session-only one.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { McpClient, StdioClientTransport as OurStdio, StreamableHttpClientTransport } from "../../runtime/src/index.js";
import { Inbox, fixturePath, repoRoot } from "./helpers.js";
import { HttpFixture } from "./http-helpers.js";

type Era = "auto" | "legacy";

/** The official client with handlers for every input a server may ask for; inputs land in `asked`. */
function officialClient(era: Era, asked: string[], notes?: Inbox<{ method: string; params: any }>) {
  const client = new Client(
    { name: "official-v2", version: "2.4.0" },
    { capabilities: { elicitation: {}, sampling: {}, roots: {} }, ...(era === "auto" ? { versionNegotiation: { mode: "auto" as const } } : {}) },
  );
  client.setRequestHandler("elicitation/create", async (request) => {
    asked.push(`elicit:${request.params.message}`);
    return { action: "accept", content: { name: "Ada" } };
  });
  client.setRequestHandler("sampling/createMessage", async () => {
    asked.push("sample");
    return { role: "assistant", content: { type: "text", text: "Hello" }, model: "test-model" };
  });
  client.setRequestHandler("roots/list", async () => {
    asked.push("roots");
    return { roots: [{ uri: "file:///work", name: "work" }] };
  });
  if (notes) {
    for (const method of ["notifications/tools/list_changed", "notifications/resources/updated", "notifications/message"] as const) {
      client.setNotificationHandler(method, (n: any) => notes.push({ method: n.method, params: n.params }));
    }
  }
  return client;
}

const text = (r: any) => r.content[0].text as string;

for (const transport of ["http", "stdio"] as const) {
  describe(`official v2 client over ${transport}`, () => {
    let fx: HttpFixture | undefined;
    before(async () => {
      if (transport === "http") fx = await HttpFixture.start([], { fixture: "modern.ts" });
    });
    after(() => fx?.stop());

    const connect = async (client: Client) => {
      const t =
        transport === "http"
          ? new StreamableHTTPClientTransport(new URL(fx!.url))
          : new StdioClientTransport({ command: process.execPath, args: ["--import", "tsx", fixturePath("modern.ts")], cwd: repoRoot, stderr: "ignore" });
      await client.connect(t);
      return client;
    };

    test("auto: negotiates 2026-07-28; tools, prompts, resources; input rounds answered by its handlers", async () => {
      const asked: string[] = [];
      const client = await connect(officialClient("auto", asked));
      try {
        assert.equal(client.getProtocolEra(), "modern");
        assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
        assert.equal(client.getServerVersion()?.name, "modern-fixture");
        assert.equal(client.getInstructions(), "A fixture for the stateless revision.");
        const { tools } = await client.listTools();
        assert.ok(tools.some((t) => t.name === "greet"));
        const greet = await client.callTool({ name: "greet", arguments: {} });
        assert.equal(text(greet), "Hello, Ada! (1 roots, round 2)", "three rounds, answered automatically");
        assert.deepEqual(asked, ["elicit:What is your name?", "sample", "roots"]);
        const region = await client.callTool({ name: "region", arguments: { region: "  spaced – ünïcode ", count: 3 } });
        assert.equal(text(region), "region=  spaced – ünïcode  count=3 verbose=undefined", "its Mcp-Param headers (base64 for this one) are accepted");
        const prompt = await client.getPrompt({ name: "ask_prompt", arguments: {} });
        assert.equal((prompt.messages[0]!.content as any).text, "Use this context: undefined", "prompts/get went through a round too");
        const read = await client.readResource({ uri: "res://pinned" });
        assert.equal((read.contents[0] as any).text, "never changes");
        await assert.rejects(client.callTool({ name: "nope", arguments: {} }), /nope/);
      } finally {
        await client.close();
      }
    });

    test("auto: listen gets the acknowledgement, then list changes and resource updates", async () => {
      const notes = new Inbox<{ method: string; params: any }>();
      const client = await connect(officialClient("auto", [], notes));
      try {
        const sub = await client.listen({ toolsListChanged: true, resourceSubscriptions: ["res://watched", "res://unknown"] });
        assert.deepEqual(sub.honoredFilter, { toolsListChanged: true, resourceSubscriptions: ["res://watched"] });
        await client.callTool({ name: "toggle", arguments: {} });
        await notes.waitFor((n) => n.method === "notifications/tools/list_changed", "tools/list_changed");
        await client.callTool({ name: "touch", arguments: {} });
        const updated = await notes.waitFor((n) => n.method === "notifications/resources/updated", "resources/updated");
        assert.equal(updated.params.uri, "res://watched");
        await sub.close();
        assert.equal(await sub.closed, "local");
        await client.callTool({ name: "toggle", arguments: {} });
      } finally {
        await client.close();
      }
    });

    test("legacy (its default): a session; the same handlers ask with server→client requests", async () => {
      const asked: string[] = [];
      const notes = new Inbox<{ method: string; params: any }>();
      const client = await connect(officialClient("legacy", asked, notes));
      try {
        assert.equal(client.getProtocolEra(), "legacy");
        assert.equal(client.getNegotiatedProtocolVersion(), "2025-11-25");
        const greet = await client.callTool({ name: "greet", arguments: {} });
        assert.equal(text(greet), "Hello, Ada! (1 roots, round 0)");
        assert.deepEqual(asked.sort(), ["elicit:What is your name?", "roots", "sample"]);
        await client.setLoggingLevel("info");
        await client.callTool({ name: "chatty", arguments: {} });
        await notes.waitFor((n) => n.method === "notifications/message" && n.params.data === "error line", "the error log");
        assert.deepEqual(await client.ping(), {});
      } finally {
        await client.close();
      }
    });
  });
}

describe("our McpClient speaks both eras", () => {
  let fx: HttpFixture;
  before(async () => {
    fx = await HttpFixture.start([], { fixture: "modern.ts" });
  });
  after(() => fx?.stop());

  const options = (asked: string[], notes?: Inbox<string>) => ({
    onElicitation: async (r: { message: string }) => (asked.push(`elicit:${r.message}`), { action: "accept" as const, content: { name: "Bo", a: "A", b: "B", context: "c", ok: true } }),
    onSampling: async () => (asked.push("sample"), { role: "assistant" as const, content: { type: "text", text: "Hey" }, model: "m" }),
    roots: [{ uri: "file:///r" }],
    onNotification: (method: string, params: Record<string, unknown>) => notes?.push(`${method} ${JSON.stringify(params._meta ?? {})}`),
    onLog: (m: { data: unknown }) => notes?.push(`log ${String(m.data)}`),
  });

  for (const transport of ["http", "stdio"] as const) {
    test(`protocolEra auto over ${transport}: discover, input rounds, listen, log level in _meta`, async () => {
      const asked: string[] = [];
      const notes = new Inbox<string>();
      const client = new McpClient({ name: "ours", version: "1" }, { protocolEra: "auto", ...options(asked, notes) });
      const t = transport === "http" ? new StreamableHttpClientTransport(fx.url) : new OurStdio({ command: process.execPath, args: ["--import", "tsx", fixturePath("modern.ts")], cwd: repoRoot });
      const init = await client.connect(t);
      try {
        assert.equal(client.era, "modern");
        assert.equal(init.protocolVersion, "2026-07-28");
        assert.equal(client.discovery?.ttlMs, 60_000);
        assert.equal((await client.callTool("greet")).content[0]!.type, "text");
        assert.deepEqual(asked, ["elicit:What is your name?", "sample"], "roots come from the option, no callback");
        assert.deepEqual((await client.callTool("region", { region: "tab\there", count: 1, verbose: true })).content[0], { type: "text", text: "region=tab\there count=1 verbose=true" });
        const tools = await client.listTools();
        assert.ok(tools.some((x) => x.name === "region"));
        await client.setLoggingLevel("error");
        await client.callTool("chatty");
        assert.deepEqual(notes.items.filter((n) => n.startsWith("log")), ["log error line"]);
        const sub = await client.listen({ toolsListChanged: true });
        assert.deepEqual(await sub.acknowledged, { toolsListChanged: true });
        await client.callTool("toggle");
        await client.callTool("toggle");
        // Both changes arrive on the listen stream, tagged with its id.
        const tagged = `notifications/tools/list_changed {"io.modelcontextprotocol/subscriptionId":${JSON.stringify(sub.id)}}`;
        const first = await notes.waitFor((n) => n === tagged, "the first tools/list_changed");
        await notes.waitFor((n) => n === tagged, "the second tools/list_changed", notes.items.indexOf(first) + 1);
        sub.close();
        await sub.closed;
        await assert.rejects(client.subscribeResource("res://watched"), /listen/);
        assert.deepEqual(await client.ping(), {});
      } finally {
        await client.close();
      }
    });
  }

  test("protocolEra auto falls back to initialize against a session-only server", async () => {
    // server-everything (official SDK 1.x) knows no server/discover.
    const client = new McpClient({ name: "ours", version: "1" }, { protocolEra: "auto" });
    const everything = new OurStdio({ command: process.execPath, args: [`${repoRoot}node_modules/@modelcontextprotocol/server-everything/dist/index.js`, "stdio"], cwd: repoRoot });
    const init = await client.connect(everything);
    try {
      assert.equal(client.era, "legacy");
      assert.equal(init.protocolVersion, "2025-11-25");
      assert.ok((await client.listTools()).length > 0);
    } finally {
      await client.close();
    }
  });

  test("protocolEra modern refuses a session-only server", async () => {
    const client = new McpClient({ name: "ours", version: "1" }, { protocolEra: "modern" });
    const everything = new OurStdio({ command: process.execPath, args: [`${repoRoot}node_modules/@modelcontextprotocol/server-everything/dist/index.js`, "stdio"], cwd: repoRoot });
    await assert.rejects(client.connect(everything), /2026-07-28/);
    await client.close();
  });
});
