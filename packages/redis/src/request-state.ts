/**
 * The key that seals 2026-07-28 `requestState` (input-required round trips), shared by
 * every node through Redis, so a retry answered on another node than the one that asked
 * opens. The first node to start makes it (SET NX); it has no expiry, since states in
 * flight must keep opening. An explicit MCP_REQUEST_STATE_SECRET (or the server's
 * `requestState.secret`) takes precedence: rotate keys with that.
 */
import { randomBytes } from "node:crypto";
import type { RedisConnection } from "./connection.js";

export async function sharedRequestStateSecret(redis: RedisConnection): Promise<string> {
  const key = `${redis.prefix}request-state-secret`;
  await redis.send(["SET", key, randomBytes(48).toString("base64url"), "NX"]);
  const secret = await redis.send(["GET", key]);
  if (typeof secret !== "string") throw new Error(`Redis lost ${key} right after it was set (is maxmemory-policy evicting keys without a TTL?)`);
  return secret;
}
