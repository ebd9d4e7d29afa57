/**
 * The JSON-RPC engine (Peer) in memory: replies matched by id (out of order),
 * errors, timeouts (with mocked timers), progress restarting the timeout,
 * cancellation aborting the handler's signal, batches, close and drain.
 */
import { afterEach, describe, mock, test } from "node:test";
import assert from "node:assert/strict";
import {
  ErrorCode,
  McpError,
  Peer,
  createMemoryTransportPair,
  type IncomingRequest,
  type PeerOptions,
  type Progress,
  type Transport,
} from "../../runtime/src/index.js";
import { Inbox } from "./helpers.js";

/** Lets queued microtasks and the memory transport's deliveries run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function pair(serverOptions: PeerOptions = {}, clientOptions: PeerOptions = {}) {
  const [a, b] = createMemoryTransportPair();
  const server = new Peer(serverOptions);
  const client = new Peer(clientOptions);
  await server.connect(a);
  await client.connect(b);
  return { server, client };
}

function deferred<T = unknown>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Tracks whether a promise has settled, without letting a rejection go unhandled. */
function track<T>(p: Promise<T>) {
  const state = { settled: false, value: undefined as T | undefined, error: undefined as any };
  p.then(
    (v) => ((state.settled = true), (state.value = v)),
    (e) => ((state.settled = true), (state.error = e)),
  );
  return state;
}

/** A raw end: what one side sees on the wire when the other is a Peer. */
async function rawAgainst(peer: Peer): Promise<{ send: (m: unknown) => void; inbox: Inbox<any> }> {
  const [a, b] = createMemoryTransportPair();
  await peer.connect(a);
  const inbox = new Inbox<any>();
  await (b as Transport).start({ message: (m) => inbox.push(m), parseError: () => {}, closed: () => {} });
  return { send: (m) => b.send(m as any), inbox };
}

describe("Peer: requests and replies", () => {
  test("replies are matched by id, whatever order they come in", async () => {
    const { server, client } = await pair();
    const slow = deferred<Record<string, unknown>>();
    server.requestHandlers.set("slow", () => slow.promise);
    server.requestHandlers.set("fast", (p) => ({ echo: p.n }));
    const order: string[] = [];
    const a = client.request("slow").then((r) => (order.push("slow"), r));
    const b = client.request("fast", { n: 1 }).then((r) => (order.push("fast"), r));
    const c = client.request("fast", { n: 2 }).then((r) => (order.push("fast2"), r));
    assert.deepEqual(await b, { echo: 1 });
    assert.deepEqual(await c, { echo: 2 });
    slow.resolve({ done: true });
    assert.deepEqual(await a, { done: true });
    assert.deepEqual(order, ["fast", "fast2", "slow"]);
  });

  test("an McpError reaches the peer as is; anything else is a generic -32603", async () => {
    const errors: Error[] = [];
    const { server, client } = await pair({ onerror: (e) => errors.push(e) });
    server.requestHandlers.set("mcp", () => {
      throw new McpError(ErrorCode.InvalidParams, "bad thing", { field: "x" });
    });
    server.requestHandlers.set("sync-crash", () => {
      throw new Error("secret internals");
    });
    server.requestHandlers.set("async-crash", async () => {
      throw new TypeError("more secrets");
    });
    await assert.rejects(client.request("mcp"), (e: any) => e instanceof McpError && e.code === -32602 && e.message === "bad thing" && (e.data as { field: string }).field === "x");
    for (const method of ["sync-crash", "async-crash"]) {
      await assert.rejects(client.request(method), (e: any) => e.code === -32603 && e.message === "Internal error");
    }
    assert.deepEqual(errors.map((e) => e.message), ["secret internals", "more secrets"], "the details go to onerror only");
    await assert.rejects(client.request("nope"), (e: any) => e.code === ErrorCode.MethodNotFound);
  });

  test("exposeError decides which other errors may show their message", async () => {
    const { server, client } = await pair({
      exposeError: (e) => (e instanceof RangeError ? { code: -32099, message: e.message } : undefined),
    });
    server.requestHandlers.set("range", () => {
      throw new RangeError("out of range");
    });
    await assert.rejects(client.request("range"), (e: any) => e.code === -32099 && e.message === "out of range");
  });

  test("a handler that returns nothing answers {}", async () => {
    const { server, client } = await pair();
    server.requestHandlers.set("void", () => undefined);
    server.requestHandlers.set("async-void", async () => {});
    assert.deepEqual(await client.request("void"), {});
    assert.deepEqual(await client.request("async-void"), {});
  });

  test("a duplicate id while the first is in flight is -32600; the first still answers", async () => {
    const peer = new Peer();
    const hold = deferred<Record<string, unknown>>();
    peer.requestHandlers.set("hold", () => hold.promise);
    const { send, inbox } = await rawAgainst(peer);
    send({ jsonrpc: "2.0", id: 7, method: "hold" });
    send({ jsonrpc: "2.0", id: 7, method: "hold" });
    const dup = await inbox.waitFor((m) => m.id === 7 && m.error, "the duplicate's error");
    assert.equal(dup.error.code, -32600);
    hold.resolve({ ok: true });
    const done = await inbox.waitFor((m) => m.id === 7 && m.result, "the first reply");
    assert.deepEqual(done.result, { ok: true });
  });

  test("notification handlers that throw are reported, not fatal", async () => {
    const errors: Error[] = [];
    const { server, client } = await pair({ onerror: (e) => errors.push(e) });
    server.notificationHandlers.set("notifications/boom", () => {
      throw new Error("handler bug");
    });
    const seen: string[] = [];
    server.fallbackNotificationHandler = (method) => seen.push(method);
    server.requestHandlers.set("ping", () => ({}));
    await client.notify("notifications/boom");
    await client.notify("notifications/other", { x: 1 });
    assert.deepEqual(await client.request("ping"), {});
    assert.deepEqual(errors.map((e) => e.message), ["handler bug"]);
    assert.deepEqual(seen, ["notifications/other"]);
  });
});

