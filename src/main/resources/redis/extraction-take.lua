-- Takes the oldest jobs of one user for a worker that holds the user (extraction-claim.lua), counting an
-- attempt for each: a job that makes workers crash still reaches its last attempt and the dead letters.
--
-- KEYS[1]  the user's job stream      jobs:{user}
-- KEYS[2]  the user's attempts        jobs:{user}:tries   HASH job id -> attempts
-- ARGV[1]  most jobs to take
--
-- Returns { jobs in the stream, then for each job taken: its id, its attempt (1 the first time), its fields }.
local entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', tonumber(ARGV[1]))
local taken = { redis.call('XLEN', KEYS[1]) }
for _, entry in ipairs(entries) do
  table.insert(taken, entry[1])
  table.insert(taken, redis.call('HINCRBY', KEYS[2], entry[1], 1))
  table.insert(taken, entry[2])
end
return taken
