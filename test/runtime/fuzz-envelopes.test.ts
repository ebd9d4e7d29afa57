/**
 * Fuzzing the stdio and Streamable HTTP envelopes with fast-check: random and mutated
 * JSON-RPC messages, batches, prototype keys and raw bytes. Whatever arrives, the
 * server answers with valid JSON-RPC (or nothing, for notifications), never crashes,
 * and keeps nothing for finished work.
 *
 * `npm test` runs it briefly with a fixed seed; `npm run fuzz -- --runs 100000` (and
 * `--seed N`) runs longer. A failure prints the seed and the shrunk case: add it to the
 * regressions at the end of this file.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import fc from "fast-check";
import { McpServer, createHttpHandler, serveHttp, serveStdio, type Context, type McpHttpHandler, type RunningHttpServer, type ServerSession } from "../../runtime/src/index.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? process.env[`FUZZ_${name.toUpperCase()}`] : process.argv[i + 1];
}
const RUNS = Number(arg("runs") ?? 300);
const SEED = Number(arg("seed") ?? 16_016);
const params = { numRuns: RUNS, seed: SEED, endOnFailure: true };

// ---------------------------------------------------------------- the server under test

function fuzzServer(): McpServer {
  // Stray responses and handler failures are expected here; the answers are what is checked.
  const server = new McpServer({ name: "fuzz", version: "1.0.0" }, { onerror: () => {} });
  server.tool({
    name: "echo",
    inputSchema: { type: "object", properties: { text: { type: "string" } } },
    handler: async ({ text }: { text?: string }, ctx: Context) => {
      await ctx.log.info(`echo ${text}`);
      await ctx.progress(1, 1);
      return String(text);
    },
  });
  server.resource({ name: "note", uri: "mem://note", read: () => "a note" });
  server.prompt({ name: "hello", get: () => "hello" });
  return server;
}

// ---------------------------------------------------------------- what clients may send

const METHODS = [
  "initialize", "ping", "tools/list", "tools/call", "resources/list", "resources/read", "resources/templates/list",
  "resources/subscribe", "prompts/list", "prompts/get", "completion/complete", "logging/setLevel",
  "notifications/initialized", "notifications/cancelled", "notifications/progress", "server/discover", "subscriptions/listen",
];

const json = fc.jsonValue({ maxDepth: 3 });
/** Objects with keys that have bitten JavaScript servers before. */
const nastyKeys = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "_meta", "progressToken", "then");
const nastyObject = fc
  .array(fc.tuple(fc.oneof(nastyKeys, fc.string({ maxLength: 8 })), json), { maxLength: 4 })
  .map((entries) => JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`).join(",")}}`));
const anyValue = fc.oneof(json, nastyObject, fc.constantFrom(undefined, NaN, Infinity, -0, 1e308, 2 ** 53 + 1));

const id = fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.constantFrom(null, 1.5, true, undefined), nastyObject);
const knownParams = fc.record(
  {
    name: fc.oneof(fc.constantFrom("echo", "hello", "nope"), anyValue),
    uri: fc.oneof(fc.constantFrom("mem://note", "mem://none"), anyValue),
    arguments: fc.oneof(fc.record({ text: fc.oneof(fc.string(), anyValue) }), anyValue),
    protocolVersion: fc.oneof(fc.constantFrom("2025-11-25", "2025-06-18", "2024-11-05", "2026-07-28"), anyValue),
    capabilities: anyValue,
    level: fc.oneof(fc.constantFrom("debug", "info", "emergency"), anyValue),
    requestId: id,
    cursor: anyValue,
    _meta: fc.oneof(nastyObject, fc.record({ progressToken: anyValue }), anyValue),
  },
  { requiredKeys: [] },
);

/** One envelope: mostly plausible, every field sometimes wrong. */
const envelope = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant("2.0"), fc.constant("2.0"), anyValue),
    id,
    method: fc.oneof(fc.constantFrom(...METHODS), fc.string({ maxLength: 12 }), anyValue),
    params: fc.oneof(knownParams, knownParams, anyValue),
    result: anyValue,
    error: fc.oneof(fc.record({ code: fc.integer(), message: fc.string() }), anyValue),
  },
  { requiredKeys: [] },
);

