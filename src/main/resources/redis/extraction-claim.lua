-- Claims ready users for one worker: the users whose time has come, oldest first, are held for the lease (their
-- score moves to the lease's end, so no other worker takes them meanwhile, and a worker that dies leaves them
-- to be taken again once it ends).
--
-- KEYS[1]  {queue}:ready    ZSET user -> epoch ms from which a worker may take the user
-- KEYS[2]  {queue}:version  HASH user -> token of its latest announcement
-- KEYS[3]  {queue}:holder   HASH user -> token of the claim holding it
-- KEYS[4]  {queue}:seq      counter the tokens come from
-- ARGV[1]  most users to claim
-- ARGV[2]  lease in ms
--
-- Returns { user, version at claim time ("0" when none), claim token, ... }.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local users = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local claimed = {}
for _, user in ipairs(users) do
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), user)
  local token = redis.call('INCR', KEYS[4])
  redis.call('HSET', KEYS[3], user, token)
  table.insert(claimed, user)
  table.insert(claimed, redis.call('HGET', KEYS[2], user) or '0')
  table.insert(claimed, token)
end
return claimed
