/**
 * Run-time switches: `server.items` (every registration's handle by kind and name) and the
 * capabilities a server declares for items that start disabled. In memory, with our client.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { McpClient, McpServer, createMemoryTransportPair, type ItemHandles, type Registered } from "../../runtime/src/index.js";

/** Connects our client; `arrived(method)` resolves once that notification has come in. */
async function connect(server: McpServer<any, any>) {
  const notes: string[] = [];
  const waiters: { method: string; resolve: () => void }[] = [];
  const onNotification = (method: string) => {
    notes.push(method);
    for (const w of waiters.filter((w) => w.method === method)) w.resolve();
  };
  const arrived = (method: string) =>
    notes.includes(method) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ method, resolve }));
  const [a, b] = createMemoryTransportPair();
  await server.connect(a);
  const client = new McpClient({ name: "test", version: "1" }, { onNotification });
  await client.connect(b);
  return { client, arrived };
}

describe("server.items", () => {
  test("holds every registration by kind and name; resources and templates share `resources`", () => {
    const server = new McpServer({ name: "items", version: "1" });
    const tool = server.tool({ name: "beta", enabled: false, handler: () => "beta" });
    server.resource({ name: "readme", uri: "docs://readme", read: () => "# hi" });
    server.resourceTemplate({ name: "user", uriTemplate: "users://{id}", read: ({ id }) => id });
    server.prompt({ name: "greet", get: () => "hello" });

    assert.deepEqual(Object.keys(server.items.tools), ["beta"]);
    assert.deepEqual(Object.keys(server.items.resources).sort(), ["readme", "user"]);
    assert.deepEqual(Object.keys(server.items.prompts), ["greet"]);
    assert.equal(server.items.tools.beta, tool, "the handle registration returned");
    assert.equal(server.items.tools.beta!.enabled, false);
    server.items.tools.beta!.enable();
    assert.equal(tool.enabled, true);

    server.items.resources.user!.remove();
    assert.deepEqual(Object.keys(server.items.resources), ["readme"], "a removed item leaves");
    assert.equal(tool.enabled, true);
  });

  test("a handle from items changes what clients see and tells them", async () => {
    const server = new McpServer({ name: "items", version: "1" });
    server.tool({ name: "always", handler: () => "a" });
    server.tool({ name: "later", enabled: false, handler: () => "later ran" });
    const { client, arrived } = await connect(server);
    assert.deepEqual((await client.listTools()).map((t) => t.name), ["always"]);
    await assert.rejects(client.callTool("later"), (e: any) => e.code === -32602);

    server.items.tools.later!.enable();
    await arrived("notifications/tools/list_changed");
    assert.deepEqual((await client.listTools()).map((t) => t.name), ["always", "later"]);
    assert.deepEqual((await client.callTool("later")).content, [{ type: "text", text: "later ran" }]);
    await client.close();
    await server.close();
  });

  test("typed: a narrower Items parameter names each item, and the lifespan sees it", async () => {
    type Items = ItemHandles & { tools: { beta: Registered } };
    let seen: boolean | undefined;
    const server = new McpServer<{ ok: boolean }, Items>(
      { name: "typed", version: "1" },
      {
        lifespan: {
          start: (s) => {
            seen = s.items.tools.beta.enabled;
            s.items.tools.beta.enable();
            return { ok: true };
          },
        },
      },
    );
    server.tool({ name: "beta", enabled: false, handler: () => "beta" });
    await server.start();
    assert.equal(seen, false);
    assert.equal(server.items.tools.beta.enabled, true);
  });
});

describe("capabilities of items that start disabled", () => {
  test("a disabled subscribable resource and a disabled completing prompt still declare subscribe and completions", async () => {
    const server = new McpServer({ name: "caps", version: "1" });
    server.resource({ name: "plain", uri: "mem://plain", read: () => "plain" });
    const watched = server.resource({ name: "watched", uri: "mem://watched", subscribe: true, enabled: false, read: () => "w" });
    const prompt = server.prompt({
      name: "pick",
      enabled: false,
      arguments: [{ name: "color" }],
      complete: { color: (v) => ["red", "green"].filter((c) => c.startsWith(v)) },
      get: ({ color }) => `Pick ${color}`,
    });
    const { client, arrived } = await connect(server);
    assert.deepEqual(client.serverCapabilities, {
      logging: {},
      resources: { subscribe: true, listChanged: true },
      prompts: { listChanged: true },
      completions: {},
    });
    // Disabled: as if unknown.
    await assert.rejects(client.subscribeResource("mem://watched"), (e: any) => e.code === -32602);

    // Enabled after initialize: the session's capabilities already cover them.
    watched.enable();
    prompt.enable();
    await arrived("notifications/resources/list_changed");
    await arrived("notifications/prompts/list_changed");
    await client.subscribeResource("mem://watched");
    await server.notifyResourceUpdated("mem://watched");
    await arrived("notifications/resources/updated");
    const done = await client.complete({ type: "ref/prompt", name: "pick" }, { name: "color", value: "g" });
    assert.deepEqual(done.values, ["green"]);
    await client.close();
    await server.close();
  });

  test("a server without any prompt still has no prompts capability", async () => {
    const server = new McpServer({ name: "caps", version: "1" });
    server.tool({ name: "t", handler: () => "t" });
    const { client } = await connect(server);
    assert.deepEqual(client.serverCapabilities, { logging: {}, tools: { listChanged: true } });
    await client.close();
    await server.close();
  });
});