describe("Peer: timeouts and progress (mocked timers)", () => {
  afterEach(() => mock.timers.reset());

  test("a request times out with -32001 and the peer is told to cancel", async () => {
    mock.timers.enable({ apis: ["setTimeout", "Date"] });
    const { server, client } = await pair();
    const started = deferred<IncomingRequest>();
    server.requestHandlers.set("never", (_p, req) => {
      started.resolve(req);
      return new Promise(() => {});
    });
    const result = track(client.request("never", {}, { timeoutMs: 1000 }));
    const req = await started.promise;
    mock.timers.tick(999);
    await settle();
    assert.equal(result.settled, false);
    mock.timers.tick(1);
    await settle();
    assert.equal(result.error?.code, ErrorCode.RequestTimeout);
    assert.match(result.error.message, /timed out after 1000 ms: never/);
    assert.equal(req.signal.aborted, true, "notifications/cancelled aborted the handler");
    assert.match(String(req.signal.reason?.message), /timed out/);
    assert.equal(server.inflightCount, 1, "the handler itself decides when to stop");
  });

  test("progress restarts the timeout; maxTotalTimeoutMs still caps it", async () => {
    mock.timers.enable({ apis: ["setTimeout", "Date"] });
    const { server, client } = await pair();
    let token: unknown;
    server.requestHandlers.set("long", (p) => {
      token = (p._meta as { progressToken: unknown }).progressToken;
      return new Promise(() => {});
    });
    const seen: Progress[] = [];
    const result = track(client.request("long", {}, { timeoutMs: 1000, maxTotalTimeoutMs: 2500, onprogress: (p) => seen.push(p) }));
    await settle();
    assert.notEqual(token, undefined, "a progress token was sent");
    for (let i = 1; i <= 2; i++) {
      mock.timers.tick(900);
      await server.notify("notifications/progress", { progressToken: token, progress: i, total: 10, message: `step ${i}` });
      await settle();
    }
    mock.timers.tick(900); // 2700 ms in total, 900 since the last progress: the cap has passed
    await settle();
    assert.deepEqual(seen, [
      { progress: 1, total: 10, message: "step 1" },
      { progress: 2, total: 10, message: "step 2" },
    ]);
    assert.equal(result.error?.code, ErrorCode.RequestTimeout);
    assert.match(result.error.message, /after 2500 ms/);
  });

  test("progress keeps a request alive past its timeout", async () => {
    mock.timers.enable({ apis: ["setTimeout", "Date"] });
    const { server, client } = await pair();
    const hold = deferred<Record<string, unknown>>();
    let token: unknown;
    server.requestHandlers.set("long", (p) => {
      token = (p._meta as { progressToken: unknown }).progressToken;
      return hold.promise;
    });
    const result = track(client.request("long", {}, { timeoutMs: 1000, onprogress: () => {} }));
    await settle();
    for (let i = 0; i < 5; i++) {
      mock.timers.tick(800);
      await server.notify("notifications/progress", { progressToken: token, progress: i });
      await settle();
    }
    assert.equal(result.settled, false, "4000 ms in, still waiting");
    hold.resolve({ finished: true });
    await settle();
    assert.deepEqual(result.value, { finished: true });
  });

  test("resetTimeoutOnProgress: false keeps the original deadline", async () => {
    mock.timers.enable({ apis: ["setTimeout", "Date"] });
    const { server, client } = await pair();
    let token: unknown;
    server.requestHandlers.set("long", (p) => {
      token = (p._meta as { progressToken: unknown }).progressToken;
      return new Promise(() => {});
    });
    const result = track(client.request("long", {}, { timeoutMs: 1000, onprogress: () => {}, resetTimeoutOnProgress: false }));
    await settle();
    mock.timers.tick(900);
    await server.notify("notifications/progress", { progressToken: token, progress: 1 });
    await settle();
    mock.timers.tick(100);
    await settle();
    assert.equal(result.error?.code, ErrorCode.RequestTimeout);
  });

  test("maxTotalTimeoutMs applies even without a per-request timeout", async () => {
    mock.timers.enable({ apis: ["setTimeout", "Date"] });
    const { server, client } = await pair();
    server.requestHandlers.set("never", () => new Promise(() => {}));
    const result = track(client.request("never", {}, { timeoutMs: Infinity, maxTotalTimeoutMs: 500 }));
    await settle();
    mock.timers.tick(500);
    await settle();
    assert.equal(result.error?.code, ErrorCode.RequestTimeout);
  });

  test("a timeout beyond setTimeout's range does not fire early", async () => {
    mock.timers.enable({ apis: ["setTimeout", "Date"] });
    // The mock honours any delay; real timers fire after 1 ms beyond 2^31-1, so check what is asked for.
    const delays: number[] = [];
    const mocked = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void, ms?: number) => (delays.push(ms ?? 0), mocked(fn, ms))) as typeof setTimeout;
    const { server, client } = await pair();
    const hold = deferred<Record<string, unknown>>();
    server.requestHandlers.set("long", () => hold.promise);
    const thirtyDays = 30 * 24 * 3600 * 1000;
    const result = track(client.request("long", {}, { timeoutMs: thirtyDays }));
    globalThis.setTimeout = mocked;
    assert.ok(delays.length > 0 && delays.every((d) => d <= 2 ** 31 - 1), `delays asked for: ${delays}`);
    await settle();
    mock.timers.tick(2 ** 31);
    await settle();
    assert.equal(result.settled, false, "still waiting after 24.8 days");
    mock.timers.tick(thirtyDays - 2 ** 31 + 1); // (+1: the mock runs the first step at the end of the tick above)
    await settle();
    assert.equal(result.error?.code, ErrorCode.RequestTimeout);
    assert.match(result.error.message, new RegExp(`after ${thirtyDays} ms`));
  });
});

