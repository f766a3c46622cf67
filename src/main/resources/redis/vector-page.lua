-- One page of a user's vectors (portable backend), for a service that reads a large set whole (vector-sync.lua
-- answered "page"). The service notes the version first and applies the changes since once it has every page, so
-- a write during the reading is not lost.
--
-- KEYS[1]  idx:{user}:v        HASH id -> vector
-- KEYS[2]  idx:{user}:meta     HASH id -> "length createdAt kind"
-- ARGV[1]  HSCAN cursor ("0" to start)
-- ARGV[2]  HSCAN COUNT
--
-- Returns { next cursor ("0" when done), id, vector, meta or false, ... }.
local page = redis.call('HSCAN', KEYS[1], ARGV[1], 'COUNT', ARGV[2])
local reply = { page[1] }
local entries = page[2]
for i = 1, #entries, 2 do
  reply[#reply + 1] = entries[i]
  reply[#reply + 1] = entries[i + 1]
  reply[#reply + 1] = redis.call('HGET', KEYS[2], entries[i]) or false
end
return reply
