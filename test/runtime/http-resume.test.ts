/**
 * Resumability of Streamable HTTP (2025-11-25): a client that loses a POST's SSE
 * stream, or the GET stream, reconnects with GET + Last-Event-ID and gets every event
 * it missed, then the rest live, each exactly once and in order. Server-initiated
 * closes (ctx.closeSseStream(), the SSE polling pattern), replay races with an async
 * event store, the refusals (another session's id → 400, events no longer stored →
 * 404), and the official SDK client's own reconnection. Steps happen when the test
 * opens a gate, never after a fixed time.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { MemoryEventStore, createHttpHandler, serveHttp, type EventStore, type HttpHandlerOptions, type McpHttpHandler, type RunningHttpServer, type StoredMessage } from "../../runtime/src/index.js";
import { Inbox, type Wire } from "./helpers.js";
import {
  Gates,
  LATEST,
  SseReader,
  callTool,
  connectSdkHttp,
  deferred,
  errorOf,
  get,
  initBody,
  isMessageEvent,
  makeTestServer,
  openSession,
  post,
  request,
  type SseEvent,
} from "./http-helpers.js";

const URL_ = "http://localhost/mcp";

/** Event ids are `<session>.<stream>.<seq>`: compare by stream, then numerically by seq. */
function seqOf(id: string): number {
  return Number(id.slice(id.lastIndexOf(".") + 1));
}
function streamOf(id: string): string {
  return id.slice(0, id.lastIndexOf("."));
}

/** Every event id across reconnections: one stream, strictly increasing, no repeats. */
function assertOneOrderedStream(events: SseEvent[]): void {
  const ids = events.map((e) => e.id);
  assert.ok(ids.every((id) => id !== undefined), "every event has an id");
  const streams = new Set(ids.map((id) => streamOf(id!)));
  assert.equal(streams.size, 1, `one stream: ${[...streams].join(", ")}`);
  const seqs = ids.map((id) => seqOf(id!));
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, `ids strictly increase: ${ids.join(" ")}`);
}

/** What a message is, for comparing sequences: `progress 3`, `log 3`, `reply`. */
function describeMessage(m: Wire): string {
  if (m.method === "notifications/progress") return `progress ${m.params.progress}`;
  if (m.method === "notifications/message") return `log ${m.params.data.step ?? m.params.data}`;
  if (m.method === "notifications/resources/updated") return `updated ${m.params.uri}`;
  if (m.method) return m.method;
  return m.error ? `error ${m.id}` : `reply ${m.id}`;
}
const messagesOf = (events: SseEvent[]) => events.filter(isMessageEvent).map((e) => describeMessage(JSON.parse(e.data)));
const lastIdOf = (events: SseEvent[]) => events.filter((e) => e.id !== undefined).at(-1)!.id!;

function setup(options: HttpHandlerOptions = {}) {
  const gates = new Gates();
  const h = createHttpHandler(makeTestServer(gates), options);
  return { h, gates, fetch: h.fetch };
}

