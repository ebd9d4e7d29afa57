/**
 * `subscriptions/listen` (2026-07-28), which replaces the GET stream and
 * resources/subscribe: the acknowledgement comes first, then only the notifications the
 * filter asked for, each tagged with the subscription id; keep-alive comments on HTTP;
 * closing the stream ends the subscription; shutdown answers it. Over a real socket
 * (the server in process, so its listener count can be checked) and over stdio.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { serveHttp, type McpServer, type RunningHttpServer } from "../../runtime/src/index.js";
import { createModernServer } from "../fixtures/runtime/modern.js";
import { RawServer } from "./helpers.js";
import { ACCEPT_BOTH, SseReader } from "./http-helpers.js";

const V = "2026-07-28";
const META = {
  "io.modelcontextprotocol/protocolVersion": V,
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "listen-test", version: "1" },
};
const TAG = "io.modelcontextprotocol/subscriptionId";

function postTo(url: string, id: string | number, method: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: ACCEPT_BOTH, "mcp-protocol-version": V, "mcp-method": method };
  if (method === "tools/call") headers["mcp-name"] = params.name as string;
  return fetch(url, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id, method, params: { ...params, _meta: META } }), signal });
}

describe("subscriptions/listen over HTTP", () => {
  let server: McpServer;
  let running: RunningHttpServer;
  before(async () => {
    server = createModernServer();
    running = await serveHttp(server, { port: 0, keepAliveMs: 50 });
  });
  after(async () => {
    await running?.close();
    await server?.close();
  });

  const listen = async (id: string, notifications: Record<string, unknown>) => {
    const controller = new AbortController();
    const response = await postTo(running.url, id, "subscriptions/listen", { notifications }, controller.signal);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    assert.equal(response.headers.get("x-accel-buffering"), "no");
    return { sse: new SseReader(response), controller };
  };
  const trigger = async (tool: string) => {
    const r = await postTo(running.url, `t-${Math.random()}`, "tools/call", { name: tool, arguments: {} });
    await r.text();
  };

  test("the acknowledgement first; then only what the filter asked for, tagged with the listen id", async () => {
    const tools = await listen("sub-tools", { toolsListChanged: true, resourceSubscriptions: ["res://watched", "res://pinned"] });
    const prompts = await listen("sub-prompts", { promptsListChanged: true });
    const ack = await tools.sse.message(() => true, "the first message");
    assert.deepEqual(ack, {
      jsonrpc: "2.0",
      method: "notifications/subscriptions/acknowledged",
      params: { notifications: { toolsListChanged: true, resourceSubscriptions: ["res://watched"] }, _meta: { [TAG]: "sub-tools" } },
    });
    await prompts.sse.message((m) => m.method === "notifications/subscriptions/acknowledged");
    assert.equal(server.listeners.size, 2);

    await trigger("toggle");
    const changed = await tools.sse.message((m) => m.method === "notifications/tools/list_changed", "tools/list_changed");
    assert.deepEqual(changed.params, { _meta: { [TAG]: "sub-tools" } });
    await trigger("touch");
    const updated = await tools.sse.message((m) => m.method === "notifications/resources/updated", "resources/updated");
    assert.deepEqual(updated.params, { uri: "res://watched", _meta: { [TAG]: "sub-tools" } });
    // Keep-alive comments flow between notifications (eventsource-parser drops comments; read raw on a third stream).
    const raw = await postTo(running.url, "sub-raw", "subscriptions/listen", { notifications: {} });
    const reader = raw.body!.getReader();
    let text = "";
    while (!/: keep-alive/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();

    // Closing a stream ends its subscription.
    await tools.sse.cancel();
    await prompts.sse.cancel();
    while (server.listeners.size > 0) await new Promise((r) => setImmediate(r));
    await trigger("toggle");
    assert.ok(prompts.sse.messages().every((m) => m.method !== "notifications/tools/list_changed"), "a prompts-only stream never saw the tools change");
  });

  test("shutdown answers open listens with their result, then ends the streams", async () => {
    const { sse } = await listen("sub-final", { toolsListChanged: true });
    await sse.message((m) => m.method === "notifications/subscriptions/acknowledged");
    const closing = running.close();
    const result = await sse.reply("sub-final");
    assert.deepEqual(result.result?._meta?.[TAG], "sub-final");
    assert.equal(result.result?.resultType, "complete");
    assert.equal(await sse.ended, "end");
    await closing;
  });
});

describe("subscriptions/listen over stdio", () => {
  let server: RawServer;
  before(() => {
    server = new RawServer("modern.ts");
  });
  after(() => server?.close());

  test("tagged notifications on the shared channel; notifications/cancelled ends it; EOF still exits", async () => {
    const from = server.inbox.items.length;
    server.send({ jsonrpc: "2.0", id: "L1", method: "subscriptions/listen", params: { notifications: { toolsListChanged: true }, _meta: META } });
    const ack = await server.message("notifications/subscriptions/acknowledged", (m) => m.params._meta[TAG] === "L1", from);
    assert.deepEqual(ack.params.notifications, { toolsListChanged: true });
    await server.call("tools/call", { name: "toggle", arguments: {}, _meta: META });
    const changed = await server.message("notifications/tools/list_changed", () => true, from);
    assert.deepEqual(changed.params, { _meta: { [TAG]: "L1" } });
    server.notify("notifications/cancelled", { requestId: "L1" });
    // A second listen, left open: closing stdin must still let the process exit.
    server.send({ jsonrpc: "2.0", id: "L2", method: "subscriptions/listen", params: { notifications: { toolsListChanged: true }, _meta: META } });
    await server.message("notifications/subscriptions/acknowledged", (m) => m.params._meta[TAG] === "L2", from);
    const exit = await server.close();
    assert.equal(exit.code, 0);
    const l2 = server.inbox.items.find((m: any) => m.id === "L2");
    assert.equal(l2?.result?._meta?.[TAG], "L2", "the open listen was answered at shutdown");
    assert.equal(server.inbox.items.some((m: any) => m.id === "L1"), false, "a cancelled listen gets no answer");
  });
});
