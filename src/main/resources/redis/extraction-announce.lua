-- Announces users that have extraction jobs: adds each to the queue's ready set, unless it is there already
-- (then its place, or the lease a worker holds on it, is kept), and gives it a new version, so that a worker
-- that is draining the user does not remove it (see extraction-release.lua). Called right after the chat turn's
-- save (session-append.lua), and by the sweep for jobs whose announcement was lost.
--
-- KEYS[1]  {queue}:ready    ZSET user -> epoch ms from which a worker may take the user
-- KEYS[2]  {queue}:version  HASH user -> token of its latest announcement
-- KEYS[3]  {queue}:seq      counter the tokens come from (never reused)
-- KEYS[4]  {queue}:backlog  HASH user -> jobs waiting, as last seen
-- ARGV[1]  delay in ms before a newly ready user may be taken (the linger: later exchanges join its first call)
-- ARGV[2k], ARGV[2k+1]  (k >= 1) a user, and its jobs waiting ("" when unknown)
--
-- Returns the number of users that were not ready before.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local at = now + tonumber(ARGV[1])
local added = 0
for i = 2, #ARGV, 2 do
  local user, jobs = ARGV[i], ARGV[i + 1]
  added = added + redis.call('ZADD', KEYS[1], 'NX', at, user)
  redis.call('HSET', KEYS[2], user, redis.call('INCR', KEYS[3]))
  if jobs ~= '' then
    redis.call('HSET', KEYS[4], user, jobs)
  end
end
return added
