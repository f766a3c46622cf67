-- Appends messages to a session, trims it to the cap and restarts its TTL, as one atomic step:
-- concurrent appends to one session can interleave but never lose or reorder each other's messages.
-- Also records the session id in the user's session registry, so forgetting the user needs no SCAN, and,
-- for a chat turn, enqueues the extraction job in the same step: the history and the job exist together or
-- not at all.
--
-- KEYS[1]  the session LIST (chat:{user}:session)
-- KEYS[2]  the user's session registry SET (sessions:{user})
-- KEYS[3]  optional: the extraction job stream
-- ARGV[1]  history cap: how many of the newest messages to keep (>= 1)
-- ARGV[2]  TTL in milliseconds
-- ARGV[3]  the session id
-- ARGV[4]  n, the number of messages
-- ARGV[5 .. 4+n]  the messages to append, as JSON, oldest first
-- ARGV[5+n ..]    with KEYS[3]: the job's field/value pairs
--
-- Returns { number of messages the session holds afterwards, job stream entry id or false }.
local cap, n = tonumber(ARGV[1]), tonumber(ARGV[4])
redis.call('RPUSH', KEYS[1], unpack(ARGV, 5, 4 + n))
redis.call('LTRIM', KEYS[1], -cap, -1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
local job = false
if KEYS[3] then
  job = redis.call('XADD', KEYS[3], '*', unpack(ARGV, 5 + n))
end
return { redis.call('LLEN', KEYS[1]), job }
