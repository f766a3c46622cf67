-- Forgets every session of a user, through the session registry (no SCAN), the registry itself, the records of
-- the user's chat turns (their Idempotency-Key receipts) through theirs, and other keys of the user in the same
-- step (the extraction jobs made from the user's chat turns).
--
-- KEYS[1]  the user's session registry (sessions:{user}): a ZSET, or a SET written by earlier versions
-- KEYS[2]  the user's registry of turn records (turns:{user}): a ZSET of <session>:<key> members
-- KEYS[3..] more keys of the user to delete (jobs:{user}, jobs:{user}:tries, jobs:{user}:dead)
-- ARGV[1]  what the user's session keys start with (chat:{user}:)
-- ARGV[2]  what the user's turn records start with (turn:{user}:)
-- All these keys share the registry's hash tag, so they are in its Redis Cluster slot.
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
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  redis.call('DEL', ARGV[2] .. member)
end
redis.call('DEL', unpack(KEYS))
return deleted
