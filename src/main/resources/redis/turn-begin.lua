-- Begins a chat turn sent with an Idempotency-Key, or answers the turn already begun with that key: the record
-- (a HASH) is created as running, held by this attempt for a lease, unless it exists. A retry then finds the
-- first attempt's reply (done), or that it is still running.
--
-- KEYS[1]  the turn's record     turn:{user}:<session>:<key>   HASH state, holder, request, reply, memories
-- KEYS[2]  the user's registry of turn records   turns:{user}   ZSET member -> expiry (epoch ms), so that
--          forgetting the user finds them (no SCAN); trimmed here
-- KEYS[3]  the user's generation (gen:{user}): nothing is written while the user is being forgotten
-- ARGV[1]  this attempt's holder token     ARGV[2]  the request's hash
-- ARGV[3]  the lease in ms (how long a running record is held before another attempt may begin again)
-- ARGV[4]  the record's member in the registry (<session>:<key>)
-- ARGV[5]  how long a finished record is kept, in ms (the registry entry lasts as long)
--
-- Returns { 'begun' } when this attempt holds the turn; else { state, request hash, reply, memories JSON } of
-- the record found (reply and memories empty while running). Error ERASED while the user is being forgotten.
if redis.call('GET', KEYS[3]) == 'forgetting' then
  return redis.error_reply('ERASED the user is being forgotten; nothing was written')
end
local found = redis.call('HMGET', KEYS[1], 'state', 'request', 'reply', 'memories')
if found[1] then
  return { found[1], found[2] or '', found[3] or '', found[4] or '' }
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('HSET', KEYS[1], 'state', 'running', 'holder', ARGV[1], 'request', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local newest = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[2], newest[2])
return { 'begun' }
