/**
 * Memory bounds in bytes wherever the runtime keeps something a client controls (issue
 * 16): session records, what initialize keeps, requests to the client awaiting an
 * answer, and request bodies being read at once. (The event store has its own file,
 * event-store-bytes.test.ts; streams and stdio have flood and slow-reader tests.)
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { PassThrough } from "node:stream";
import { McpServer, MemorySessionStore, createHttpHandler, parseHttpArgs, serveStdio, type Context, type IncomingHttp } from "../../runtime/src/index.js";
import { OVER_BUDGET } from "../../runtime/src/transports/http/incoming.js";
import { fixtureCommand, repoRoot } from "./helpers.js";

const V = "2025-11-25";

describe("session records", () => {
  const record = (id: string, pad = 0) => ({ id, state: { protocolVersion: V, clientCapabilities: { experimental: { pad: { text: "x".repeat(pad) } } } }, createdAt: Date.now(), lastActiveAt: Date.now() });

  test("are bounded in bytes: the least recently active go first", () => {
    const store = new MemorySessionStore({ maxBytes: 10_000 });
    for (let i = 0; i < 50; i++) store.set(record(`s${i}`, 900));
    assert.ok(store.byteCount <= 10_000, `${store.byteCount} bytes`);
    assert.ok(store.get("s49"), "the newest is kept");
    assert.equal(store.get("s0"), undefined, "the oldest went");
  });

  test("a record over maxRecordBytes is not kept", () => {
    const store = new MemorySessionStore({ maxRecordBytes: 1000 });
    store.set(record("big", 5000));
    store.set(record("small"));
    assert.equal(store.get("big"), undefined);
    assert.ok(store.get("small"));
    assert.ok(store.byteCount < 1000);
  });

  test("initialize refuses capabilities and clientInfo too large to keep", async () => {
    const server = new McpServer({ name: "bounds", version: "1" });
    const h = createHttpHandler(server, { keepAliveMs: 0, json: true });
    const body = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: V, capabilities: { experimental: { pad: "x".repeat(100_000) } }, clientInfo: { name: "c", version: "1" } } };
    const r = await h.handle(incoming(JSON.stringify(body)));
    const reply = await r.json();
    assert.equal(reply.error?.code, -32602, JSON.stringify(reply).slice(0, 200));
    assert.match(reply.error.message, /at most \d+ are kept/);
    await h.close();
  });
});

function incoming(text: string | Promise<string>, headers: Record<string, string> = {}): IncomingHttp {
  const all: Record<string, string> = { host: "localhost", accept: "application/json, text/event-stream", "content-type": "application/json", ...headers };
  return { method: "POST", path: "/mcp", header: (n) => all[n], headers: () => all, text: async () => text };
}

/**
 * A request whose body arrives as `sent` (each reported as it arrives), then waits for `rest`
 * before the last of it comes: a client that sent part of its body and stalls.
 */
function trickling(sent: string[], rest: Promise<string> = Promise.resolve(""), headers: Record<string, string> = {}): IncomingHttp {
  const base = incoming("", headers);
  return {
    ...base,
    text: async (_limit, onBytes) => {
      for (const chunk of sent) if (onBytes && !onBytes(Buffer.byteLength(chunk))) return OVER_BUDGET;
      const last = await rest;
      if (onBytes && last && !onBytes(Buffer.byteLength(last))) return OVER_BUDGET;
      return sent.join("") + last;
    },
  };
}

