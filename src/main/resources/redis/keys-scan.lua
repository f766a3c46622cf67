-- One SCAN step on the node the script runs on, for a walk of the whole keyspace in the background (never on a
-- request path). The caller routes the script to each master of a cluster in turn by KEYS[1], a key of a slot that
-- master serves (it is not read); on a single Redis, any key. See dev.agentmemory.redis.Masters.
--
-- KEYS[1]  a key that routes the script to the node to scan
-- ARGV[1]  the SCAN cursor ("0" to start)    ARGV[2]  the COUNT hint
-- ARGV[3]  the MATCH pattern                 ARGV[4]  the TYPE of the keys wanted (hash, zset, stream, ...)
--
-- Returns { next cursor ("0" when the scan is complete), key, key, ... }.
local reply = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[3], 'COUNT', tonumber(ARGV[2]), 'TYPE', ARGV[4])
local found = { reply[1] }
for _, key in ipairs(reply[2]) do
  found[#found + 1] = key
end
return found
