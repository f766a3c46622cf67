-- One page of a user's memories that have no vector of the current model, for the backfill (VectorBackfill):
-- memories stored before vectors existed, while no model was loaded or configured, or by another model.
--
-- KEYS[1]  the user's content-hash map, idx:{user}:hash (content hash -> id): every memory of the user is in it
-- KEYS[2]  the user's generation, gen:{user}
-- ARGV[1]  the user's memory key prefix, mem:{user}:
-- ARGV[2]  portable index key prefix idx:{user}: , or "" when the Query Engine indexes the HASH itself
-- ARGV[3]  the current model's id (portable: the user's vectors are of that model when idx:{user}:vstate says so)
-- ARGV[4]  the Query Engine's HASH field for the current model's vectors (v_<sha>); unused by the portable index
-- ARGV[5]  HSCAN cursor of KEYS[1] ("0" to start)    ARGV[6]  HSCAN COUNT
--
-- A portable user whose every indexed memory has a vector of the model is answered at once, without a walk.
-- A memory is listed once per walk: under the content hash its HASH holds (an entry left behind by an older
-- content, or pointing at a deleted memory, is skipped).
--
-- Returns { next cursor ("0" when done), the user's generation or "" (none yet), id, text, id, text, ... }.
local page = redis.call('HSCAN', KEYS[1], ARGV[5], 'COUNT', tonumber(ARGV[6]))
local reply = { page[1], redis.call('GET', KEYS[2]) or '' }
local prefix, model, field = ARGV[2], ARGV[3], ARGV[4]
local same_model = prefix ~= '' and redis.call('HGET', prefix .. 'vstate', 'model') == model
-- Portable: a vector exists only for an indexed memory (meta), so as many vectors of the model as indexed memories
-- means none is missing; the walk ends at once (the common case once the backfill is done).
if same_model and redis.call('HLEN', prefix .. 'v') >= redis.call('HLEN', prefix .. 'meta') then
  reply[1] = '0'
  return reply
end
local entries = page[2]
for i = 1, #entries, 2 do
  local hash, id = entries[i], entries[i + 1]
  local memory = ARGV[1] .. id
  local stored = redis.call('HMGET', memory, 'text', 'hash')
  if stored[1] and stored[2] == hash then
    local has_vector
    if prefix == '' then
      has_vector = redis.call('HEXISTS', memory, field) == 1
    else
      has_vector = same_model and redis.call('HEXISTS', prefix .. 'v', id) == 1
    end
    if not has_vector then
      reply[#reply + 1] = id
      reply[#reply + 1] = stored[1]
    end
  end
end
return reply