const message = fc.oneof({ weight: 4, arbitrary: envelope }, { weight: 1, arbitrary: fc.array(envelope, { maxLength: 4 }) });
const messageText = message.map((m) => JSON.stringify(m) ?? "null");

/** A valid message's text with a few bytes changed, dropped or added. */
const mutated = fc
  .tuple(messageText, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.string({ minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => {
    let s = text;
    for (const [at, kind, chars] of edits) {
      const i = s.length === 0 ? 0 : at % s.length;
      s = kind === 0 ? s.slice(0, i) + chars + s.slice(i + 1) : kind === 1 ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + chars + s.slice(i);
    }
    return s;
  });

/** What goes on the wire: text of messages, mutations of them, or raw bytes. */
const payload = fc.oneof(
  { weight: 4, arbitrary: messageText.map((s) => Buffer.from(s)) },
  { weight: 3, arbitrary: mutated.map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
);

// ---------------------------------------------------------------- what a valid answer is

/** Checks one message the server sent: a JSON-RPC response, notification or request. */
function assertJsonRpc(m: unknown, where: string): void {
  if (Array.isArray(m)) {
    assert.ok(m.length > 0, `${where}: an empty batch`);
    for (const x of m) assertJsonRpc(x, where);
    return;
  }
  assert.ok(m !== null && typeof m === "object", `${where}: not an object: ${JSON.stringify(m)}`);
  const r = m as Record<string, unknown>;
  assert.equal(r.jsonrpc, "2.0", `${where}: ${JSON.stringify(m)}`);
  if (typeof r.method === "string") return;
  assert.ok(typeof r.id === "string" || typeof r.id === "number" || r.id === null, `${where}: bad id in ${JSON.stringify(m)}`);
  assert.ok(("result" in r) !== ("error" in r), `${where}: exactly one of result and error: ${JSON.stringify(m)}`);
  if ("error" in r) {
    const e = r.error as Record<string, unknown>;
    assert.ok(Number.isInteger(e?.code) && typeof e?.message === "string", `${where}: bad error object: ${JSON.stringify(m)}`);
  } else {
    assert.ok(r.result !== null && typeof r.result === "object", `${where}: result must be an object: ${JSON.stringify(m)}`);
  }
}

// ---------------------------------------------------------------- stdio

class StdioHarness {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  session!: ServerSession;
  private lines: string[] = [];
  private rest = "";
  private waiter?: () => void;
  private sentinel = 0;

  async start(): Promise<void> {
    this.output.setEncoding("utf8");
    this.output.on("data", (chunk: string) => {
      const parts = (this.rest + chunk).split("\n");
      this.rest = parts.pop()!;
      this.lines.push(...parts.filter((l) => l !== ""));
      this.waiter?.();
    });
    this.session = await serveStdio(fuzzServer(), { stdin: this.input, stdout: this.output, exit: false, signals: false });
  }

  /** Writes the payload as one line, then a ping; returns every line that came before the ping's answer. */
  async roundTrip(bytes: Buffer): Promise<string[]> {
    const sentinelId = `sentinel-${++this.sentinel}`;
    this.input.write(Buffer.concat([bytes, Buffer.from(`\n${JSON.stringify({ jsonrpc: "2.0", id: sentinelId, method: "ping" })}\n`)]));
    const marker = `"id":"${sentinelId}"`;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (this.lines.some((l) => l.includes(marker))) {
          this.waiter = undefined;
          resolve();
        }
      };
      this.waiter = check;
      check();
    });
    const i = this.lines.findIndex((l) => l.includes(marker));
    const out = this.lines.slice(0, i + 1);
    this.lines = this.lines.slice(i + 1);
    return out;
  }

  /** Lets in-flight handlers finish (their answers come after a later sentinel, which is fine). */
  async settle(): Promise<void> {
    await this.session.peer.drain();
  }
}

