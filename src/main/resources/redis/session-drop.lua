-- Forgets one session: its messages and its entry in the user's session registry, in one step.
--
-- KEYS[1]  the session LIST (chat:{user}:session)
-- KEYS[2]  the user's session registry (sessions:{user}): a ZSET, or a SET written by earlier versions
-- ARGV[1]  the session id
--
-- Returns 1 when the session existed, else 0.
local existed = redis.call('DEL', KEYS[1])
local kind = redis.call('TYPE', KEYS[2]).ok
if kind == 'zset' then
  redis.call('ZREM', KEYS[2], ARGV[1])
elseif kind == 'set' then
  redis.call('SREM', KEYS[2], ARGV[1])
end
return existed
