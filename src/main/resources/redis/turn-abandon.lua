-- Abandons a chat turn that failed before its exchange was saved (the LLM failed, the client left a stream):
-- its record goes, if this attempt still holds it, so that a retry with the same Idempotency-Key runs the turn.
--
-- KEYS[1]  the turn's record (turn:{user}:<session>:<key>)    KEYS[2]  the user's registry of turn records
-- ARGV[1]  the attempt's holder token    ARGV[2]  the record's member in the registry
--
-- Returns 1 when the record was removed, else 0.
if redis.call('HGET', KEYS[1], 'holder') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'state') ~= 'running' then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
