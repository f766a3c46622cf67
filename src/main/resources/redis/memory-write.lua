-- Writes one long-term memory and, for the portable backend, its index entries, as one atomic step.
--
-- KEYS[1]  the memory HASH, mem:{user}:<id>
-- KEYS[2]  the user's content-hash map, idx:{user}:hash (content hash -> id), used by dedupe
-- KEYS[3]  the user's generation, gen:{user} (see user-generation.lua)
-- ARGV[1]  operation: store | update | delete | vector
-- ARGV[2]  portable index key prefix idx:{user}: , or "" when the Query Engine indexes the HASH itself
-- ARGV[3]  the memory id
-- store and update only:
-- ARGV[4]  content hash       ARGV[5]  createdAt (epoch ms)      ARGV[6]  kind
-- ARGV[7]  analysed terms, space separated, repeats included (term frequency)
-- ARGV[8]  the user's generation the write belongs to (an extraction job's), or "" for a write begun now
-- ARGV[9]  the memory's vector, hex-encoded, or "" when there is none (no model ready): see "Vectors" below
-- ARGV[10] vector header "<model> <epoch> <change log cap> <field>"
-- ARGV[11..] HASH field/value pairs to write
-- delete only:
-- ARGV[4]  change log cap (portable)
-- vector only (the backfill: a vector for a memory stored without one of the current model):
-- ARGV[4]  the text the vector was made from      ARGV[8], ARGV[9], ARGV[10] as above
--
-- A store, update or vector writes nothing while the user is being forgotten, nor for an extraction job saved before the
-- user was forgotten (its generation is gone): the script then answers the error ERASED. A delete always runs.
--
-- Vectors. Query Engine: the vector (FLOAT32, little-endian) is a HASH field named <field>, written in the same
-- HSET as the rest; the FT index has a VECTOR field of that name. Portable: the vector (a float32 scale, then one
-- signed byte per dimension) goes to idx:{user}:v (id -> vector); idx:{user}:vstate holds the model that made the
-- user's vectors, an epoch (a random token, new whenever the vector space is started) and a version bumped on every
-- change of a vector or of what the services cache beside it (kind, createdAt); idx:{user}:vlog is a capped stream
-- of the changed ids, with entry ids "<version>-1", from which a service's cache catches up (vector-sync.lua).
-- A vector of another model than the user's starts the space again: the old vectors go (the backfill makes new
-- ones), so vectors of two models are never compared. An update without a vector keeps the old one when the text is
-- the same (and logs the change: the kind may differ), and drops it when the text changed.
--
-- The HASH also gets a "terms" field (ARGV[7]): the Query Engine indexes it (NOSTEM, no stop words), the
-- portable index reads it back to remove postings.
--
-- The index keys (idx:{user}:t:<term> postings ZSETs, term -> id scored by term frequency; idx:{user}:meta
-- id -> "length createdAt kind"; idx:{user}:recent and idx:{user}:k:<kind> ZSETs by createdAt;
-- idx:{user}:stats docs/length/seq; the bitmaps below) are derived from ARGV[2]. They share the user's hash tag
-- with KEYS[1], so they live in the same Redis Cluster slot and the script stays legal on a cluster.
--
-- Bitmaps, for the search script to intersect two frequent terms without walking their postings: every indexed
-- memory has a number (idx:{user}:num id -> n, idx:{user}:doc n -> id; numbers come from stats "seq", in the
-- order memories are stored, and are not reused), and a term with at least BITMAP_MIN postings and at least one
-- per BITMAP_SPAN numbers handed out gets idx:{user}:b:<term>, bit n set for each memory n holding it. The
-- bitmap (seq / 8 bytes, at most 32 per posting) then costs a fraction of its postings ZSET. Once it exists it
-- is kept exact with the postings (the search trusts it) until the term has no postings left. Memories stored
-- before bitmaps existed get their number when a bitmap of one of their terms is first built.
--
-- Returns: store  -> { id, 1 } when stored, { existing id, 0 } when a memory with the same content hash exists
--          update -> 1 when updated, 0 when the memory does not exist, or the id of another memory that has the
--                    new content hash (nothing is changed then)
--          delete -> 1 when deleted, 0 when the memory did not exist
--          vector -> 1 when written, 0 when the memory does not exist (deleted, forgotten) or its text is no longer
--                    ARGV[4] (updated since): a vector never brings a memory back, nor describes another text
local op, prefix, id = ARGV[1], ARGV[2], ARGV[3]
local memory, hashes = KEYS[1], KEYS[2]
local GENERATION, VECTOR, HEADER, FIELDS = 8, 9, 10, 11

