/**
 * Session records on Redis: the whole record (negotiated revision, client capabilities
 * and info, log level, subscriptions, and with auth the identity that owns it) as JSON
 * under `s:<id>`, expiring `ttlMs` after its last use; reading it (a node picking the
 * session up) pushes the expiry back too. Two sorted sets index live sessions by expiry,
 * so a node can reach every session once with a server-wide notification: `sx` (all)
 * and `sub:<uri>` (subscribed to that URI).
 *
 * Bounds, as MemorySessionStore's: a record over `maxRecordBytes` is not kept (its
 * session cannot move to another node), and past `maxRecords` the least recently used
 * records go first. Bytes in all are bounded by the two together.
 */
import { SESSION_STORE_DEFAULTS, type MemorySessionStoreOptions, type SessionRecord, type SessionStore } from "@mcpgen/runtime/http";
import type { RedisConnection } from "./connection.js";

export type RedisSessionStoreOptions = Omit<MemorySessionStoreOptions, "maxBytes">;

const SUBS = `local function subs(json)
  if not json then return {} end
  local ok, r = pcall(cjson.decode, json)
  if not ok or type(r) ~= 'table' or type(r.state) ~= 'table' or type(r.state.subscriptions) ~= 'table' then return {} end
  return r.state.subscriptions
end
`;

const SET = `${SUBS}
local P, id, json, ttl, now, max = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local key = P..'s:'..id
local old = subs(redis.call('GET', key))
local new = subs(json)
local keep = {}
for _, u in ipairs(new) do keep[u] = true end
for _, u in ipairs(old) do if not keep[u] then redis.call('ZREM', P..'sub:'..u, id) end end
for _, u in ipairs(new) do
  local k = P..'sub:'..u
  redis.call('ZADD', k, now + ttl, id)
  redis.call('ZREMRANGEBYSCORE', k, '-inf', now)
  redis.call('PEXPIRE', k, ttl)
end
redis.call('SET', key, json, 'PX', ttl)
redis.call('ZADD', P..'sx', now + ttl, id)
redis.call('ZREMRANGEBYSCORE', P..'sx', '-inf', now)
while redis.call('ZCARD', P..'sx') > max do
  local gone = redis.call('ZPOPMIN', P..'sx')[1]
  for _, u in ipairs(subs(redis.call('GET', P..'s:'..gone))) do redis.call('ZREM', P..'sub:'..u, gone) end
  redis.call('DEL', P..'s:'..gone)
end
redis.call('PEXPIRE', P..'sx', ttl)
return 1
`;

const GET = `${SUBS}
local P, id, ttl, now = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local key = P..'s:'..id
local json = redis.call('GET', key)
if not json then return false end
redis.call('PEXPIRE', key, ttl)
redis.call('ZADD', P..'sx', 'XX', now + ttl, id)
redis.call('PEXPIRE', P..'sx', ttl)
for _, u in ipairs(subs(json)) do
  redis.call('ZADD', P..'sub:'..u, 'XX', now + ttl, id)
  redis.call('PEXPIRE', P..'sub:'..u, ttl)
end
return json
`;

const DELETE = `${SUBS}
local P, id = ARGV[1], ARGV[2]
local key = P..'s:'..id
for _, u in ipairs(subs(redis.call('GET', key))) do redis.call('ZREM', P..'sub:'..u, id) end
redis.call('DEL', key)
redis.call('ZREM', P..'sx', id)
return 1
`;

export class RedisSessionStore implements SessionStore {
  readonly ttlMs: number;
  private readonly maxRecords: number;
  private readonly maxRecordBytes: number;

  constructor(
    private readonly redis: RedisConnection,
    options: RedisSessionStoreOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? SESSION_STORE_DEFAULTS.ttlMs;
    this.maxRecords = options.maxRecords ?? 100_000;
    this.maxRecordBytes = options.maxRecordBytes ?? SESSION_STORE_DEFAULTS.maxRecordBytes;
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const json = await this.redis.script(GET, [this.redis.prefix, id, this.ttlMs, Date.now()]);
    if (typeof json !== "string") return undefined;
    try {
      return JSON.parse(json) as SessionRecord;
    } catch {
      return undefined;
    }
  }

  async set(record: SessionRecord): Promise<void> {
    const json = JSON.stringify(record);
    if (json.length > this.maxRecordBytes) {
      await this.delete(record.id);
      return;
    }
    await this.redis.script(SET, [this.redis.prefix, record.id, json, this.ttlMs, Date.now(), this.maxRecords]);
  }

  async delete(id: string): Promise<void> {
    await this.redis.script(DELETE, [this.redis.prefix, id]);
  }

  async sessionIds(subscribedTo?: string): Promise<string[]> {
    const key = subscribedTo === undefined ? "sx" : `sub:${subscribedTo}`;
    return (await this.redis.send(["ZRANGEBYSCORE", this.redis.prefix + key, Date.now(), "+inf"])) as string[];
  }
}
