/**
 * Issue 16, finding 6: MCP progress tokens are strings or numbers. A request whose
 * `_meta.progressToken` is anything else (object, null, array, boolean) is served as if
 * it had none: the server never echoes the value back in notifications/progress. Valid
 * tokens are echoed exactly. Both eras, the modern fixture over stdio.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawServer, type Wire } from "./helpers.js";

const MODERN_META = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} };
const INVALID: unknown[] = [{ a: 1 }, null, [1, 2], true, false, {}];
const VALID: unknown[] = ["tok", 7, 0, -3, 1.5, ""];

describe("progress tokens are validated, never echoed when invalid (stdio)", { timeout: 30_000 }, () => {
  let server: RawServer;
  before(() => {
    server = new RawServer("modern.ts");
  });
  after(() => server?.close());

  /** Calls `chatty` (two progress reports) and returns the progress notifications sent for it. */
  async function progressFor(progressToken: unknown, modern: boolean): Promise<Wire[]> {
    const from = server.inbox.items.length;
    const _meta = modern ? { ...MODERN_META, progressToken } : { progressToken };
    const reply = await server.request("tools/call", { name: "chatty", arguments: {}, _meta });
    assert.equal(reply.result?.content?.[0]?.text, "chatted", JSON.stringify(reply));
    // stdio keeps order: everything sent for the call precedes its reply.
    return server.inbox.items.slice(from).filter((m) => !Array.isArray(m) && m.method === "notifications/progress");
  }

  for (const modern of [true, false]) {
    const era = modern ? "2026-07-28" : "2025-11-25";
    test(`${era}: invalid tokens get no progress; valid ones are echoed exactly`, async () => {
      if (!modern) await server.initialize("2025-11-25");
      for (const token of INVALID) {
        assert.deepEqual(await progressFor(token, modern), [], `token ${JSON.stringify(token)} must not be echoed`);
      }
      for (const token of VALID) {
        const sent = await progressFor(token, modern);
        assert.equal(sent.length, 2, `token ${JSON.stringify(token)}`);
        for (const n of sent) assert.deepEqual((n.params as { progressToken: unknown }).progressToken, token);
      }
    });
  }
});