describe("Peer: cancellation", () => {
  test("aborting the caller's signal cancels the request and aborts the handler's signal", async () => {
    const errors: Error[] = [];
    const { server, client } = await pair({}, { onerror: (e) => errors.push(e) });
    const started = deferred<IncomingRequest>();
    const finish = deferred<Record<string, unknown>>();
    server.requestHandlers.set("work", (_p, req) => {
      started.resolve(req);
      return finish.promise;
    });
    server.requestHandlers.set("ping", () => ({}));
    const controller = new AbortController();
    const call = client.request("work", {}, { signal: controller.signal });
    const req = await started.promise;
    assert.equal(req.signal.aborted, false);
    const aborted = new Promise<void>((resolve) => req.signal.addEventListener("abort", () => resolve()));
    controller.abort(new Error("user gave up"));
    await assert.rejects(call, /user gave up/);
    await aborted;
    assert.match(String(req.signal.reason?.message), /user gave up/);
    // The handler finishing later sends nothing: the client would report a reply for an unknown id.
    finish.resolve({ late: true });
    assert.deepEqual(await client.request("ping"), {});
    assert.deepEqual(errors, []);
    assert.equal(server.inflightCount, 0);
  });

  test("an already aborted signal fails at once without sending", async () => {
    const { server, client } = await pair();
    let called = false;
    server.requestHandlers.set("work", () => (called = true));
    await assert.rejects(client.request("work", {}, { signal: AbortSignal.abort(new Error("too late")) }), /too late/);
    server.requestHandlers.set("ping", () => ({}));
    await client.request("ping");
    assert.equal(called, false);
  });
});

