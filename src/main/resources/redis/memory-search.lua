-- Recalls a user's memories from the portable index in one round trip: BM25 relevance over the postings,
-- the kind filter and the recency boost, computed server-side; top k returned with their fields.
-- With no terms, lists the newest memories instead.
--
-- KEYS[1]  idx:{user}:stats      KEYS[2]  idx:{user}:meta
-- ARGV[1]  index key prefix idx:{user}:            ARGV[2]  memory key prefix mem:{user}:
-- ARGV[3]  limit k                                 ARGV[4]  now (epoch ms)
-- ARGV[5]  recency weight w                        ARGV[6]  recency half-life (ms)
-- ARGV[7]  postings budget (see below)             ARGV[8]  kinds, space separated; "" for every kind
-- ARGV[9..] distinct analysed query terms; none for newest-first listing
--
-- score = BM25(k1 = 1.2, b = 0.75) × (1 + w × 2^(−age / half-life)); newest-first listing has score 0.
--
-- Pruning: terms are read rarest first. A term whose postings fit in the remaining budget is read in full;
-- once the budget is spent, a more common term only adds to the candidates already found (ZSCORE each),
-- and when no rare term exists, the budget's worth of its highest term-frequency postings is read.
--
-- Keys other than KEYS are derived from the prefixes and share the user's hash tag (same cluster slot).
--
-- Returns a flat array, 7 entries per memory, best first: id, score, text, kind, createdAt, updatedAt, source.
local prefix, memory_prefix = ARGV[1], ARGV[2]
local limit, now = tonumber(ARGV[3]), tonumber(ARGV[4])
local weight, half_life = tonumber(ARGV[5]), tonumber(ARGV[6])
local budget = tonumber(ARGV[7])
local kinds = {}
local any_kind = true
for kind in string.gmatch(ARGV[8], '%S+') do kinds[kind] = true; any_kind = false end

local function fields(results)
  local out = {}
  for _, r in ipairs(results) do
    local m = redis.call('HMGET', memory_prefix .. r[1], 'text', 'kind', 'createdAt', 'updatedAt', 'source')
    if m[1] then
      table.insert(out, r[1]); table.insert(out, tostring(r[2]))
      for i = 1, 5 do table.insert(out, m[i] or '') end
    end
  end
  return out
end

if #ARGV < 9 then
  -- Newest first: merge the newest k of each requested kind (or of all memories).
  local sources = {}
  if any_kind then
    table.insert(sources, prefix .. 'recent')
  else
    for kind in pairs(kinds) do table.insert(sources, prefix .. 'k:' .. kind) end
  end
  local newest = {}
  for _, key in ipairs(sources) do
    local entries = redis.call('ZREVRANGE', key, 0, limit - 1, 'WITHSCORES')
    for i = 1, #entries, 2 do table.insert(newest, { entries[i], tonumber(entries[i + 1]) }) end
  end
  table.sort(newest, function(a, b) if a[2] ~= b[2] then return a[2] > b[2] end return a[1] < b[1] end)
  local top = {}
  for i = 1, math.min(limit, #newest) do top[i] = { newest[i][1], 0 } end
  return fields(top)
end

local stats = redis.call('HMGET', KEYS[1], 'docs', 'length')
local docs = tonumber(stats[1]) or 0
if docs <= 0 then return {} end
local average_length = (tonumber(stats[2]) or 0) / docs
if average_length <= 0 then average_length = 1 end

-- Terms, rarest first, with their inverse document frequency.
local terms = {}
for i = 9, #ARGV do
  local key = prefix .. 't:' .. ARGV[i]
  local df = redis.call('ZCARD', key)
  if df > 0 then
    table.insert(terms, { key = key, df = df, idf = math.log(1 + (docs - df + 0.5) / (df + 0.5)) })
  end
end
table.sort(terms, function(a, b) return a.df < b.df end)

-- candidates[id] = list of { idf, tf }
local candidates, count = {}, 0
local function add(id, idf, tf)
  local c = candidates[id]
  if not c then c = {}; candidates[id] = c; count = count + 1 end
  table.insert(c, { idf, tf })
end
for _, term in ipairs(terms) do
  if term.df <= budget then
    local postings = redis.call('ZRANGE', term.key, 0, -1, 'WITHSCORES')
    for i = 1, #postings, 2 do add(postings[i], term.idf, tonumber(postings[i + 1])) end
    budget = budget - term.df
  elseif count == 0 then
    local postings = redis.call('ZREVRANGE', term.key, 0, math.max(budget, limit) - 1, 'WITHSCORES')
    for i = 1, #postings, 2 do add(postings[i], term.idf, tonumber(postings[i + 1])) end
    budget = 0
  else
    for id, c in pairs(candidates) do
      local tf = redis.call('ZSCORE', term.key, id)
      if tf then table.insert(c, { term.idf, tonumber(tf) }) end
    end
  end
end
if count == 0 then return {} end

-- Score every candidate: document length, kind and age come from the meta HASH, fetched in chunks.
local ids = {}
for id in pairs(candidates) do table.insert(ids, id) end
local k1, b = 1.2, 0.75
local scored = {}
for start = 1, #ids, 500 do
  local chunk = {}
  for i = start, math.min(start + 499, #ids) do table.insert(chunk, ids[i]) end
  local metas = redis.call('HMGET', KEYS[2], unpack(chunk))
  for i, id in ipairs(chunk) do
    local meta = metas[i]
    if meta then
      local length, created, kind = string.match(meta, '^(%d+) (%-?%d+) (.*)$')
      if any_kind or kinds[kind] then
        local norm = k1 * (1 - b + b * tonumber(length) / average_length)
        local relevance = 0
        for _, p in ipairs(candidates[id]) do
          relevance = relevance + p[1] * p[2] * (k1 + 1) / (p[2] + norm)
        end
        local age = math.max(0, now - tonumber(created))
        local boost = 1 + weight * math.pow(2, -age / half_life)
        table.insert(scored, { id, relevance * boost })
      end
    end
  end
end
table.sort(scored, function(a, b) if a[2] ~= b[2] then return a[2] > b[2] end return a[1] < b[1] end)
local top = {}
for i = 1, math.min(limit, #scored) do top[i] = scored[i] end
return fields(top)