describe(`fuzzing the envelopes (${RUNS} runs, seed ${SEED})`, { timeout: 600_000 }, () => {
  test("stdio: every line gets valid JSON-RPC or nothing, and the server lives on", async () => {
    const h = new StdioHarness();
    await h.start();
    await fc.assert(
      fc.asyncProperty(payload, async (bytes) => {
        const lines = await h.roundTrip(bytes);
        for (const line of lines) {
          let parsed: unknown;
          assert.doesNotThrow(() => (parsed = JSON.parse(line)), `not JSON on stdout: ${line.slice(0, 200)}`);
          assertJsonRpc(parsed, `stdio answer to ${bytes.toString("utf8").slice(0, 200)}`);
        }
        const last = JSON.parse(lines.at(-1)!);
        assert.deepEqual(last.result, {}, "the ping after it is answered");
      }),
      params,
    );
    await h.settle();
    assert.equal(h.session.peer.inflightCount, 0, "nothing left in flight");
  });

  // ------------------------------------------------------------ HTTP

  let http: RunningHttpServer;
  let handler: McpHttpHandler;
  let sessionId = "";
  before(async () => {
    handler = createHttpHandler(fuzzServer(), { keepAliveMs: 0 });
    http = await serveHttp(handler, { port: 0 });
    const r = await fetch(http.url, {
      method: "POST",
      headers: { accept: "application/json, text/event-stream", "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "fuzz", version: "1" } } }),
    });
    sessionId = r.headers.get("mcp-session-id")!;
    await r.text();
  });
  after(async () => http?.close());

  const headerSets = fc.record({
    session: fc.constantFrom("live", "none", "bogus"),
    version: fc.constantFrom("2025-11-25", "2025-03-26", "2026-07-28", "bogus", undefined),
    contentType: fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain"),
  });

  test("HTTP: every POST gets an HTTP answer with valid JSON-RPC in it, never a 500, and the server lives on", async () => {
    await fc.assert(
      fc.asyncProperty(payload, headerSets, async (bytes, hs) => {
        const headers: Record<string, string> = { accept: "application/json, text/event-stream", "content-type": hs.contentType };
        if (hs.session === "live") headers["mcp-session-id"] = sessionId;
        if (hs.session === "bogus") headers["mcp-session-id"] = "bogus";
        if (hs.version) headers["mcp-protocol-version"] = hs.version;
        const r = await fetch(http.url, { method: "POST", headers, body: bytes });
        const text = await r.text();
        const where = `HTTP ${r.status} to ${bytes.toString("utf8").slice(0, 200)}`;
        assert.notEqual(r.status, 500, `${where}: ${text.slice(0, 300)}`);
        assert.ok([200, 202, 400, 403, 404, 406, 409, 413, 415, 503].includes(r.status), `${where}: unexpected status`);
        if (r.status === 202) {
          assert.equal(text, "", where);
          return;
        }
        const type = r.headers.get("content-type") ?? "";
        if (type.startsWith("text/event-stream")) {
          for (const line of text.split("\n")) if (line.startsWith("data: ") && line.length > 6) assertJsonRpc(JSON.parse(line.slice(6)), where);
        } else if (text !== "") {
          assertJsonRpc(JSON.parse(text), where);
        }
      }),
      params,
    );
    // Still serving, and the live session holds nothing for finished work.
    const ping = await fetch(http.url, {
      method: "POST",
      headers: { accept: "application/json, text/event-stream", "content-type": "application/json", "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" },
      body: JSON.stringify({ jsonrpc: "2.0", id: "last", method: "ping" }),
    });
    assert.equal(ping.status, 200);
    assert.match(await ping.text(), /"id":"last","result":\{\}/);
    // Nothing kept for finished work: no session has a request in flight or a POST awaiting replies.
    const live = [...((handler as unknown as { live: Map<string, { transport: { pendingCount: number }; session: ServerSession }> }).live.values())];
    await Promise.all(live.map((l) => l.session.peer.drain()));
    for (const l of live) {
      assert.equal(l.session.peer.inflightCount, 0);
      assert.equal(l.transport.pendingCount, 0);
    }
  });
});
