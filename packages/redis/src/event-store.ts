/**
 * SSE events on Redis Streams, bounded as the runtime's MemoryEventStore is: in events and
 * bytes per stream, in streams and bytes per session, and in bytes in all. Past a limit
 * the oldest events go first, and a client resuming after a dropped event is told so
 * (the handler answers 404) instead of getting a replay with a gap. Every key expires
 * with the session: each append pushes its session's keys' expiry to `ttlMs` ahead, so an
 * abandoned session's events go when the session would.
 *
 * Keys (prefix `mcp:`): `ev:<stream>` a Redis stream per SSE stream, its entries
 * `m` (the message's JSON, "" for a priming event) and `b` (bytes counted);
 * `evm:<session>` a hash with the session's byte count `b` and, per stream, `d:<stream>`,
 * the newest dropped entry; `evo:<session>` the session's streams by last write;
 * `evg` every stream by last write, `evgb` its bytes, `evt` the bytes in all, `evclk` the
 * write counter that orders them.
 * Event ids are `<streamId>.<entry id>`: Redis mints entry ids, so two nodes appending
 * to one stream never collide.
 */
import { EVENT_STORE_DEFAULTS, SESSION_STORE_DEFAULTS, sessionIdOfStream, streamIdOfEvent, type EventStore, type MemoryEventStoreOptions, type StoredMessage } from "@mcpgen/runtime/http";
import type { RedisConnection } from "./connection.js";

/** Fixed cost counted per event besides its JSON, as MemoryEventStore counts it. */
const EVENT_OVERHEAD = 64;

export interface RedisEventStoreOptions extends MemoryEventStoreOptions {
  /** How long a session's events outlive its last append (default: the session TTL, 30 minutes). */
  ttlMs?: number;
}

const APPEND = `
local P, st, sid, msg = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local bytes, ttl = tonumber(ARGV[5]), tonumber(ARGV[6])
local maxEv, maxSB, maxStreams, maxSessB, maxB = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])
local gorder, gbytes, total = P..'evg', P..'evgb', P..'evt'
local function sidOf(s) local i = string.find(s, '.', 1, true); if i then return string.sub(s, 1, i - 1) end; return s end
local function forget(s)
  local b = tonumber(redis.call('HGET', gbytes, s) or '0')
  local sess = sidOf(s)
  -- The GET stream (<session>.0) may be written again: its newest id stays as a tombstone, so a
  -- client resuming from before it is told of the gap. Call streams never come back.
  local last = string.sub(s, -2) == '.0' and redis.call('XINFO', 'STREAM', P..'ev:'..s) or nil
  if last then
    for i = 1, #last, 2 do if last[i] == 'last-generated-id' then redis.call('HSET', P..'evm:'..sess, 'd:'..s, last[i + 1]) end end
  else
    redis.call('HDEL', P..'evm:'..sess, 'd:'..s)
  end
  redis.call('DEL', P..'ev:'..s)
  redis.call('HDEL', gbytes, s)
  redis.call('ZREM', gorder, s)
  redis.call('ZREM', P..'evo:'..sess, s)
  if b ~= 0 then
    redis.call('HINCRBY', P..'evm:'..sess, 'b', -b)
    redis.call('DECRBY', total, b)
  end
end
-- Streams that expired with their session stop counting; the least recently written come
-- first in the order, so looking at its head now and then finds them.
for _, s in ipairs(redis.call('ZRANGE', gorder, 0, 7)) do
  if redis.call('EXISTS', P..'ev:'..s) == 0 then forget(s) end
end
-- Writes are ordered by a counter, not the clock: two in one millisecond keep their order.
local clock = redis.call('INCR', P..'evclk')
local function later(a, b)
  local am, as = string.match(a, '(%d+)-(%d+)')
  local bm, bs = string.match(b, '(%d+)-(%d+)')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am > bm or (am == bm and as > bs)
end
-- The newest dropped id of a stream; never lowered (a newer event may have been too large to keep).
local function markDropped(m, s, id)
  local d = redis.call('HGET', m, 'd:'..s)
  if not d or later(id, d) then redis.call('HSET', m, 'd:'..s, id) end
end
local function dropOldest(s)
  local k = P..'ev:'..s
  local e = redis.call('XRANGE', k, '-', '+', 'COUNT', 1)
  if #e == 0 then return false end
  local id, f = e[1][1], e[1][2]
  local b = 0
  for i = 1, #f, 2 do if f[i] == 'b' then b = tonumber(f[i + 1]) end end
  redis.call('XDEL', k, id)
  local m = P..'evm:'..sidOf(s)
  redis.call('HINCRBY', m, 'b', -b)
  markDropped(m, s, id)
  redis.call('HINCRBY', gbytes, s, -b)
  redis.call('DECRBY', total, b)
  return true
end
local sk, meta, order = P..'ev:'..st, P..'evm:'..sid, P..'evo:'..sid
if not redis.call('ZSCORE', order, st) then
  while redis.call('ZCARD', order) >= maxStreams do forget(redis.call('ZRANGE', order, 0, 0)[1]) end
end
local id = redis.call('XADD', sk, '*', 'm', msg, 'b', bytes)
redis.call('ZADD', order, clock, st)
redis.call('ZADD', gorder, clock, st)
for _, k in ipairs({sk, meta, order, gorder, gbytes, total, P..'evclk'}) do redis.call('PEXPIRE', k, ttl) end
if bytes > maxSB or bytes > maxSessB or bytes > maxB then
  -- Sent live, never kept: its id marks a gap for a client resuming before it.
  redis.call('XDEL', sk, id)
  markDropped(meta, st, id)
  redis.call('PEXPIRE', total, ttl)
  return id
end
redis.call('HINCRBY', meta, 'b', bytes)
redis.call('HINCRBY', gbytes, st, bytes)
redis.call('INCRBY', total, bytes)
while redis.call('XLEN', sk) > maxEv or tonumber(redis.call('HGET', gbytes, st)) > maxSB do
  if not dropOldest(st) then break end
end
local guard = 0
while tonumber(redis.call('HGET', meta, 'b') or '0') > maxSessB and guard < 100000 do
  guard = guard + 1
  local dropped = false
  for _, s in ipairs(redis.call('ZRANGE', order, 0, -1)) do
    if dropOldest(s) then dropped = true; break end
  end
  if not dropped then break end
end
while tonumber(redis.call('GET', total) or '0') > maxB and guard < 200000 do
  guard = guard + 1
  local dropped = false
  for _, s in ipairs(redis.call('ZRANGE', gorder, 0, 63)) do
    if redis.call('EXISTS', P..'ev:'..s) == 0 then forget(s)
    elseif dropOldest(s) then dropped = true; break end
  end
  if not dropped then break end
end
return id
`;

