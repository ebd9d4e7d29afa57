/**
 * The cluster seam without Redis: three handlers ("nodes") in one process, each with its own
 * McpServer, sharing memory stores and a LocalClusterHub; the official SDK client's fetch
 * sends each request to the next handler in turn (round robin, no affinity). What the
 * Redis deployment tests show through nginx (test/cluster) holds here for the runtime's
 * own bus: answers routed to the waiting node, updates from another node on the GET
 * stream once each, cancellation, DELETE everywhere, unique stream ids, and a call whose
 * node died failed on the resumed stream.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema, ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { LocalClusterHub, McpServer, MemoryEventStore, MemorySessionStore, createHttpHandler, type McpHttpHandler } from "../../runtime/src/index.js";

function nodeServer(name: string) {
  const server = new McpServer({ name, version: "1.0.0" });
  server.tool({
    name: "whoami",
    handler: () => name,
  });
  server.tool({
    name: "ask",
    handler: async (_args, ctx) => JSON.stringify(await ctx.elicitForm("Who?", { type: "object", properties: { name: { type: "string" } }, required: ["name"] })),
  });
  server.tool<{ uri: string }>({
    name: "touch",
    inputSchema: { type: "object", properties: { uri: { type: "string" } }, required: ["uri"] },
    handler: async ({ uri }, ctx) => {
      await ctx.notifyResourceUpdated(uri);
      return `${name} touched ${uri}`;
    },
  });
  server.resource({ name: "doc", uri: "mem://doc", subscribe: true, read: () => "doc" });
  return server;
}

function cluster(n: number) {
  const hub = new LocalClusterHub(300);
  const sessionStore = new MemorySessionStore();
  const eventStore = new MemoryEventStore();
  const buses = Array.from({ length: n }, () => hub.node());
  const handlers = buses.map((bus, i) => createHttpHandler(nodeServer(`node${i}`), { sessionStore, eventStore, cluster: bus }));
  let next = 0;
  const served: number[] = [];
  const fetchRoundRobin = async (input: string | URL | Request, init?: RequestInit) => {
    const i = next++ % n;
    served.push(i);
    return handlers[i]!.fetch(new Request(input, init));
  };
  return { hub, buses, handlers, served, fetchRoundRobin, eventStore, sessionStore };
}

async function connect(fetchFn: (input: string | URL | Request, init?: RequestInit) => Promise<Response>) {
  const transport = new StreamableHTTPClientTransport(new URL("http://127.0.0.1/mcp"), {
    fetch: fetchFn,
    reconnectionOptions: { initialReconnectionDelay: 20, maxReconnectionDelay: 200, reconnectionDelayGrowFactor: 1.5, maxRetries: 20 },
  });
  const client = new Client({ name: "rr", version: "1.0.0" }, { capabilities: { elicitation: {} } });
  await client.connect(transport);
  return { client, transport };
}

async function closeAll(handlers: McpHttpHandler[]) {
  await Promise.all(handlers.map((h) => h.close({ timeoutMs: 100 })));
}

const text = (r: unknown) => ((r as { content: { text: string }[] }).content[0]!.text);

async function until(check: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("HTTP cluster seam (LocalClusterHub, three handlers, round robin)", () => {
  test("an elicitation answered on another node reaches the call waiting for it", async () => {
    const c = cluster(3);
    const { client } = await connect(c.fetchRoundRobin);
    try {
      client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { name: "Ada" } }));
      // Round robin: each answer POST goes to the node after the one running the call.
      for (let i = 0; i < 6; i++) {
        assert.equal(text(await client.callTool({ name: "ask", arguments: {} })), '{"action":"accept","content":{"name":"Ada"}}');
      }
      const seen = new Set<string>();
      for (let i = 0; i < 3; i++) seen.add(text(await client.callTool({ name: "whoami", arguments: {} })));
      assert.equal(seen.size, 3, "calls run on every node");
    } finally {
      await client.close();
      await closeAll(c.handlers);
    }
  });

  test("an update raised on one node reaches the GET stream on another, once per session", async () => {
    const c = cluster(3);
    const { client } = await connect(c.fetchRoundRobin);
    try {
      const updates: string[] = [];
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
      await client.subscribeResource({ uri: "mem://doc" });
      const touched = new Set<string>();
      for (let i = 0; i < 6; i++) touched.add(text(await client.callTool({ name: "touch", arguments: { uri: "mem://doc" } })).split(" ")[0]!);
      assert.equal(touched.size, 3, "every node raised updates");
      await until(() => updates.length >= 6, "six updates");
      // Give a stray duplicate the chance to arrive: one more round trip through every node.
      for (let i = 0; i < 3; i++) await client.callTool({ name: "whoami", arguments: {} });
      assert.equal(updates.length, 6, "each update once");
    } finally {
      await client.close();
      await closeAll(c.handlers);
    }
  });

  test("cancellation reaches the node running the call; DELETE ends the session on every node", async () => {
    const c = cluster(3);
    const { client, transport } = await connect(c.fetchRoundRobin);
    let asked!: () => void;
    const question = new Promise<void>((r) => (asked = r));
    client.setRequestHandler(ElicitRequestSchema, () => {
      asked();
      return new Promise(() => undefined);
    });
    const controller = new AbortController();
    const call = client.callTool({ name: "ask", arguments: {} }, undefined, { signal: controller.signal });
    await question;
    controller.abort("stop");
    await assert.rejects(call);
    // Every node's copy of the session goes idle: the cancelled call is settled where it ran.
    await until(() => c.handlers.every((h) => h.sessionCount <= 1), "sessions");
    const sid = transport.sessionId!;
    for (let i = 0; i < 3; i++) await client.callTool({ name: "whoami", arguments: {} });
    assert.ok(c.handlers.filter((h) => h.sessionCount === 1).length >= 2, "the session is live on several nodes");
    await transport.terminateSession();
    await until(() => c.handlers.every((h) => h.sessionCount === 0), "the session to end on every node");
    assert.equal(c.sessionStore.get(sid), undefined);
    await client.close();
    await closeAll(c.handlers);
  });

  test("stream ids carry the node, so two nodes never mint the same one", async () => {
    const c = cluster(2);
    const ids = new Set<string>();
    const append = c.eventStore.append.bind(c.eventStore);
    c.eventStore.append = (streamId, message, json) => {
      if (!streamId.endsWith(".0")) ids.add(streamId);
      return append(streamId, message, json);
    };
    const { client } = await connect(c.fetchRoundRobin);
    try {
      for (let i = 0; i < 4; i++) await client.callTool({ name: "whoami", arguments: {} });
      assert.equal(ids.size, 5, `one stream per POST, none reused: ${[...ids].join(" ")}`);
      const nodes = new Set([...ids].map((s) => s.split(".")[1]!.split("-")[0]));
      assert.deepEqual(nodes, new Set(c.buses.map((b) => b.nodeId)));
    } finally {
      await client.close();
      await closeAll(c.handlers);
    }
  });

  test("a tool disabled, enabled or removed on one node is so on every node", async () => {
    const { handlers, fetchRoundRobin } = cluster(3);
    const { client } = await connect(fetchRoundRobin);
    const names = async () => (await client.listTools()).tools.map((t) => t.name).sort();
    const everyNode = (enabled: boolean) => handlers.every((h) => (h.server.items as any).tools.whoami?.enabled === enabled);
    try {
      assert.deepEqual(await names(), ["ask", "touch", "whoami"]);
      (handlers[0]!.server.items as any).tools.whoami.disable();
      await until(() => everyNode(false), "whoami disabled on every node");
      // Three lists in a row: one from each node (round robin).
      for (let i = 0; i < 3; i++) assert.deepEqual(await names(), ["ask", "touch"]);
      await assert.rejects(client.callTool({ name: "whoami", arguments: {} }).then((r) => (r.isError ? Promise.reject(new Error(text(r))) : r)));
      (handlers[2]!.server.items as any).tools.whoami.enable();
      await until(() => everyNode(true), "whoami enabled again on every node");
      for (let i = 0; i < 3; i++) assert.deepEqual(await names(), ["ask", "touch", "whoami"]);
      (handlers[1]!.server.items as any).tools.ask.remove();
      await until(() => handlers.every((h) => (h.server.items as any).tools.ask === undefined), "ask removed on every node");
      for (let i = 0; i < 3; i++) assert.deepEqual(await names(), ["touch", "whoami"]);
    } finally {
      await client.close();
      await closeAll(handlers);
    }
  });

  test("a call whose node died gets an error on the stream resumed elsewhere", async () => {
    const c = cluster(2);
    // Raw requests: POST the call to node 0, drop its stream, resume on node 1.
    const init = await c.handlers[0]!.fetch(
      new Request("http://127.0.0.1/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: { elicitation: {} }, clientInfo: { name: "raw", version: "1" } } }),
      }),
    );
    const sid = init.headers.get("mcp-session-id")!;
    await init.text();
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" };
    await c.handlers[0]!.fetch(new Request("http://127.0.0.1/mcp", { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) }));
    const call = await c.handlers[0]!.fetch(new Request("http://127.0.0.1/mcp", { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "ask", arguments: {} } }) }));
    const reader = call.body!.getReader();
    let seen = "";
    while (!seen.includes("elicitation/create")) seen += new TextDecoder().decode((await reader.read()).value);
    const priming = /id: (\S+)/.exec(seen)![1]!;
    await reader.cancel();
    // Node 0 "dies": it stops counting as alive (its process would be gone).
    c.hub.kill(c.buses[0]!.nodeId);
    const resumed = await c.handlers[1]!.fetch(new Request("http://127.0.0.1/mcp", { method: "GET", headers: { ...headers, accept: "text/event-stream", "last-event-id": priming } }));
    assert.equal(resumed.status, 200);
    const body = await resumed.text();
    assert.match(body, /elicitation\/create/, "what was stored is replayed");
    assert.match(body, /"id":7,"error":\{"code":-32603,"message":"The server node running this request stopped before answering/);
    await closeAll(c.handlers);
  });
});
