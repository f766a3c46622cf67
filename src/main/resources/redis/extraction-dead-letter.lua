-- Gives up on one extraction job: copies it to the user's dead-letter stream with its last error and the
-- number of attempts, and removes it from the job stream with its attempt count, as one atomic step, so a job
-- is always in exactly one of the two streams. The dead-letter stream keeps the newest ARGV[4] entries.
--
-- KEYS[1]  the user's job stream      jobs:{user}
-- KEYS[2]  the user's attempts        jobs:{user}:tries
-- KEYS[3]  the user's dead letters    jobs:{user}:dead
-- ARGV[1]  the job id    ARGV[2]  attempts made    ARGV[3]  the last error    ARGV[4]  dead letters kept
--
-- Returns { how many more dead letters the user holds (1, or 0 when the cap trimmed one), jobs left in the job
-- stream }, or false when the job was no longer in the stream (another worker finished it meanwhile).
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if #entries == 0 then
  return false
end
local fields = entries[1][2]
table.insert(fields, 'jobId')
table.insert(fields, ARGV[1])
table.insert(fields, 'attempts')
table.insert(fields, ARGV[2])
table.insert(fields, 'error')
table.insert(fields, ARGV[3])
local held = redis.call('XLEN', KEYS[3])
redis.call('XADD', KEYS[3], 'MAXLEN', tonumber(ARGV[4]), '*', unpack(fields))
redis.call('XDEL', KEYS[1], ARGV[1])
local left = redis.call('XLEN', KEYS[1])
if left == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
end
return { redis.call('XLEN', KEYS[3]) - held, left }
