-- One step of the sweep, on the node the script runs on: a SCAN of that node's keys for users' job streams
-- (jobs:{user}, whose users are announced again) and dead-letter streams (jobs:{user}:dead, counted for the
-- metric). The caller routes the script to each master of a cluster in turn by KEYS[1], a key of a slot that
-- master serves (it is not read); on a single Redis, any key.
--
-- KEYS[1]  a key that routes the script to the node to scan
-- ARGV[1]  the SCAN cursor ("0" to start)    ARGV[2]  the COUNT hint    ARGV[3]  the MATCH pattern (jobs:{*)
--
-- Returns { next cursor ("0" when the scan is complete), dead letters in the streams found, job stream keys ... }.
local reply = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[3], 'COUNT', tonumber(ARGV[2]), 'TYPE', 'stream')
local found = { reply[1], 0 }
for _, key in ipairs(reply[2]) do
  if string.sub(key, -1) == '}' then
    table.insert(found, key)
  elseif string.sub(key, -6) == '}:dead' then
    found[2] = found[2] + redis.call('XLEN', key)
  end
end
return found