if op ~= 'delete' then
  local generation = redis.call('GET', KEYS[3])
  if generation == 'forgetting' or (ARGV[GENERATION] ~= '' and generation ~= ARGV[GENERATION]) then
    return redis.error_reply('ERASED the user was forgotten; nothing was written')
  end
end

local BITMAP_MIN, BITMAP_SPAN = 128, 256

-- The memory's number, handed out from stats "seq" when it has none yet.
local function number_of(member)
  local n = redis.call('HGET', prefix .. 'num', member)
  if n then return n end
  n = redis.call('HINCRBY', prefix .. 'stats', 'seq', 1)
  redis.call('HSET', prefix .. 'num', member, n)
  redis.call('HSET', prefix .. 'doc', n, member)
  return n
end

-- removing: true when the memory goes for good (delete), false when it is re-indexed (update: it keeps its number).
local function unindex(removing)
  local meta = redis.call('HGET', prefix .. 'meta', id)
  if not meta then return end
  local length, _, kind = string.match(meta, '^(%d+) (%-?%d+) (.*)$')
  local terms = redis.call('HGET', memory, 'terms') or ''
  local n = redis.call('HGET', prefix .. 'num', id)
  for term in string.gmatch(terms, '%S+') do
    local postings = prefix .. 't:' .. term
    if redis.call('ZREM', postings, id) == 1 and n then
      local bitmap = prefix .. 'b:' .. term
      if redis.call('ZCARD', postings) == 0 then
        redis.call('DEL', bitmap)
      elseif redis.call('EXISTS', bitmap) == 1 then
        redis.call('SETBIT', bitmap, n, 0)
      end
    end
  end
  if removing and n then
    redis.call('HDEL', prefix .. 'num', id)
    redis.call('HDEL', prefix .. 'doc', n)
  end
  redis.call('HDEL', prefix .. 'meta', id)
  redis.call('ZREM', prefix .. 'recent', id)
  redis.call('ZREM', prefix .. 'k:' .. kind, id)
  local docs = redis.call('HINCRBY', prefix .. 'stats', 'docs', -1)
  redis.call('HINCRBY', prefix .. 'stats', 'length', -tonumber(length))
  if docs <= 0 then
    -- The last memory: the stats go, but the numbers' sequence stays while a memory keeps its number (update).
    if redis.call('EXISTS', prefix .. 'num') == 1 then
      redis.call('HDEL', prefix .. 'stats', 'docs', 'length')
    else
      redis.call('DEL', prefix .. 'stats')
    end
  end
end

local function index(created, kind, terms)
  local frequencies, length = {}, 0
  for term in string.gmatch(terms, '%S+') do
    frequencies[term] = (frequencies[term] or 0) + 1
    length = length + 1
  end
  local n = number_of(id)
  local seq = tonumber(redis.call('HGET', prefix .. 'stats', 'seq')) or tonumber(n)
  for term, frequency in pairs(frequencies) do
    local postings, bitmap = prefix .. 't:' .. term, prefix .. 'b:' .. term
    redis.call('ZADD', postings, frequency, id)
    if redis.call('EXISTS', bitmap) == 1 then
      redis.call('SETBIT', bitmap, n, 1)
    else
      local df = redis.call('ZCARD', postings)
      if df >= BITMAP_MIN and df * BITMAP_SPAN >= seq then
        for _, member in ipairs(redis.call('ZRANGE', postings, 0, -1)) do
          redis.call('SETBIT', bitmap, number_of(member), 1)
        end
      end
    end
  end
  redis.call('HSET', prefix .. 'meta', id, length .. ' ' .. created .. ' ' .. kind)
  redis.call('ZADD', prefix .. 'recent', created, id)
  redis.call('ZADD', prefix .. 'k:' .. kind, created, id)
  redis.call('HINCRBY', prefix .. 'stats', 'docs', 1)
  redis.call('HINCRBY', prefix .. 'stats', 'length', length)
end

local function unhex(hex)
  return (string.gsub(hex, '..', function(pair) return string.char(tonumber(pair, 16)) end))
