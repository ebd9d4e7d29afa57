/**
 * Configuration without code: `--redis <url>` parses, $REDIS_URL is read, nothing is
 * loaded without either, a stateful server gets the Redis stores and bus and every node the
 * same requestState key, a stateless one the key alone, and an unreachable Redis fails the
 * start instead of serving without shared stores.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { McpServer, parseServerArgs } from "../../runtime/src/index.js";
import { sharedStoresFromEnv } from "../../runtime/src/entry/redis-option.js";
import { REDIS_SERVER, RedisServer, freePort } from "./infra.js";

describe("REDIS_URL and --redis", () => {
  test("--redis <url> is an HTTP option", () => {
    const args = parseServerArgs(["--http", "0", "--redis", "redis://10.0.0.5:6379"], {}, {});
    assert.equal(args.mode, "http");
    assert.equal((args as { options: { redisUrl?: string } }).options.redisUrl, "redis://10.0.0.5:6379");
    assert.throws(() => parseServerArgs(["--redis", "redis://x"], {}, {}), /applies to HTTP only/);
  });

  test("without a URL nothing is connected or loaded", async () => {
    assert.equal(await sharedStoresFromEnv(new McpServer({ name: "s", version: "1" }), {}, {}), undefined);
  });

  test("an unreachable Redis fails the start", async () => {
    const port = await freePort();
    await assert.rejects(sharedStoresFromEnv(new McpServer({ name: "s", version: "1" }), {}, { REDIS_URL: `redis://127.0.0.1:${port}` }), /ECONNREFUSED/);
  });

  describe("with a real redis-server", { skip: existsSync(REDIS_SERVER) ? undefined : "skipped: redis-server not installed" }, () => {
    let redis: RedisServer;
    before(async () => {
      redis = await RedisServer.start();
    });
    after(() => redis?.stop());

    test("stateful: stores and bus; every server the same requestState key", async () => {
      const a = new McpServer({ name: "a", version: "1" });
      const b = new McpServer({ name: "b", version: "1" });
      const sa = (await sharedStoresFromEnv(a, { sessionTtlMs: 60_000 }, { REDIS_URL: redis.url }))!;
      const sb = (await sharedStoresFromEnv(b, {}, { REDIS_URL: redis.url }))!;
      try {
        assert.ok(sa.options.sessionStore && sa.options.eventStore && sa.options.cluster);
        assert.notEqual(sa.options.cluster!.nodeId, sb.options.cluster!.nodeId);
        assert.equal(sa.options.sessionTtlMs, 60_000);
        const secret = a.options.requestState?.secret;
        assert.equal(typeof secret, "string");
        assert.equal(b.options.requestState?.secret, secret);
      } finally {
        await sa.close();
        await sb.close();
      }
    });

    test("stateless: the requestState key only; an explicit secret wins", async () => {
      const s = new McpServer({ name: "s", version: "1" });
      const shared = (await sharedStoresFromEnv(s, { sessions: false }, { REDIS_URL: redis.url }))!;
      try {
        assert.equal(shared.options.sessionStore, undefined);
        assert.equal(shared.options.cluster, undefined);
        assert.equal(typeof s.options.requestState?.secret, "string");
      } finally {
        await shared.close();
      }
      const own = new McpServer({ name: "o", version: "1" });
      const kept = (await sharedStoresFromEnv(own, {}, { REDIS_URL: redis.url, MCP_REQUEST_STATE_SECRET: "x".repeat(32) }))!;
      await kept.close();
      assert.equal(own.options.requestState, undefined, "MCP_REQUEST_STATE_SECRET is the codec's to read");
    });
  });
});
