/**
 * REDIS_URL and tasks: a server that offers the tasks extension keeps its tasks in Redis
 * (stateful or stateless), with MCP_TASK_LEASE_MS as its lease; a server without task
 * tools is not made to offer the extension; a store the server was given is kept.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { McpServer, MemoryTaskStore, tasksOf } from "../../runtime/src/index.js";
import { sharedStoresFromEnv } from "../../runtime/src/entry/redis-option.js";
import { RedisTaskStore } from "../../packages/redis/src/index.js";
import { REDIS_SERVER, RedisServer } from "./infra.js";

const skip = existsSync(REDIS_SERVER) ? undefined : "skipped: redis-server not installed";

function withTaskTool(options: ConstructorParameters<typeof McpServer>[1] = {}): McpServer {
  const server = new McpServer({ name: "t", version: "1" }, options);
  server.tool({ name: "job", task: { support: "optional" }, handler: async () => "done" });
  return server;
}

describe("REDIS_URL: the task store", { skip }, () => {
  let redis: RedisServer;
  before(async () => {
    redis = await RedisServer.start();
  });
  after(() => redis?.stop());

  for (const sessions of [true, false]) {
    test(`a server with task tools (${sessions ? "stateful" : "stateless"}) keeps its tasks in Redis, leased MCP_TASK_LEASE_MS`, async () => {
      const server = withTaskTool();
      const shared = (await sharedStoresFromEnv(server, { sessions }, { REDIS_URL: redis.url, MCP_TASK_LEASE_MS: "2500" }))!;
      try {
        // The package is loaded through its built entry by the runtime; compare by class name.
        assert.equal(server.options.tasks?.store?.constructor.name, RedisTaskStore.name);
        assert.equal(server.options.tasks?.leaseMs, 2500);
        assert.equal(tasksOf(server).leaseMs, 2500);
      } finally {
        await shared.close();
      }
    });
  }

  test("a server without task tools does not start offering the extension", async () => {
    const server = new McpServer({ name: "plain", version: "1" });
    const shared = (await sharedStoresFromEnv(server, {}, { REDIS_URL: redis.url }))!;
    await shared.close();
    assert.equal(server.options.tasks, undefined);
  });

  test("a store the server was given is kept; its other task options stay", async () => {
    const store = new MemoryTaskStore();
    const server = withTaskTool({ tasks: { store, ttlMs: 5000 } });
    const shared = (await sharedStoresFromEnv(server, {}, { REDIS_URL: redis.url, MCP_TASK_LEASE_MS: "2500" }))!;
    await shared.close();
    assert.equal(server.options.tasks?.store, store);
    assert.equal(server.options.tasks?.leaseMs, undefined);
    const other = withTaskTool({ tasks: { ttlMs: 5000 } });
    const again = (await sharedStoresFromEnv(other, {}, { REDIS_URL: redis.url }))!;
    await again.close();
    assert.equal(other.options.tasks?.ttlMs, 5000);
    assert.equal(other.options.tasks?.store?.constructor.name, RedisTaskStore.name);
  });
});
