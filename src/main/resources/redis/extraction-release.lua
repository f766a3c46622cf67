-- Releases a user a worker claimed (extraction-claim.lua), once its jobs of the round are handled:
--   a failure      -> the user is taken again after the retry delay (its later jobs wait with it: a user's
--                     jobs are extracted in order);
--   jobs left      -> the user is ready again at once;
--   none left      -> the user leaves the ready set, but only if no announcement came since the claim (its
--                     version is unchanged): a job saved while the worker drained bumped the version, because
--                     the announcement follows the save, so such a job is never left unannounced.
-- A release by a worker whose claim is no longer the holder (its lease ran out and another worker took the
-- user) changes nothing.
--
-- KEYS[1]  {queue}:ready    KEYS[2]  {queue}:version    KEYS[3]  {queue}:holder    KEYS[4]  {queue}:backlog
-- ARGV[1]  the user            ARGV[2]  the claim token       ARGV[3]  the version at claim time
-- ARGV[4]  jobs left in the user's stream after the round
-- ARGV[5]  retry delay in ms after a failure, 0 when none failed
-- ARGV[6]  delay in ms before a user announced meanwhile may be taken again (the linger)
--
-- Returns 'retry', 'again', 'done' or 'stale'.
local user = ARGV[1]
if redis.call('HGET', KEYS[3], user) ~= ARGV[2] then
  return 'stale'
end
redis.call('HDEL', KEYS[3], user)
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local left, retry = tonumber(ARGV[4]), tonumber(ARGV[5])
if retry > 0 then
  redis.call('ZADD', KEYS[1], now + retry, user)
  redis.call('HSET', KEYS[4], user, left)
  return 'retry'
end
if left > 0 then
  redis.call('ZADD', KEYS[1], now, user)
  redis.call('HSET', KEYS[4], user, left)
  return 'again'
end
if (redis.call('HGET', KEYS[2], user) or '0') == ARGV[3] then
  redis.call('ZREM', KEYS[1], user)
  redis.call('HDEL', KEYS[2], user)
  redis.call('HDEL', KEYS[4], user)
  return 'done'
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[6]), user)
return 'again'
