-- Brings a service's cache of one user's vectors (portable backend) up to date, in one round trip: what changed
-- since the version the cache holds, or the whole set when it is small, or word that the cache must read it in pages.
--
-- KEYS[1]  idx:{user}:vstate   HASH model, epoch, version (see memory-write.lua)
-- KEYS[2]  idx:{user}:vlog     STREAM of changed ids, entry ids "<version>-1"
-- KEYS[3]  idx:{user}:v        HASH id -> vector
-- KEYS[4]  idx:{user}:meta     HASH id -> "length createdAt kind"
-- ARGV[1]  the cache's epoch, or "" for none
-- ARGV[2]  the cache's version
-- ARGV[3]  most vectors returned whole (a larger set is read in pages, vector-page.lua)
--
-- Returns {} when the user has no vectors; else { model, epoch, version, mode, ... } where mode is
--   "same"   the cache is current;
--   "delta"  followed by id, vector or false (gone), meta or false, for each id changed since the cache's version;
--   "all"    followed by id, vector, meta for every vector: the cache starts again from these;
--   "page"   the cache must start again and read the vectors in pages.
-- Reads only: it runs on the primary with the writes, so a recall never sees a change later than its own write.
local state = redis.call('HMGET', KEYS[1], 'model', 'epoch', 'version')
local model, epoch, version = state[1], state[2], tonumber(state[3])
if not model then return {} end
local reply = { model, epoch, tostring(version) }
local cached = tonumber(ARGV[2]) or 0

local function whole()
  if redis.call('HLEN', KEYS[3]) > tonumber(ARGV[3]) then
    reply[4] = 'page'
    return reply
  end
  reply[4] = 'all'
  local all = redis.call('HGETALL', KEYS[3])
  for i = 1, #all, 2 do
    reply[#reply + 1] = all[i]
    reply[#reply + 1] = all[i + 1]
    reply[#reply + 1] = redis.call('HGET', KEYS[4], all[i]) or false
  end
  return reply
end

if ARGV[1] ~= epoch or cached > version then return whole() end
if cached == version then
  reply[4] = 'same'
  return reply
end
local changes = redis.call('XRANGE', KEYS[2], (cached + 1) .. '-1', '+', 'COUNT', version - cached)
-- The log is capped: a cache older than its first entry reads everything again.
if #changes == 0 or changes[1][1] ~= (cached + 1) .. '-1' then return whole() end
reply[4] = 'delta'
local seen = {}
for _, change in ipairs(changes) do
  local member = change[2][2]
  if not seen[member] then
    seen[member] = true
    reply[#reply + 1] = member
    reply[#reply + 1] = redis.call('HGET', KEYS[3], member) or false
    reply[#reply + 1] = redis.call('HGET', KEYS[4], member) or false
  end
end
return reply
