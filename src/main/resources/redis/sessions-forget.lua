-- Forgets every session of a user, through the session registry (no SCAN), the registry itself, and other keys
-- of the user in the same step (the extraction jobs made from the user's chat turns).
--
-- KEYS[1]  the user's session registry (sessions:{user}): a ZSET, or a SET written by earlier versions
-- KEYS[2..] more keys of the user to delete (jobs:{user}, jobs:{user}:tries, jobs:{user}:dead)
-- ARGV[1]  what the user's session keys start with (chat:{user}:); the session keys share the registry's
--          hash tag, so they are in its Redis Cluster slot
--
-- Returns the number of session keys deleted.
local kind = redis.call('TYPE', KEYS[1]).ok
local ids = {}
if kind == 'zset' then
  ids = redis.call('ZRANGE', KEYS[1], 0, -1)
elseif kind == 'set' then
  ids = redis.call('SMEMBERS', KEYS[1])
end
local deleted = 0
for _, id in ipairs(ids) do
  deleted = deleted + redis.call('DEL', ARGV[1] .. id)
end
redis.call('DEL', unpack(KEYS))
return deleted
