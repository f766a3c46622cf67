-- Gives up on one extraction job: copies it to the dead-letter stream with its last error and the number of
-- attempts, and removes it from the job stream and the group's pending list, as one atomic step, so a job is
-- always in exactly one of the two streams.
--
-- KEYS[1]  the job stream
-- KEYS[2]  the dead-letter stream
-- ARGV[1]  the consumer group
-- ARGV[2]  the job's entry id
-- ARGV[3]  attempts made
-- ARGV[4]  the last error
--
-- Returns the dead-letter entry id, or false when the job was no longer in the stream (another worker has
-- finished it meanwhile); it is acknowledged either way.
local entries = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
if #entries == 0 then
  return false
end
local fields = entries[1][2]
table.insert(fields, 'jobId')
table.insert(fields, ARGV[2])
table.insert(fields, 'attempts')
table.insert(fields, ARGV[3])
table.insert(fields, 'error')
table.insert(fields, ARGV[4])
local id = redis.call('XADD', KEYS[2], '*', unpack(fields))
redis.call('XDEL', KEYS[1], ARGV[2])
return id
