/**
 * `@mcpgen/redis`: run a Streamable HTTP server as several identical nodes on one Redis,
 * with no sticky sessions. `connectRedis()` gives the three handler options that do it
 * (`sessionStore`, `eventStore`, `cluster`), the shared requestState secret, and a task
 * store for the tasks extension (`ServerOptions.tasks.store`):
 *
 *   const redis = await connectRedis({ url: process.env.REDIS_URL });
 *   const handler = createHttpHandler(server, { ...redis.httpOptions });
 *
 * Generated servers do this by themselves when REDIS_URL (or `--redis <url>`) is set.
 */
import type { MemoryEventStoreOptions } from "@mcpgen/runtime/http";
import { RedisClusterBus } from "./cluster-bus.js";
import { RedisConnection } from "./connection.js";
import { RedisEventStore } from "./event-store.js";
import { sharedRequestStateSecret } from "./request-state.js";
import { RedisSessionStore } from "./session-store.js";
import { RedisTaskStore } from "./task-store.js";

export { RedisConnection, type RedisConnectionOptions } from "./connection.js";
export { RedisSessionStore, type RedisSessionStoreOptions } from "./session-store.js";
export { RedisEventStore, type RedisEventStoreOptions } from "./event-store.js";
export { RedisClusterBus, type RedisClusterBusOptions } from "./cluster-bus.js";
export { sharedRequestStateSecret } from "./request-state.js";
export { RedisTaskStore, type RedisTaskStoreOptions } from "./task-store.js";

export interface ConnectRedisOptions {
  /** `redis://…` (default `redis://127.0.0.1:6379`). */
  url?: string;
  /** Key and channel prefix (default `mcp:`); servers sharing a Redis need distinct ones. */
  prefix?: string;
  /** Session lifetime without use; stored events live as long (default 30 minutes). */
  ttlMs?: number;
  /** Most session records kept (default 100,000). */
  maxRecords?: number;
  /** Event store limits, as MemoryEventStore's (bytes and events per stream, per session, in all). */
  eventStoreLimits?: MemoryEventStoreOptions;
  /** Most tasks (tasks extension) kept at once under the prefix (default 10,000). */
  maxTasks?: number;
  /** A node silent this long is dead: its calls get an error on their resumed streams (default 10 s). */
  nodeTimeoutMs?: number;
  /** This node's id (default: random at every start). */
  nodeId?: string;
  onerror?: (error: Error) => void;
}

export interface RedisCluster {
  readonly connection: RedisConnection;
  readonly sessionStore: RedisSessionStore;
  readonly eventStore: RedisEventStore;
  readonly cluster: RedisClusterBus;
  /** Tasks of the tasks extension, for `ServerOptions.tasks.store`: any node answers for any task. */
  readonly taskStore: RedisTaskStore;
  /** Seals 2026-07-28 requestState on every node alike. */
  readonly requestStateSecret: string;
  /** What to spread into `createHttpHandler`'s options. */
  readonly httpOptions: { sessionStore: RedisSessionStore; eventStore: RedisEventStore; cluster: RedisClusterBus; sessionTtlMs?: number };
  /** Leaves the cluster (after the handler closed): stops the heartbeat and disconnects. */
  close(): Promise<void>;
}

/** Connects, announces this node, and returns the stores and the bus. */
export async function connectRedis(options: ConnectRedisOptions = {}): Promise<RedisCluster> {
  const connection = await RedisConnection.connect({ url: options.url, prefix: options.prefix, onerror: options.onerror });
  try {
    const sessionStore = new RedisSessionStore(connection, { ttlMs: options.ttlMs, maxRecords: options.maxRecords });
    const eventStore = new RedisEventStore(connection, { ...options.eventStoreLimits, ttlMs: sessionStore.ttlMs });
    const cluster = new RedisClusterBus(connection, { nodeId: options.nodeId, nodeTimeoutMs: options.nodeTimeoutMs });
    await cluster.start();
    const requestStateSecret = await sharedRequestStateSecret(connection);
    const taskStore = new RedisTaskStore(connection, { maxTasks: options.maxTasks });
    const httpOptions: RedisCluster["httpOptions"] = { sessionStore, eventStore, cluster };
    if (options.ttlMs !== undefined) httpOptions.sessionTtlMs = options.ttlMs;
    return {
      connection,
      sessionStore,
      eventStore,
      cluster,
      taskStore,
      requestStateSecret,
      httpOptions,
      close: async () => {
        await taskStore.close();
        await cluster.close().catch(() => undefined);
        await connection.close();
      },
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
