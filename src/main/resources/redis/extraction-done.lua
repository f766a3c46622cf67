-- Finishes jobs of one user: deletes them and their attempt counts in one step (nothing is left behind by a
-- crash between an acknowledgement and a delete). An emptied stream is deleted with its attempts, so a user
-- with nothing to do has no queue key.
--
-- KEYS[1]  the user's job stream      jobs:{user}
-- KEYS[2]  the user's attempts        jobs:{user}:tries
-- ARGV     the ids of the jobs done
--
-- Returns the number of jobs left in the stream.
redis.call('XDEL', KEYS[1], unpack(ARGV))
redis.call('HDEL', KEYS[2], unpack(ARGV))
local left = redis.call('XLEN', KEYS[1])
if left == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
end
return left
