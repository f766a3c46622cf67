-- Appends messages to a session, trims it to the cap and restarts its TTL, as one atomic step:
-- concurrent appends to one session can interleave but never lose or reorder each other's messages.
-- Also records the session in the user's session registry (scored by the session's expiry, so forgetting the
-- user needs no SCAN and the registry lists no session long after it expired) and, for a chat turn or an append
-- that asks for extraction, adds the extraction jobs to the user's job stream in the same step: the history and
-- its jobs exist together or not at all. All keys share the user's hash tag (one Redis Cluster slot).
--
-- Nothing is written while the user is being forgotten, nor for a chat turn that began before the user was
-- forgotten, nor for an append with extraction whose generation is no longer the user's (see user-generation.lua): the script then answers the error ERASED.
--
-- KEYS[1]  the session LIST (chat:{user}:session)
-- KEYS[2]  the user's session registry ZSET (sessions:{user}): session id -> expiry (epoch ms); a SET written
--          by earlier versions is converted
-- KEYS[3]  the user's generation (gen:{user})
-- KEYS[4]  optional: the user's extraction job stream (jobs:{user})
-- KEYS[5]  optional, with KEYS[4]: a receipt of the write, a HASH its caller keeps (a chat turn's Idempotency-Key
--          record, turn:{user}:<session>:<key>), written in the same step: a retry finds the reply exactly when
--          the exchange was saved. The write is refused (error HELD) when another attempt holds the receipt.
-- KEYS[6]  with KEYS[5]: the registry of such receipts (turns:{user}, a ZSET member -> expiry), so that
--          forgetting the user finds them
-- ARGV[1]  history cap: how many of the newest messages to keep (>= 1)
-- ARGV[2]  TTL in milliseconds
-- ARGV[3]  the session id
-- ARGV[4]  n, the number of messages
-- ARGV[5]  the user's generation the write belongs to (a chat turn's), or "" for a write begun now
-- ARGV[6 .. 5+n]  the messages to append, as JSON, oldest first
-- ARGV[6+n]       w, the number of values of one job (its field/value pairs, two per field); 0 without KEYS[4]
-- ARGV[7+n]       j, the number of jobs; 0 without KEYS[4]
-- ARGV[8+n .. 7+n+w*j]  the jobs, oldest first, w values each
-- with KEYS[5]: ARGV[8+n+w*j] the attempt's holder token, then how long the receipt is kept (ms), its member in
--               the registry, and its field/value pairs to the end
--
-- Returns { number of messages the session holds afterwards, jobs in the job stream afterwards or false }.
local cap, ttl, n = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[4])
local width, count = tonumber(ARGV[6 + n]), tonumber(ARGV[7 + n])
local receipt = 8 + n + width * count
local generation = redis.call('GET', KEYS[3])
if generation == 'forgetting' or (ARGV[5] ~= '' and generation ~= ARGV[5]) then
  return redis.error_reply('ERASED the user was forgotten; nothing was written')
end
if KEYS[5] then
  local holder = redis.call('HGET', KEYS[5], 'holder')
  if holder and holder ~= ARGV[receipt] then
    return redis.error_reply('HELD another attempt holds this turn; nothing was written')
  end
end
redis.call('RPUSH', KEYS[1], unpack(ARGV, 6, 5 + n))
redis.call('LTRIM', KEYS[1], -cap, -1)
redis.call('PEXPIRE', KEYS[1], ttl)

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local registry = KEYS[2]
if redis.call('TYPE', registry).ok == 'set' then
  local ids = redis.call('SMEMBERS', registry)
  redis.call('DEL', registry)
  for _, id in ipairs(ids) do
    redis.call('ZADD', registry, now + ttl, id)
  end
end
redis.call('ZADD', registry, now + ttl, ARGV[3])
redis.call('ZREMRANGEBYSCORE', registry, '-inf', now)
local newest = redis.call('ZRANGE', registry, -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', registry, newest[2])

local jobs = false
if KEYS[4] then
  for first = 8 + n, receipt - 1, width do
    redis.call('XADD', KEYS[4], '*', unpack(ARGV, first, first + width - 1))
  end
  jobs = redis.call('XLEN', KEYS[4])
end
if KEYS[5] then
  redis.call('DEL', KEYS[5])
  redis.call('HSET', KEYS[5], 'holder', ARGV[receipt], unpack(ARGV, receipt + 3))
  redis.call('PEXPIRE', KEYS[5], ARGV[receipt + 1])
  redis.call('ZADD', KEYS[6], now + tonumber(ARGV[receipt + 1]), ARGV[receipt + 2])
  redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now)
  local latest = redis.call('ZRANGE', KEYS[6], -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', KEYS[6], latest[2])
end
return { redis.call('LLEN', KEYS[1]), jobs }
