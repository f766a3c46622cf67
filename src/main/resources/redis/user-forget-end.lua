-- The last step of forgetting a user: removes the "forgetting" mark (see user-generation.lua) that refused every
-- write for the user while the forget ran. Anything that read the user's generation before the forget holds a
-- token that no longer exists and stays refused; a write that starts now begins a new generation.
--
-- KEYS[1]  the user's generation (gen:{user})
--
-- Returns 1 when the mark was removed, 0 when it was gone (it expired, or another forget removed it).
if redis.call('GET', KEYS[1]) == 'forgetting' then
  return redis.call('DEL', KEYS[1])
end
return 0