describe("resuming a POST's SSE stream (in-process)", { timeout: 30_000 }, () => {
  test("cut twice mid-call: GET + Last-Event-ID delivers every missed event and the reply exactly once, in order", async () => {
    const { h, gates, fetch } = setup();
    const { sessionId } = await openSession(fetch, URL_);
    const v = { sessionId, version: LATEST };
    const first = new SseReader(await fetch(post(URL_, callTool(1, "steps", { n: 6, key: "r" }, { progressToken: "tok" }), v)));
    const priming = await first.events.waitFor(() => true);
    assert.equal(priming.data, "");
    assert.ok(priming.id!.startsWith(`${sessionId}.`));
    gates.open("r.1");
    await first.message((m) => m.method === "notifications/message" && m.params.data.step === 1);
    gates.open("r.2");
    await first.message((m) => m.method === "notifications/message" && m.params.data.step === 2);
    await first.cancel(); // the connection drops

    // Steps 3 and 4 happen while nobody listens (the handler then waits at gate 5).
    gates.open("r.3");
    gates.open("r.4");
    await gates.until("r.5");
    assert.equal(h.sessionCount, 1);

    const secondResponse = await fetch(get(URL_, { ...v, lastEventId: lastIdOf(first.events.items) }));
    assert.equal(secondResponse.status, 200);
    assert.equal(secondResponse.headers.get("content-type"), "text/event-stream");
    const second = new SseReader(secondResponse);
    await second.message((m) => m.method === "notifications/message" && m.params.data.step === 4);
    gates.open("r.5"); // live on the resumed stream
    await second.message((m) => m.method === "notifications/message" && m.params.data.step === 5);
    await second.cancel(); // drops again

    // The last step and the reply may be produced before or after the client is back.
    gates.open("r.6");
    const third = new SseReader(await fetch(get(URL_, { ...v, lastEventId: lastIdOf(second.events.items) })));
    assert.equal(await third.ended, "end", "the stream ends after the reply");

    const all = [...first.events.items, ...second.events.items, ...third.events.items];
    assertOneOrderedStream(all);
    assert.deepEqual(messagesOf(all), [
      "progress 1", "log 1", "progress 2", "log 2", "progress 3", "log 3",
      "progress 4", "log 4", "progress 5", "log 5", "progress 6", "log 6", "reply 1",
    ]);
    assert.equal(JSON.parse(third.events.items.at(-1)!.data).result.content[0].text, "did 6 steps");

    // Answered: the session holds nothing for that call any more; a late resume replays and ends.
    const live = (h as any).live.get(sessionId);
    assert.equal(live.transport.pendingCount, 0);
    const late = new SseReader(await fetch(get(URL_, { ...v, lastEventId: lastIdOf(first.events.items) })));
    assert.equal(await late.ended, "end");
    assert.deepEqual(messagesOf(late.events.items), messagesOf(all).slice(4));
    await h.close();
  });

  test("a resumed stream replaces the old connection; resuming twice from the same id gives the same events", async () => {
    const { h, gates, fetch } = setup();
    const { sessionId } = await openSession(fetch, URL_);
    const v = { sessionId, version: LATEST };
    const first = new SseReader(await fetch(post(URL_, callTool(1, "steps", { n: 2, key: "d" }, { progressToken: 1 }), v)));
    const primingId = (await first.events.waitFor(() => true)).id!;
    gates.open("d.1");
    await first.message((m) => m.method === "notifications/message");
    // The client resumes without having noticed the old connection die: the old one is closed.
    const second = new SseReader(await fetch(get(URL_, { ...v, lastEventId: primingId })));
    assert.equal(await first.ended, "end");
    await second.message((m) => m.method === "notifications/message" && m.params.data.step === 1);
    gates.open("d.2");
    await second.ended;
    assert.deepEqual(messagesOf(second.events.items), ["progress 1", "log 1", "progress 2", "log 2", "reply 1"]);
    const again = new SseReader(await fetch(get(URL_, { ...v, lastEventId: primingId })));
    await again.ended;
    assert.deepEqual(again.events.items, second.events.items);
    await h.close();
  });

  test("an async event store: events sent while the replay is under way are neither lost nor doubled", async () => {
    /** Appends a microtask late; pauses its replay after the first event until told to go on. */
    class SlowStore implements EventStore {
      readonly inner = new MemoryEventStore();
      pauseReplay?: { reached: () => void; go: Promise<void> };
      async append(streamId: string, message: StoredMessage | null): Promise<string> {
        await Promise.resolve();
        return this.inner.append(streamId, message);
      }
      async replayAfter(lastEventId: string, send: (id: string, m: StoredMessage) => void): Promise<string | undefined> {
        await Promise.resolve();
        const events: [string, StoredMessage][] = [];
        const stream = this.inner.replayAfter(lastEventId, (id, m) => events.push([id, m]));
        for (const [i, [id, m]] of events.entries()) {
          send(id, m);
          if (i === 0 && this.pauseReplay) {
            this.pauseReplay.reached();
            await this.pauseReplay.go;
          }
        }
        return stream;
      }
      dropSession(sessionId: string): void {
        this.inner.dropSession(sessionId);
      }
    }
    const store = new SlowStore();
    const { h, gates, fetch } = setup({ eventStore: store });
    const { sessionId } = await openSession(fetch, URL_);
    const v = { sessionId, version: LATEST };
    const first = new SseReader(await fetch(post(URL_, callTool(1, "steps", { n: 5, key: "a" }, { progressToken: 1 }), v)));
    await first.events.waitFor(() => true);
    gates.open("a.1");
    await first.message((m) => m.method === "notifications/message");
    await first.cancel();
    gates.open("a.2");
    gates.open("a.3");
    await gates.until("a.4");

    const reached = deferred();
    const go = deferred();
    store.pauseReplay = { reached: reached.resolve, go: go.promise };
    const resumed = fetch(get(URL_, { ...v, lastEventId: lastIdOf(first.events.items) }));
    await reached.promise; // the replay has sent one event and waits
    gates.open("a.4"); // a live event while the replay is paused
    await gates.until("a.5");
    go.resolve();
    const second = new SseReader(await resumed);
    await second.message((m) => m.method === "notifications/message" && m.params.data.step === 4);
    gates.open("a.5");
    await second.ended;
    const all = [...first.events.items, ...second.events.items];
    assertOneOrderedStream(all);
    assert.deepEqual(messagesOf(all), ["progress 1", "log 1", "progress 2", "log 2", "progress 3", "log 3", "progress 4", "log 4", "progress 5", "log 5", "reply 1"]);
    await h.close();
  });

  test("2025-06-18 clients get no priming event, but their streams still resume from a message's id", async () => {
    const { h, gates, fetch } = setup();
    const { sessionId } = await openSession(fetch, URL_, "2025-06-18");
    const v = { sessionId, version: "2025-06-18" };
    const first = new SseReader(await fetch(post(URL_, callTool(1, "steps", { n: 2, key: "o" }, { progressToken: 1 }), v)));
    gates.open("o.1");
    await first.message((m) => m.method === "notifications/message");
    assert.ok(first.events.items.every((e) => e.data !== ""), "no empty priming event");
    assert.deepEqual(first.retries, []);
    await first.cancel();
    gates.open("o.2");
    const second = new SseReader(await fetch(get(URL_, { ...v, lastEventId: lastIdOf(first.events.items) })));
    await second.ended;
    assertOneOrderedStream([...first.events.items, ...second.events.items]);
    assert.deepEqual(messagesOf([...first.events.items, ...second.events.items]), ["progress 1", "log 1", "progress 2", "log 2", "reply 1"]);
    // The GET stream has no priming event either.
    const stream = new SseReader(await fetch(get(URL_, v)));
    await fetch(post(URL_, request(2, "resources/subscribe", { uri: "mem://greeting" }), v)).then((r) => r.arrayBuffer());
    await fetch(post(URL_, callTool(3, "notify", { uri: "mem://greeting" }), v)).then((r) => r.arrayBuffer());
    const first2 = await stream.events.waitFor(() => true);
    assert.notEqual(first2.data, "");
    await stream.cancel();
    await h.close();
  });
});