end

-- Portable vectors: record that the cached state of `member` changed.
local function log_change(member, cap)
  local version = redis.call('HINCRBY', prefix .. 'vstate', 'version', 1)
  redis.call('XADD', prefix .. 'vlog', 'MAXLEN', '~', cap, version .. '-1', 'id', member)
end

local function set_vector(vector, model, epoch, cap)
  if redis.call('HGET', prefix .. 'vstate', 'model') ~= model then
    redis.call('DEL', prefix .. 'v', prefix .. 'vlog')
    redis.call('HSET', prefix .. 'vstate', 'model', model, 'epoch', epoch, 'version', 0)
  end
  redis.call('HSET', prefix .. 'v', id, unhex(vector))
  log_change(id, cap)
end

local function drop_vector(cap)
  if redis.call('HDEL', prefix .. 'v', id) == 1 then log_change(id, cap) end
end

-- same_text: an update whose text (content hash) did not change.
local function write_vector(same_text)
  local vector = ARGV[VECTOR]
  local model, epoch, cap = string.match(ARGV[HEADER], '^(%S+) (%S+) (%d+)')
  if prefix == '' then return end
  if vector ~= '' then
    set_vector(vector, model, epoch, cap)
  elseif same_text and redis.call('HEXISTS', prefix .. 'v', id) == 1 then
    log_change(id, cap)
  else
    drop_vector(cap)
  end
end

-- The HASH fields to write: the given pairs, the Query Engine's vector field when there is a vector.
local function fields(terms)
  local all = { 'terms', terms }
  for i = FIELDS, #ARGV do all[#all + 1] = ARGV[i] end
  local field = string.match(ARGV[HEADER], '^%S+ %S+ %d+ (%S+)$')
  if prefix == '' and ARGV[VECTOR] ~= '' and field then
    all[#all + 1] = field
    all[#all + 1] = unhex(ARGV[VECTOR])
  end
  return all
end

local function write(hash, created, kind, terms, same_text)
  -- One HSET: the Query Engine re-indexes a HASH on every write, and a second write would leave a
  -- deleted copy of the document in its index until its garbage collector runs, skewing BM25.
  if prefix == '' and ARGV[VECTOR] == '' and not same_text then
    local field = string.match(ARGV[HEADER], '^%S+ %S+ %d+ (%S+)$')
    if field then redis.call('HDEL', memory, field) end
  end
  redis.call('HSET', memory, unpack(fields(terms)))
  redis.call('HSET', hashes, hash, id)
  if prefix ~= '' then
    index(created, kind, terms)
    write_vector(same_text)
  end
end

if op == 'store' then
  local hash = ARGV[4]
  local existing = redis.call('HGET', hashes, hash)
  if existing and redis.call('EXISTS', string.gsub(memory, '[^:]*$', '') .. existing) == 1 then
    return { existing, 0 }
  end
  write(hash, ARGV[5], ARGV[6], ARGV[7], false)
  return { id, 1 }
end

if op == 'vector' then
  if redis.call('HGET', memory, 'text') ~= ARGV[4] then return 0 end
  if prefix == '' then
    local field = string.match(ARGV[HEADER], '^%S+ %S+ %d+ (%S+)$')
    redis.call('HSET', memory, field, unhex(ARGV[VECTOR]))
  else
    local model, epoch, cap = string.match(ARGV[HEADER], '^(%S+) (%S+) (%d+)')
    set_vector(ARGV[VECTOR], model, epoch, cap)
  end
  return 1
end

if redis.call('EXISTS', memory) == 0 then return 0 end
if op == 'update' then
  local other = redis.call('HGET', hashes, ARGV[4])
  if other and other ~= id and redis.call('EXISTS', string.gsub(memory, '[^:]*$', '') .. other) == 1 then
    return other
  end
end
local old_hash = redis.call('HGET', memory, 'hash')
if prefix ~= '' then unindex(op == 'delete') end
if old_hash and redis.call('HGET', hashes, old_hash) == id then redis.call('HDEL', hashes, old_hash) end

if op == 'update' then
  write(ARGV[4], ARGV[5], ARGV[6], ARGV[7], old_hash == ARGV[4])
else
  if prefix ~= '' then drop_vector(ARGV[4]) end
  redis.call('DEL', memory)
end
return 1
