-- Recalls a user's memories from the portable index in one round trip: BM25 relevance over the postings,
-- re-scored for the best candidates with a proximity bonus and pseudo-relevance feedback, the kind filter and
-- the recency boost, computed server-side; top k returned with their fields.
-- With no terms, lists the newest memories instead.
--
-- KEYS[1]  idx:{user}:stats      KEYS[2]  idx:{user}:meta
-- ARGV[1]  index key prefix idx:{user}:            ARGV[2]  memory key prefix mem:{user}:
-- ARGV[3]  limit k                                 ARGV[4]  now (epoch ms)
-- ARGV[5]  recency weight w                        ARGV[6]  recency half-life (ms)
-- ARGV[7]  postings budget (see below)             ARGV[8]  kinds, space separated; "" for every kind
-- ARGV[9]  second stage, space separated: depth, proximity weight, feedback memories, feedback terms,
--          feedback weight (see below); "0 0 0 0 0" turns it off
-- ARGV[10..] distinct analysed query terms, in query order; none for newest-first listing
--
-- score = relevance × (1 + w × 2^(−age / half-life)); newest-first listing has score 0.
-- relevance = BM25(k1 = 1.2, b = 0.75) for every candidate, plus, for the best `depth` of them (at least k):
--   proximity: for each pair of query terms adjacent in the query that is also adjacent in the memory's terms,
--     proximity weight × max(idf of the two) × BM25's saturated pair frequency (stop words do not count as a
--     gap: the terms are the analysed ones). "support group" then ranks "joined a support group" above
--     "group … support".
--   feedback (RM3-style pseudo-relevance feedback): the best `feedback memories` candidates by BM25 vote for
--     their other terms (term share of the memory × idf × the memory's share of their BM25); the `feedback
--     terms` most voted are added to the query with feedback weight × vote / top vote, and score the depth
--     candidates with BM25. Memories worded like the best matches move up: a question about Anna's "dog"
--     lifts the memories that also name the dog.
-- The second stage only re-orders candidates that matched the query; it reads each one's analysed terms from
-- its HASH (the "terms" field the write script keeps) and the idf of the feedback terms (ZCARD).
--
-- Pruning, in two phases. 1: terms are read rarest first; a term whose postings fit in the remaining budget is
-- read in full, and when no term fits, the budget's worth of the rarest term's highest term-frequency postings is
-- read. These candidates get a partial score (their BM25 as if every memory had the average length). 2: only
-- the best max(20 × k, 200) candidates by partial score (ties at the cut included) read their meta (length,
-- createdAt, kind) and are re-scored with the more common terms (ZSCORE each) and scored exactly. A kind filter
-- is applied to every candidate before the cut. The cost is thus bounded by the budget plus the shortlist times
-- the number of common terms, plus the second stage's depth HGETs and one ZCARD per distinct term of the
-- feedback memories, whatever the number of memories.
--
-- Keys other than KEYS are derived from the prefixes and share the user's hash tag (same cluster slot).
--
-- Returns a flat array, 7 entries per memory, best first: id, score, text, kind, createdAt, updatedAt, source.
local prefix, memory_prefix = ARGV[1], ARGV[2]
local limit, now = tonumber(ARGV[3]), tonumber(ARGV[4])
local weight, half_life = tonumber(ARGV[5]), tonumber(ARGV[6])
local budget = tonumber(ARGV[7])
-- Candidates that the common terms re-score (see phase 2): max(SHORTLIST_FACTOR × k, SHORTLIST_MIN).
local shortlist_factor, shortlist_min = 20, 200
local kinds = {}
local any_kind = true
for kind in string.gmatch(ARGV[8], '%S+') do kinds[kind] = true; any_kind = false end
local depth, proximity_weight, feedback_memories, feedback_terms, feedback_weight =
  string.match(ARGV[9], '^(%S+) (%S+) (%S+) (%S+) (%S+)$')
depth, proximity_weight = tonumber(depth), tonumber(proximity_weight)
feedback_memories, feedback_terms, feedback_weight =
  tonumber(feedback_memories), tonumber(feedback_terms), tonumber(feedback_weight)
local first_term = 10

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

if #ARGV < first_term then
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
local k1, b = 1.2, 0.75

local function idf_of(df) return math.log(1 + (docs - df + 0.5) / (df + 0.5)) end

-- Terms, rarest first, with their inverse document frequency (idf also by term, for the second stage).
local terms, idf = {}, {}
for i = first_term, #ARGV do
  local key = prefix .. 't:' .. ARGV[i]
  local df = redis.call('ZCARD', key)
  if df > 0 then
    idf[ARGV[i]] = idf_of(df)
    table.insert(terms, { key = key, df = df, idf = idf[ARGV[i]] })
  end
end
table.sort(terms, function(x, y) return x.df < y.df end)

-- Phase 1, candidates: the postings of the rarer terms, read in full while the budget lasts (or, when even the
-- rarest term exceeds it, the budget's worth of its highest term-frequency postings). Each read term keeps its
-- postings (tf[id]); partial[id] sums their BM25 contributions as if the memory had the average length.
local partial, ids = {}, {}
local common = {}
local function read(term, postings)
  local tf = {}
  local idf = term.idf
  for i = 1, #postings, 2 do
    local id, f = postings[i], tonumber(postings[i + 1])
    tf[id] = f
    local p = partial[id]
    if not p then ids[#ids + 1] = id; p = 0 end
    partial[id] = p + idf * f * (k1 + 1) / (f + k1)
  end
  term.tf = tf
end
for _, term in ipairs(terms) do
  if term.df <= budget then
    read(term, redis.call('ZRANGE', term.key, 0, -1, 'WITHSCORES'))
    budget = budget - term.df
  elseif #ids == 0 then
    read(term, redis.call('ZREVRANGE', term.key, 0, math.max(budget, limit) - 1, 'WITHSCORES'))
    budget = 0
  else
    common[#common + 1] = term
  end
end
if #ids == 0 then return {} end

-- Kind filter: with kinds requested, every candidate's meta is read now, so that the others cannot crowd the
-- memories of those kinds out of the shortlist below.
local metas = {}
local function read_meta(list)
  for start = 1, #list, 500 do
    local chunk = {}
    for i = start, math.min(start + 499, #list) do chunk[#chunk + 1] = list[i] end
    local values = redis.call('HMGET', KEYS[2], unpack(chunk))
    for i, id in ipairs(chunk) do
      if values[i] then metas[id] = values[i] end
    end
  end
end
if not any_kind then
  read_meta(ids)
  local kept = {}
  for _, id in ipairs(ids) do
    local meta = metas[id]
    if meta and kinds[string.match(meta, '^%d+ %-?%d+ (.*)$')] then kept[#kept + 1] = id end
  end
  ids = kept
  if #ids == 0 then return {} end
end

-- Phase 2, shortlist: the common terms and the exact score only for the best candidates by partial score
-- (max(shortlist factor × k, shortlist minimum), ties at the cut included). A candidate below the cut could
-- only overtake them through the common terms, whose idf is the lowest of the query.
local shortlist = ids
local size = math.max(shortlist_factor * limit, shortlist_min)
if #ids > size then
  local values = {}
  for i, id in ipairs(ids) do values[i] = partial[id] end
  table.sort(values)
  local cut = values[#values - size + 1]
  shortlist = {}
  for _, id in ipairs(ids) do
    if partial[id] >= cut then shortlist[#shortlist + 1] = id end
  end
end
if any_kind then read_meta(shortlist) end
for _, term in ipairs(common) do
  local tf = {}
  for _, id in ipairs(shortlist) do
    local f = redis.call('ZSCORE', term.key, id)
    if f then tf[id] = tonumber(f) end
  end
  term.tf = tf
end

local scored = {}
for _, id in ipairs(shortlist) do
  local meta = metas[id]
  if meta then
    local length, created = string.match(meta, '^(%d+) (%-?%d+)')
    local norm = k1 * (1 - b + b * tonumber(length) / average_length)
    local relevance = 0
    for _, term in ipairs(terms) do
      local f = term.tf and term.tf[id]
      if f then relevance = relevance + term.idf * f * (k1 + 1) / (f + norm) end
    end
    local age = math.max(0, now - tonumber(created))
    local boost = 1 + weight * math.pow(2, -age / half_life)
    scored[#scored + 1] = { id, relevance * boost, relevance, boost, norm }
  end
end
local function by_score(x, y) if x[2] ~= y[2] then return x[2] > y[2] end return x[1] < y[1] end
table.sort(scored, by_score)

-- Second stage: proximity bonus and feedback terms for the best `depth` candidates (see the header). Each
-- only adds to a candidate's relevance, so the re-scored candidates stay ahead of the others.
local rescored = math.min(#scored, math.max(depth, limit))
if depth > 0 and rescored > 1 and (proximity_weight > 0 or feedback_weight > 0) then
  -- The candidates' analysed terms: the HASH's "terms" field, as written.
  local texts = {}
  for i = 1, rescored do texts[i] = redis.call('HGET', memory_prefix .. scored[i][1], 'terms') or '' end

  -- Proximity: neighbours[x][y] = weight of the query pair "x y".
  local neighbours = {}
  if proximity_weight > 0 then
    for i = first_term, #ARGV - 1 do
      local x, y = ARGV[i], ARGV[i + 1]
      if idf[x] and idf[y] then
        neighbours[x] = neighbours[x] or {}
        neighbours[x][y] = proximity_weight * math.max(idf[x], idf[y])
      end
    end
  end

  -- Feedback: the best candidates vote for their other terms; expansion[term] = its weight.
  local expansion = {}
  if feedback_weight > 0 and feedback_memories > 0 and feedback_terms > 0 then
    local voters = math.min(feedback_memories, rescored)
    local total = 0
    for i = 1, voters do total = total + scored[i][3] end
    local votes, voted = {}, {}
    for i = 1, voters do
      local terms_of = {}
      for term in string.gmatch(texts[i], '%S+') do terms_of[#terms_of + 1] = term end
      local share = scored[i][3] / total / math.max(1, #terms_of)
      for _, term in ipairs(terms_of) do
        if not idf[term] then
          idf[term] = idf_of(redis.call('ZCARD', prefix .. 't:' .. term))
          voted[#voted + 1] = term
          votes[term] = 0
        end
        if votes[term] then votes[term] = votes[term] + share * idf[term] end
      end
    end
    table.sort(voted, function(x, y) if votes[x] ~= votes[y] then return votes[x] > votes[y] end return x < y end)
    for t = 1, math.min(feedback_terms, #voted) do
      local term = voted[t]
      expansion[term] = feedback_weight * votes[term] / votes[voted[1]] * idf[term]
    end
  end

  -- One pass over each candidate's terms counts the feedback terms and the query pairs it holds; each adds
  -- its weight × BM25's saturated frequency.
  local extras = {}
  for i = 1, rescored do
    local counts, previous = {}, nil
    for term in string.gmatch(texts[i], '%S+') do
      if expansion[term] then counts[term] = (counts[term] or 0) + 1 end
      local after = previous and neighbours[previous]
      if after and after[term] then
        local pair = previous .. ' ' .. term
        counts[pair] = (counts[pair] or 0) + 1
      end
      previous = term
    end
    local extra, norm = 0, scored[i][5]
    for key, f in pairs(counts) do
      local x, y = string.match(key, '^(%S+) (%S+)$')
      local key_weight = x and neighbours[x][y] or expansion[key]
      extra = extra + key_weight * f * (k1 + 1) / (f + norm)
    end
    extras[i] = extra
  end

  local head = {}
  for i = 1, rescored do
    local s = scored[i]
    head[i] = { s[1], (s[3] + extras[i]) * s[4] }
  end
  table.sort(head, by_score)
  for i = 1, rescored do scored[i] = head[i] end
end

local top = {}
for i = 1, math.min(limit, #scored) do top[i] = scored[i] end
return fields(top)