describe("server-initiated close: ctx.closeSseStream() (SSE polling)", { timeout: 30_000 }, () => {
  test("the priming event carries retry; the stream ends mid-call; the client resumes and gets the rest", async () => {
    const { h, gates, fetch } = setup({ retryMs: 250 });
    const { sessionId } = await openSession(fetch, URL_);
    const v = { sessionId, version: LATEST };
    const first = new SseReader(await fetch(post(URL_, callTool(1, "poll", { key: "p" }, { progressToken: 1 }), v)));
    assert.equal(await first.ended, "end", "the server closed the stream before the reply");
    assert.deepEqual(first.retries, [250], "the client is told how long to wait");
    assert.deepEqual(messagesOf(first.events.items), ["progress 1"]);
    await gates.until("p"); // the call goes on without a connection
    gates.open("p");
    const second = new SseReader(await fetch(get(URL_, { ...v, lastEventId: lastIdOf(first.events.items) })));
    await second.ended;
    assertOneOrderedStream([...first.events.items, ...second.events.items]);
    assert.deepEqual(messagesOf(second.events.items), ["progress 2", "reply 1"]);
    assert.equal(JSON.parse(second.events.items.at(-1)!.data).result.content[0].text, "polled");
    await h.close();
  });

  test("without an event store the stream is kept (nothing could be resumed); in JSON mode it does nothing", async () => {
    for (const options of [{ eventStore: false as const }, { json: true }]) {
      const { h, gates, fetch } = setup(options);
      const { sessionId } = await openSession(fetch, URL_);
      const pending = fetch(post(URL_, callTool(1, "poll", { key: "k" }, { progressToken: 1 }), { sessionId, version: LATEST }));
      await gates.until("k");
      gates.open("k");
      const response = await pending;
      if (options.json) {
        assert.equal(((await response.json()) as Wire).result.content[0].text, "polled");
      } else {
        const sse = new SseReader(response);
        await sse.ended;
        assert.deepEqual(messagesOf(sse.events.items), ["progress 1", "progress 2", "reply 1"]);
        assert.ok(sse.events.items.every((e) => e.id === undefined), "no store, no event ids");
      }
      await h.close();
    }
  });
});