const DROP_SESSION = `
local P, sid = ARGV[1], ARGV[2]
local order, meta = P..'evo:'..sid, P..'evm:'..sid
for _, s in ipairs(redis.call('ZRANGE', order, 0, -1)) do
  local b = tonumber(redis.call('HGET', P..'evgb', s) or '0')
  redis.call('DEL', P..'ev:'..s)
  redis.call('HDEL', P..'evgb', s)
  redis.call('ZREM', P..'evg', s)
  if b ~= 0 then redis.call('DECRBY', P..'evt', b) end
end
redis.call('DEL', order, meta)
if tonumber(redis.call('GET', P..'evt') or '0') <= 0 and redis.call('ZCARD', P..'evg') == 0 then redis.call('DEL', P..'evt', P..'evgb', P..'evg', P..'evclk') end
return 1
`;

/** Stream entry ids `<ms>-<seq>`, compared as numbers. */
function entryBefore(a: string, b: string): boolean {
  const [am, as] = a.split("-").map(Number) as [number, number];
  const [bm, bs] = b.split("-").map(Number) as [number, number];
  return am < bm || (am === bm && as < bs);
}

const ENTRY_ID = /^\d{1,20}-\d{1,20}$/;

export class RedisEventStore implements EventStore {
  private readonly limits: Required<MemoryEventStoreOptions>;
  private readonly ttlMs: number;

  constructor(
    private readonly redis: RedisConnection,
    options: RedisEventStoreOptions = {},
  ) {
    this.limits = { ...EVENT_STORE_DEFAULTS };
    for (const [k, v] of Object.entries(options)) if (v !== undefined && k !== "ttlMs") (this.limits as Record<string, number>)[k] = v;
    this.ttlMs = options.ttlMs ?? SESSION_STORE_DEFAULTS.ttlMs;
  }

  async append(streamId: string, message: StoredMessage | null, serialized?: string): Promise<string> {
    const json = message === null ? "" : (serialized ?? JSON.stringify(message));
    const bytes = (message === null ? 0 : json.length) + EVENT_OVERHEAD;
    const l = this.limits;
    const id = await this.redis.script(APPEND, [
      this.redis.prefix,
      streamId,
      sessionIdOfStream(streamId),
      json,
      bytes,
      this.ttlMs,
      l.maxEventsPerStream,
      l.maxBytesPerStream,
      l.maxStreamsPerSession,
      l.maxBytesPerSession,
      l.maxBytes,
    ]);
    return `${streamId}.${String(id)}`;
  }

  async replayAfter(lastEventId: string, send: (eventId: string, message: StoredMessage) => void): Promise<string | undefined> {
    const streamId = streamIdOfEvent(lastEventId);
    const after = lastEventId.slice(streamId.length + 1);
    if (!ENTRY_ID.test(after)) return undefined;
    const p = this.redis.prefix;
    const [exists, dropped, last, entries] = (await Promise.all([
      this.redis.send(["EXISTS", `${p}ev:${streamId}`]),
      this.redis.send(["HGET", `${p}evm:${sessionIdOfStream(streamId)}`, `d:${streamId}`]),
      this.redis.send(["XREVRANGE", `${p}ev:${streamId}`, "+", "-", "COUNT", 1]),
      this.redis.send(["XRANGE", `${p}ev:${streamId}`, `(${after}`, "+"]),
    ])) as [number, string | null, [string, string[]][], [string, string[]][]];
    if (!exists) return undefined;
    // An id this stream never issued (later than its newest event or drop) is not one of ours.
    const newest = [last[0]?.[0], dropped].filter((x): x is string => typeof x === "string").reduce<string | undefined>((a, b) => (a === undefined || entryBefore(a, b) ? b : a), undefined);
    if (newest === undefined || entryBefore(newest, after)) return undefined;
    // Events after it were dropped (a limit was reached): a replay would skip them.
    if (dropped && entryBefore(after, dropped)) return undefined;
    for (const [id, fields] of entries) {
      const m = fields[fields.indexOf("m") + 1];
      if (m) send(`${streamId}.${id}`, JSON.parse(m) as StoredMessage);
    }
    return streamId;
  }

  async dropSession(sessionId: string): Promise<void> {
    await this.redis.script(DROP_SESSION, [this.redis.prefix, sessionId]);
  }

  /** Bytes of events held in all (their JSON plus a fixed overhead each), for tests and metrics. */
  async byteCount(): Promise<number> {
    return Number((await this.redis.send(["GET", `${this.redis.prefix}evt`])) ?? 0);
  }
}
