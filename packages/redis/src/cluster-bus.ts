/**
 * The cross-node bus on Redis: pub/sub channels (prefixed like the keys) carry events and
 * routed messages; `tr:<session>` hashes say, per call stream, which node runs it and what
 * it awaits (gone with the session); `node:<id>` keys are heartbeats, refreshed every `nodeTimeoutMs / 3` and expiring
 * after `nodeTimeoutMs`, so a node that died stops counting as alive within that bound.
 */
import { newNodeId, sessionIdOfStream, type ClusterBus, type TrackedStream } from "@mcpgen/runtime/http";
import type { RedisConnection } from "./connection.js";

export interface RedisClusterBusOptions {
  /** This node's id (default: random, new at every start). */
  nodeId?: string;
  /** A node silent this long counts as dead and its calls get an error (default 10 s). */
  nodeTimeoutMs?: number;
}

export class RedisClusterBus implements ClusterBus {
  readonly nodeId: string;
  readonly nodeTimeoutMs: number;
  private heartbeat?: ReturnType<typeof setInterval>;

  constructor(
    private readonly redis: RedisConnection,
    options: RedisClusterBusOptions = {},
  ) {
    this.nodeId = options.nodeId ?? newNodeId();
    this.nodeTimeoutMs = options.nodeTimeoutMs ?? 10_000;
  }

  /** Announces this node and keeps announcing it until `close()`. */
  async start(): Promise<void> {
    const beat = () => this.redis.send(["SET", `${this.redis.prefix}node:${this.nodeId}`, Date.now(), "PX", this.nodeTimeoutMs]);
    await beat();
    this.heartbeat = setInterval(() => void beat().catch(() => undefined), Math.max(50, Math.floor(this.nodeTimeoutMs / 3)));
    this.heartbeat.unref();
  }

  publish(channel: string, message: string): Promise<unknown> {
    return this.redis.publish(channel, message);
  }

  subscribe(channel: string, listener: (message: string) => void) {
    return this.redis.subscribe(channel, listener);
  }

  private trackKey(streamId: string): string {
    return `${this.redis.prefix}tr:${sessionIdOfStream(streamId)}`;
  }

  async track(streamId: string, requestIds: (string | number)[], ttlMs: number): Promise<unknown> {
    const key = this.trackKey(streamId);
    return Promise.all([this.redis.send(["HSET", key, streamId, JSON.stringify({ node: this.nodeId, requestIds })]), this.redis.send(["PEXPIRE", key, ttlMs])]);
  }

  async tracked(streamId: string): Promise<TrackedStream | undefined> {
    const json = await this.redis.send(["HGET", this.trackKey(streamId), streamId]);
    return typeof json === "string" ? (JSON.parse(json) as TrackedStream) : undefined;
  }

  async untrack(streamId: string): Promise<boolean> {
    return (await this.redis.send(["HDEL", this.trackKey(streamId), streamId])) === 1;
  }

  async forgetSession(sessionId: string): Promise<void> {
    await this.redis.send(["DEL", `${this.redis.prefix}tr:${sessionId}`]);
  }

  async isAlive(nodeId: string): Promise<boolean> {
    return (await this.redis.send(["EXISTS", `${this.redis.prefix}node:${nodeId}`])) === 1;
  }

  /** Stops announcing this node and says it left: calls it did not finish fail at once elsewhere. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.redis.send(["DEL", `${this.redis.prefix}node:${this.nodeId}`]);
  }
}