describe("resuming the GET stream", { timeout: 30_000 }, () => {
  test("notifications sent while it was down are replayed, then it carries on live; a second plain GET is a 409", async () => {
    const { h, fetch } = setup();
    const { sessionId } = await openSession(fetch, URL_);
    const v = { sessionId, version: LATEST };
    const drain = (r: Response) => r.arrayBuffer();
    await fetch(post(URL_, request(1, "resources/subscribe", { uri: "mem://greeting" }), v)).then(drain);
    const first = new SseReader(await fetch(get(URL_, v)));
    assert.equal((await first.events.waitFor(() => true)).data, "", "priming");
    await fetch(post(URL_, callTool(2, "notify", { uri: "mem://greeting" }), v)).then(drain);
    await first.message((m) => m.method === "notifications/resources/updated");
    await first.cancel();
    // While it is down: each call returns after its notification was stored.
    for (let i = 0; i < 3; i++) await fetch(post(URL_, callTool(10 + i, "notify", { uri: "mem://greeting" }), v)).then(drain);
    // A list change made outside any request goes there too.
    await fetch(post(URL_, callTool(20, "toggle", { enabled: true }), v)).then(drain);

    const second = new SseReader(await fetch(get(URL_, { ...v, lastEventId: lastIdOf(first.events.items) })));
    await second.message((m) => m.method === "notifications/tools/list_changed");
    assert.deepEqual(messagesOf(second.events.items), [
      "updated mem://greeting", "updated mem://greeting", "updated mem://greeting", "notifications/tools/list_changed",
    ]);
    // It is the session's GET stream now: live events arrive, and another plain GET is refused.
    assert.equal((await fetch(get(URL_, v))).status, 409);
    await fetch(post(URL_, callTool(30, "notify", { uri: "mem://greeting" }), v)).then(drain);
    await second.events.waitFor((e) => isMessageEvent(e) && e.id !== undefined && seqOf(e.id) > seqOf(lastIdOf(second.events.items.slice(0, 4))), "the live event");
    const all = [...first.events.items, ...second.events.items];
    assertOneOrderedStream(all);
    assert.equal(messagesOf(all).length, 6);
    assert.equal((h as any).live.get(sessionId).transport.busy, true);
    await second.cancel();
    await h.close();
  });

  test("Last-Event-ID of another session → 400; of this session but no longer stored → 404", async () => {
    const { h, gates, fetch } = setup({ eventStore: new MemoryEventStore({ maxEventsPerStream: 3 }) });
    const a = await openSession(fetch, URL_);
    const b = await openSession(fetch, URL_);
    const va = { sessionId: a.sessionId, version: LATEST };
    const stream = new SseReader(await fetch(get(URL_, va)));
    const primingA = (await stream.events.waitFor(() => true)).id!;
    await stream.cancel();

    for (const foreign of [primingA, "nonsense", `${a.sessionId}x.0.1`, ""]) {
      const r = await fetch(get(URL_, { sessionId: b.sessionId, version: LATEST, lastEventId: foreign }));
      if (foreign === "") {
        // An empty Last-Event-ID is no Last-Event-ID: a fresh GET stream.
        assert.equal(r.status, 200);
        await new SseReader(r).cancel();
        continue;
      }
      assert.equal(r.status, 400, `B resuming '${foreign}'`);
      assert.match((await errorOf(r)).message, /does not name an event of this session/);
    }
    for (const unknown of [`${a.sessionId}.99.1`, `${a.sessionId}.0.999`, `${a.sessionId}.0.x`]) {
      const r = await fetch(get(URL_, { ...va, lastEventId: unknown }));
      assert.equal(r.status, 404, unknown);
      assert.equal((await errorOf(r)).code, -32000);
    }

    // Expired: the stream kept its last 3 events, so resuming from the priming event
    // would silently skip some. The server must say so (404), not pretend.
    const cut = new SseReader(await fetch(post(URL_, callTool(1, "steps", { n: 3, key: "x" }, { progressToken: 1 }), va)));
    const priming = (await cut.events.waitFor(() => true)).id!;
    await cut.cancel();
    gates.open("x.1");
    gates.open("x.2");
    await gates.until("x.3");
    const expired = await fetch(get(URL_, { ...va, lastEventId: priming }));
    assert.equal(expired.status, 404, "events after this id were dropped");
    assert.match((await errorOf(expired)).message, /no longer stored/);
    // From a recent enough id (seq 2: the first progress, kept ids 3..5) the rest is all there.
    const recent = new SseReader(await fetch(get(URL_, { ...va, lastEventId: `${streamOf(priming)}.2` })));
    await recent.message((m) => m.method === "notifications/message" && m.params.data.step === 2);
    gates.open("x.3");
    await recent.ended;
    assert.deepEqual(messagesOf(recent.events.items), ["log 1", "progress 2", "log 2", "progress 3", "log 3", "reply 1"]);
    assertOneOrderedStream(recent.events.items);
    await h.close();
  });

  test("Last-Event-ID when resumption is off (eventStore: false) → 400", async () => {
    const { h, fetch } = setup({ eventStore: false });
    const { sessionId } = await openSession(fetch, URL_);
    const r = await fetch(get(URL_, { sessionId, version: LATEST, lastEventId: `${sessionId}.0.1` }));
    assert.equal(r.status, 400);
    await h.close();
  });
});

