/**
 * `REDIS_URL` (or `--redis <url>`): a generated server serving HTTP shares its sessions,
 * events, tasks and cross-node routing through Redis, so several identical nodes can sit behind a
 * load balancer with no sticky sessions (docs/deploy.md). `@mcpgen/redis` is imported only
 * then: the runtime has no dependencies, and a server without REDIS_URL never loads it.
 */
import type { ServeHttpOptions } from "./node-http.js";
import type { McpServer } from "../server/server.js";
import type { TaskStore } from "../server/task-store.js";
import { offersTasks } from "../server/tasks.js";

/** What `connectRedis` of @mcpgen/redis returns, as far as the entry point uses it. */
interface RedisClusterLike {
  requestStateSecret: string;
  taskStore?: TaskStore;
  httpOptions: Partial<ServeHttpOptions>;
  close(): Promise<void>;
}

export interface SharedStores {
  /** The HTTP options with the Redis stores and bus in them. */
  options: ServeHttpOptions;
  /** Leaves the cluster; call after the handler closed. */
  close(): Promise<void>;
}

/** Connects to Redis when asked (`redisUrl`, else $REDIS_URL); undefined otherwise. */
export async function sharedStoresFromEnv(
  server: McpServer<any>,
  options: ServeHttpOptions & { redisUrl?: string },
  env: Record<string, string | undefined> = process.env,
): Promise<SharedStores | undefined> {
  const { redisUrl, ...rest } = options;
  const url = redisUrl ?? env.REDIS_URL;
  if (!url) return undefined;
  // A variable, so neither TypeScript nor a bundler tries to resolve the optional package.
  const name = "@mcpgen/redis";
  let mod: { connectRedis(o: Record<string, unknown>): Promise<RedisClusterLike> };
  try {
    mod = await import(name);
  } catch (error) {
    throw new Error(`REDIS_URL is set, but ${name} could not be loaded (npm install ${name}): ${(error as Error).message}`);
  }
  const redis = await mod.connectRedis({
    url,
    prefix: env.MCP_REDIS_PREFIX || undefined,
    ttlMs: rest.sessionTtlMs,
    eventStoreLimits: rest.eventStoreLimits,
    nodeTimeoutMs: env.MCP_NODE_TIMEOUT_MS ? Number(env.MCP_NODE_TIMEOUT_MS) : undefined,
  });
  // Every node seals and opens 2026-07-28 requestState with the same key, unless one is configured.
  if (server.options.requestState?.secret === undefined && !env.MCP_REQUEST_STATE_SECRET) {
    (server.options as { requestState?: object }).requestState = { ...server.options.requestState, secret: redis.requestStateSecret };
  }
  // Tasks live in Redis too, so any node answers for a task another runs (stateless or not: tasks
  // are of 2026-07-28, which has no sessions). Only for servers that offer tasks: setting
  // options.tasks would offer the extension. MCP_TASK_LEASE_MS bounds how long a task whose node
  // died still reads `working` before the next tasks/get fails it.
  if (redis.taskStore && offersTasks(server) && server.options.tasks?.store === undefined) {
    const lease = env.MCP_TASK_LEASE_MS ? Number(env.MCP_TASK_LEASE_MS) : undefined;
    const tasks = { ...server.options.tasks, store: redis.taskStore };
    if (lease !== undefined && Number.isFinite(lease) && lease > 0 && tasks.leaseMs === undefined) tasks.leaseMs = lease;
    (server.options as { tasks?: object }).tasks = tasks;
  }
  // Stateless servers share only the requestState key (and tasks): there are no sessions to share.
  const shared = rest.sessions === false ? {} : redis.httpOptions;
  return { options: { ...rest, ...shared }, close: () => redis.close() };
}
