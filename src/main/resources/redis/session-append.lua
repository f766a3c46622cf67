-- Appends messages to a session, trims it to the cap and restarts its TTL, as one atomic step:
-- concurrent appends to one session can interleave but never lose or reorder each other's messages.
-- Also records the session id in the user's session registry, so forgetting the user needs no SCAN.
--
-- KEYS[1]  the session LIST (chat:{user}:session)
-- KEYS[2]  the user's session registry SET (sessions:{user})
-- ARGV[1]  history cap: how many of the newest messages to keep (>= 1)
-- ARGV[2]  TTL in milliseconds
-- ARGV[3]  the session id
-- ARGV[4..] the messages to append, as JSON, oldest first
--
-- Returns the number of messages the session holds afterwards.
local cap = tonumber(ARGV[1])
redis.call('RPUSH', KEYS[1], unpack(ARGV, 4))
redis.call('LTRIM', KEYS[1], -cap, -1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return redis.call('LLEN', KEYS[1])