describe("Peer: batches", () => {
  test("allowed: one array reply with every request's answer, in any order", async () => {
    const peer = new Peer({ allowBatch: () => true });
    const hold = deferred<Record<string, unknown>>();
    peer.requestHandlers.set("slow", () => hold.promise);
    peer.requestHandlers.set("fast", () => ({ fast: true }));
    const { send, inbox } = await rawAgainst(peer);
    send([
      { jsonrpc: "2.0", id: 1, method: "slow" },
      { jsonrpc: "2.0", id: 2, method: "fast" },
      { jsonrpc: "2.0", method: "notifications/x" },
      { jsonrpc: "2.0", id: 3, method: "missing" },
      "not an object",
    ]);
    hold.resolve({ slow: true });
    const reply = await inbox.waitFor((m) => Array.isArray(m), "the batch reply");
    const byId = new Map<unknown, any>(reply.map((m: any) => [m.id, m]));
    assert.deepEqual(byId.get(1).result, { slow: true });
    assert.deepEqual(byId.get(2).result, { fast: true });
    assert.equal(byId.get(3).error.code, -32601);
    assert.equal(byId.get(null).error.code, -32600);
    assert.equal(reply.length, 4);
  });

  test("refused: one -32600 with id null; an empty batch too", async () => {
    const peer = new Peer({ allowBatch: () => false });
    let ran = false;
    peer.requestHandlers.set("x", () => (ran = true));
    const { send, inbox } = await rawAgainst(peer);
    send([{ jsonrpc: "2.0", id: 1, method: "x" }]);
    const error = await inbox.waitFor((m) => m.id === null, "the refusal");
    assert.equal(error.error.code, -32600);
    send([]);
    const empty = await inbox.waitFor((m) => m.id === null && /empty/.test(m.error.message), "the empty-batch error");
    assert.equal(empty.error.code, -32600);
    assert.equal(ran, false);
  });
});

describe("Peer: close and drain", () => {
  test("closing rejects pending requests with -32000 and aborts in-flight handlers", async () => {
    const { server, client } = await pair();
    const started = deferred<IncomingRequest>();
    server.requestHandlers.set("never", (_p, req) => {
      started.resolve(req);
      return new Promise(() => {});
    });
    const call = client.request("never");
    const req = await started.promise;
    await client.close();
    await assert.rejects(call, (e: any) => e.code === ErrorCode.ConnectionClosed);
    assert.equal(req.signal.aborted, true, "the other side saw the connection close");
    await assert.rejects(client.request("never"), (e: any) => e.code === ErrorCode.ConnectionClosed && /Not connected/.test(e.message));
    assert.equal(client.connected, false);
  });

  test("drain resolves once in-flight handlers have finished", async () => {
    const { server, client } = await pair();
    const finish = deferred<Record<string, unknown>>();
    const started = deferred<void>();
    server.requestHandlers.set("work", () => {
      started.resolve();
      return finish.promise;
    });
    const call = client.request("work");
    await started.promise;
    assert.equal(server.inflightCount, 1);
    const drained = track(server.drain());
    await settle();
    assert.equal(drained.settled, false);
    finish.resolve({ ok: 1 });
    assert.deepEqual(await call, { ok: 1 });
    await settle();
    assert.equal(drained.settled, true);
    await server.drain(); // nothing in flight: resolves at once
  });

  test("connecting twice is an error", async () => {
    const { server } = await pair();
    const [a] = createMemoryTransportPair();
    await assert.rejects(server.connect(a), /already connected/);
  });
});
