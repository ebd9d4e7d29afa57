/**
 * The stdio transport as a process sees it: one JSON message per line, multi-MB
 * messages both ways, stray stdout writes kept off the protocol stream, and a clean
 * exit on end of input or SIGTERM once in-flight requests have been answered.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawServer, isResponse } from "./helpers.js";

const MB = 1024 * 1024;

async function holding(server: RawServer, id: string, from: number): Promise<void> {
  await server.message("notifications/message", (m) => m.params.data?.holding === id, from);
}

describe("stdio transport", { timeout: 60_000 }, () => {
  test("large messages both ways, stray stdout writes, then EOF with a large reply in flight", async () => {
    const server = new RawServer("kitchen-sink.ts");
    try {
      await server.initialize("2025-11-25");

      // Client → server: a 6 MB argument, written in one go.
      const data = "abcdefghij".repeat((6 * MB) / 10);
      let sum = 0;
      for (let i = 0; i < data.length; i++) sum = (sum + data.charCodeAt(i)) % 1_000_003;
      const measured = await server.call("tools/call", { name: "measure", arguments: { data } });
      assert.deepEqual(JSON.parse(measured.content[0].text), { length: data.length, sum });

      // Server → client: a 7 MB result on one line.
      const big = await server.call("tools/call", { name: "big", arguments: { bytes: 7 * MB } });
      assert.equal(big.content[0].text.length, 7 * MB);

      // console.log and process.stdout.write from a handler go to stderr.
      const stray = await server.call("tools/call", { name: "stray_stdout", arguments: {} });
      assert.equal(stray.content[0].text, "wrote to stdout");
      await server.waitForStderr(/stray console\.log output/);
      await server.waitForStderr(/stray process\.stdout\.write output/);

      // End of input while an 8 MB reply is being produced: the whole reply still arrives.
      const from = server.inbox.items.length;
      server.send({ jsonrpc: "2.0", id: "last", method: "tools/call", params: { name: "big", arguments: { bytes: 8 * MB } } });
      server.child.stdin!.end();
      const exit = await server.exited;
      const last = server.inbox.items.slice(from).find((m) => isResponse(m) && m.id === "last");
      assert.ok(last, "the in-flight reply was written before exiting");
      assert.equal(last.result.content[0].text.length, 8 * MB);
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.match(server.stderr, /lifespan stopped/);
      assert.deepEqual(server.nonJson, [], "stdout carried only JSON-RPC lines");
    } finally {
      await server.close();
    }
  });

  test("stdin EOF: in-flight requests finish, then the server exits 0", async () => {
    const server = new RawServer("kitchen-sink.ts");
    try {
      await server.initialize("2025-06-18");
      const from = server.inbox.items.length;
      server.send({ jsonrpc: "2.0", id: "eof", method: "tools/call", params: { name: "hold", arguments: { until: "eof" } } });
      await holding(server, "eof", from);
      server.child.stdin!.end();
      const reply = await server.response("eof", from);
      assert.equal(reply.result.content[0].text, "released by end of input");
      assert.deepEqual(await server.exited, { code: 0, signal: null });
      assert.match(server.stderr, /lifespan stopped/);
    } finally {
      await server.close();
    }
  });

  test("SIGTERM: in-flight requests finish, then the server exits 0", async () => {
    const server = new RawServer("kitchen-sink.ts");
    try {
      await server.initialize("2025-03-26");
      const from = server.inbox.items.length;
      server.send({ jsonrpc: "2.0", id: "term", method: "tools/call", params: { name: "hold", arguments: { until: "sigterm" } } });
      await holding(server, "term", from);
      server.child.kill("SIGTERM");
      const reply = await server.response("term", from);
      assert.equal(reply.result.content[0].text, "released by SIGTERM");
      assert.deepEqual(await server.exited, { code: 0, signal: null });
      assert.match(server.stderr, /lifespan stopped/);
    } finally {
      await server.close();
    }
  });

  test("a client that stops reading (EPIPE) ends the session cleanly instead of crashing", async () => {
    const server = new RawServer("kitchen-sink.ts");
    try {
      await server.initialize("2025-11-25");
      server.child.stdout!.destroy();
      server.send({ jsonrpc: "2.0", id: "into-the-void", method: "tools/call", params: { name: "big", arguments: { bytes: MB } } });
      server.send({ jsonrpc: "2.0", id: "again", method: "ping" });
      assert.deepEqual(await server.exited, { code: 0, signal: null }, server.stderr);
      assert.doesNotMatch(server.stderr, /EPIPE|Unhandled/);
      assert.match(server.stderr, /lifespan stopped/);
    } finally {
      await server.close();
    }
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`${signal} while idle exits 0 at once`, async () => {
      const server = new RawServer("kitchen-sink.ts");
      try {
        await server.initialize("2024-11-05");
        server.child.kill(signal);
        assert.deepEqual(await server.exited, { code: 0, signal: null });
        assert.match(server.stderr, /lifespan stopped/);
      } finally {
        await server.close();
      }
    });
  }
});
