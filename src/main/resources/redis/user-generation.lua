-- The user's generation: a random token that a chat turn reads before it calls the LLM, and that the exchange it
-- saves, the extraction job saved with it and the facts that job yields must all still find when they are written
-- (session-append.lua, memory-write.lua). Forgetting the user replaces it with "forgetting" and then deletes it, so
-- nothing begun before the forget can write afterwards, and a user who comes back gets a new one. Made on first
-- use; it has no TTL, since a job may wait for a worker for as long as it likes.
--
-- KEYS[1]  the user's generation (gen:{user})
-- ARGV[1]  a new random token, kept when the user has none
--
-- Returns the user's generation: its token, or "forgetting" while the user is being forgotten.
local current = redis.call('GET', KEYS[1])
if current then
  return current
end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