describe("the official SDK client's own stream handling", { timeout: 30_000 }, () => {
  let running: RunningHttpServer;
  let handler: McpHttpHandler;
  const gates = new Gates();
  const sdkReconnection = { initialReconnectionDelay: 20, maxReconnectionDelay: 200, reconnectionDelayGrowFactor: 1.5, maxRetries: 5 };
  before(async () => {
    handler = createHttpHandler(makeTestServer(gates), { retryMs: 20 });
    running = await serveHttp(handler, { port: 0 });
  });
  after(() => running.close());

  test("the SDK transport takes our priming event as a resumption token, not a message", async () => {
    const transport = new StreamableHTTPClientTransport(new URL(running.url));
    const messages = new Inbox<JSONRPCMessage>();
    const errors: Error[] = [];
    transport.onmessage = (m) => messages.push(m);
    transport.onerror = (e) => errors.push(e);
    await transport.start();
    const tokens: string[] = [];
    await transport.send(initBody(1) as JSONRPCMessage, { onresumptiontoken: (t) => tokens.push(t) });
    const reply = await messages.waitFor(() => true);
    assert.equal((reply as any).id, 1);
    assert.equal(tokens.length, 2, "the priming event's id, then the reply's");
    assert.ok(seqOf(tokens[1]!) > seqOf(tokens[0]!));
    assert.equal(messages.items.length, 1, "the empty priming event is not a message");
    assert.deepEqual(errors, []);
    await transport.terminateSession();
    await transport.close();
  });

  test("StreamableHTTPClientTransport reconnects after ctx.closeSseStream() and still gets the result", async () => {
    const conn = await connectSdkHttp(running.url, { reconnectionOptions: sdkReconnection });
    const progress: number[] = [];
    const call = conn.client.callTool({ name: "poll", arguments: { key: "sdk" } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    // The SDK notices the closed stream and comes back with GET + Last-Event-ID (after `retry`).
    const resume = await conn.http.waitFor((r) => r.method === "GET" && r.requestHeaders.get("last-event-id") !== null, "the SDK's resume");
    assert.equal(resume.status, 200);
    const posted = conn.http.items.find((r) => r.method === "POST" && r.body?.includes('"poll"'))!;
    assert.equal(posted.headers.get("content-type"), "text/event-stream");
    const sid = (conn.transport as StreamableHTTPClientTransport).sessionId!;
    assert.notEqual(streamOf(resume.requestHeaders.get("last-event-id")!), `${sid}.0`, "it resumes the POST's stream, not the GET stream");
    gates.open("sdk");
    const result = await call;
    assert.equal((result.content as { text: string }[])[0]!.text, "polled");
    assert.deepEqual(progress, [1, 2]);
    assert.deepEqual(conn.errors.items.map((e) => e.message), []);
    await conn.close();
  });

  test("the SDK client resumes its GET stream after the server drops it, and misses nothing", async () => {
    const conn = await connectSdkHttp(running.url, { reconnectionOptions: sdkReconnection });
    await conn.http.waitFor((r) => r.method === "GET" && r.status === 200, "the GET stream");
    await conn.client.subscribeResource({ uri: "mem://greeting" });
    await conn.client.callTool({ name: "notify", arguments: { uri: "mem://greeting" } });
    await conn.notifications.waitFor((n) => n.method === "notifications/resources/updated", "the first update");
    // The server's end of the GET stream goes away (as behind a proxy that times out), then it notifies.
    const sid = (conn.transport as StreamableHTTPClientTransport).sessionId!;
    (handler as any).live.get(sid).transport.standalone.close();
    await conn.client.callTool({ name: "notify", arguments: { uri: "mem://greeting" } });
    const resume = await conn.http.waitFor((r) => r.method === "GET" && r.requestHeaders.get("last-event-id") !== null, "the SDK's resume of its GET stream");
    assert.equal(resume.status, 200);
    assert.equal(streamOf(resume.requestHeaders.get("last-event-id")!), `${sid}.0`);
    const updates = () => conn.notifications.filter((n) => n.method === "notifications/resources/updated").length;
    if (updates() < 2) await conn.notifications.waitFor(() => updates() >= 2, "the second update");
    // Nothing doubled: one more live notification makes exactly three.
    await conn.client.callTool({ name: "notify", arguments: { uri: "mem://greeting" } });
    await conn.notifications.waitFor(() => updates() >= 3, "the third update");
    await conn.client.ping();
    assert.equal(updates(), 3);
    await conn.close();
  });
});