describe("request bodies being read at once", () => {
  const ping = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping" });
  const initialize = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: V, capabilities: {}, clientInfo: { name: "c", version: "1" } } });

  test("count as their bytes arrive: past maxBufferedBodyBytes a POST gets 503 with Retry-After, and the budget comes back", async () => {
    const server = new McpServer({ name: "bounds", version: "1" });
    const h = createHttpHandler(server, { keepAliveMs: 0, json: true, maxBufferedBodyBytes: 1_000_000 });
    let release!: (text: string) => void;
    // A client sent 900 kB of padding, then stalls before the rest.
    const slow = h.handle(trickling([" ".repeat(900_000)], new Promise<string>((resolve) => (release = resolve))));
    const refused = await h.handle(trickling([" ".repeat(150_000), ping]));
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "1");
    // A small body still fits beside it.
    const small = await h.handle(trickling([ping]));
    assert.notEqual(small.status, 503);
    release(initialize);
    assert.equal((await slow).status, 200);
    const again = await h.handle(trickling([" ".repeat(150_000), ping]));
    assert.notEqual(again.status, 503, "the slow body's bytes were given back");
    await h.close();
  });

  test("what a body declares is not held against the others: slow trickling clients cannot lock everyone out", async () => {
    const server = new McpServer({ name: "bounds", version: "1" });
    const h = createHttpHandler(server, { keepAliveMs: 0, json: true, maxBufferedBodyBytes: 1_000_000 });
    const stalls: ((text: string) => void)[] = [];
    // Twenty clients each declare 4 MiB and send a few bytes: by declared length, 80 MiB.
    const slow = Array.from({ length: 20 }, () =>
      h.handle(trickling(["{"], new Promise<string>((resolve) => stalls.push(resolve)), { "content-length": String(4 * 1024 * 1024) })),
    );
    const answered = await h.handle(trickling([initialize]));
    assert.equal(answered.status, 200);
    for (const stall of stalls) stall('"jsonrpc":"2.0","method":"notifications/initialized"}');
    await Promise.all(slow);
    await h.close();
  });
});

describe("requests to the client awaiting an answer", () => {
  test("are capped per session: past the cap a handler's request is refused at once", async () => {
    const server = new McpServer({ name: "bounds", version: "1" });
    server.tool({
      name: "ask_many",
      handler: async (_a, ctx: Context) => {
        let refused = 0;
        for (let i = 0; i < 300; i++) {
          ctx.elicitForm("?", { type: "object", properties: {} }).catch((e: Error) => {
            if (/already await an answer/.test(e.message)) refused++;
          });
        }
        await new Promise((resolve) => setImmediate(resolve));
        return String(refused);
      },
    });
    const input = new PassThrough();
    const output = new PassThrough();
    const session = await serveStdio(server, { stdin: input, stdout: output, exit: false, signals: false });
    const lines: any[] = [];
    let rest = "";
    const answered = new Promise<any>((resolve) => {
      output.setEncoding("utf8");
      output.on("data", (chunk: string) => {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop()!;
        for (const p of parts) {
          const m = JSON.parse(p);
          lines.push(m);
          if (m.id === "call" && m.method === undefined) resolve(m);
        }
      });
    });
    const send = (m: unknown) => input.write(JSON.stringify(m) + "\n");
    send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: V, capabilities: { elicitation: {} }, clientInfo: { name: "c", version: "1" } } });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: "call", method: "tools/call", params: { name: "ask_many", arguments: {} } });
    const reply = await answered;
    assert.equal(reply.result.content[0].text, String(300 - 256));
    assert.equal(lines.filter((m) => m.method === "elicitation/create").length, 256);
    assert.equal(session.peer.pendingCount, 256);
    await session.close();
    assert.equal(session.peer.pendingCount, 0, "closing fails what was pending");
  });
});

describe("limits from the command line", () => {
  test("--http takes the size flags (binary suffixes)", () => {
    const o = parseHttpArgs(["--http", "0", "--max-body-bytes", "8m", "--max-sessions", "50", "--max-buffered-bytes", "256k", "--max-event-bytes=1g"], {}, {});
    assert.equal(o.maxBodyBytes, 8 * 1024 * 1024);
    assert.equal(o.maxSessions, 50);
    assert.equal(o.maxBufferedBytes, 256 * 1024);
    assert.deepEqual(o.eventStoreLimits, { maxBytes: 1024 ** 3 });
    assert.throws(() => parseHttpArgs(["--max-body-bytes", "lots"], {}, {}), /not a size/);
  });

  test("stdio refuses a malformed limit with exit code 2", async () => {
    const { command, args } = fixtureCommand("flood.ts", ["--max-inflight", "many"]);
    const child = spawn(command, args, { cwd: repoRoot, stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (s: string) => (stderr += s));
    const code = await new Promise((resolve) => child.once("close", resolve));
    assert.equal(code, 2);
    assert.match(stderr, /--max-inflight: 'many' is not a size/);
  });
});
