-- The queue's figures for metrics, in one read of its shared keys.
--
-- KEYS[1]  {queue}:ready    KEYS[2]  {queue}:backlog
-- KEYS[3]  {queue}:dead-letters   dead letters held: counted by the last complete sweep, plus those added
--          since
--
-- Returns { users waiting, jobs waiting (as last seen), score of the oldest ready user or false,
--           dead letters held }.
local backlog = 0
for _, jobs in ipairs(redis.call('HVALS', KEYS[2])) do
  backlog = backlog + (tonumber(jobs) or 0)
end
local dead = tonumber(redis.call('GET', KEYS[3]) or '0')
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return { redis.call('ZCARD', KEYS[1]), backlog, oldest[2] or false, dead }
