-- Reads a session and its remaining lifetime in one round trip.
--
-- KEYS[1]  the session LIST (chat:{user}:session)
--
-- Returns { remaining TTL in milliseconds (-2 when the session does not exist), messages as JSON... }.
local ttl = redis.call('PTTL', KEYS[1])
local messages = redis.call('LRANGE', KEYS[1], 0, -1)
table.insert(messages, 1, ttl)
return messages
