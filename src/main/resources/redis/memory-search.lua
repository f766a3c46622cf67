-- Recalls a user's memories from the portable index in one round trip: BM25 relevance over the postings,
-- re-scored for the best candidates with a proximity bonus and pseudo-relevance feedback, the kind filter and
-- the recency boost, computed server-side; top k returned with their fields.
-- With no terms, lists the newest memories instead.
--
-- KEYS[1]  idx:{user}:stats      KEYS[2]  idx:{user}:meta
-- ARGV[1]  index key prefix idx:{user}:            ARGV[2]  memory key prefix mem:{user}:
-- ARGV[3]  limit k                                 ARGV[4]  now (epoch ms)
-- ARGV[5]  recency weight w                        ARGV[6]  recency half-life (ms)
-- ARGV[7]  postings budget, for k ≤ 10 (below)     ARGV[8]  kinds, space separated; "" for every kind
-- ARGV[9]  second stage, space separated: depth, proximity weight, feedback memories, feedback terms,
--          feedback weight (see below); "0 0 0 0 0" turns it off; then, optionally, 1 to divide the scores by
--          the query's idf mass (below)
-- ARGV[10..] distinct analysed query terms, in query order; none for newest-first listing
--
-- score = relevance × (1 + w × 2^(−age / half-life)); newest-first listing has score 0. With the idf-mass option,
-- score ÷ the sum of the query terms' idf (a term no memory of the user holds counts at the highest idf): a
-- relevance without scale, which hybrid recall adds to a cosine.
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
-- Pruning, within the postings budget (k / 10 times as much for k > 10), in two phases. 1: the memories holding
-- two or more of the terms are found by intersecting pairs of terms inside Redis (ZINTER walks the rarer term's
-- postings and looks each one up in the other's; two frequent terms with bitmaps are ANDed instead, a flat cost
-- whatever their postings, see `bitmap_intersect`; the script intersects two small terms itself), best pair first
-- (highest sum of idf), each costing the postings walked plus the memories found, while the budget lasts and,
-- without kinds, until twice max(depth, k) memories are known to score at least what a memory holding just the
-- next pair would. The memories holding a term more than once (max(20 × k, 200) at most per term, read with their
-- frequencies) come in too. Every other memory holding a term holds only that one (unless a pair was left out):
-- the term's "singles", counted, not read. Candidates get a partial score: their BM25 as if every memory had the
-- average length. 2: the shortlist takes the candidates in blocks of equal partial score, best first, whole (ties
-- at the cut included) until it holds max(20 × k, 200), without kinds never more than max(depth, k) plus one per
-- 15 postings of budget left; singles are read only then, by id. Only the shortlist reads its meta (length,
-- createdAt) and the frequencies that no intersection gave (ZMSCORE), and is scored exactly. With kinds requested,
-- the memories found read their meta and those of other kinds are dropped, and a term's singles are its memories
-- of those kinds, newest first (ZINTER with each kind's ZSET), so that the memories of other kinds cannot crowd
-- out those of the requested ones. The cost is thus bounded by the budget, plus one read of each term's repeats,
-- the singles read (with kinds, at most a budget's worth per term reached), the shortlist's meta and ZMSCORE
-- lookups, and the second stage's depth HGETs and one ZCARD per distinct term of the feedback memories, whatever
-- the number of memories. Approximations: a memory holding only pairs left out comes in as a single at best (and
-- one holding three or more of the remaining terms could outscore the memories found), and a block too large for
-- the shortlist is cut (in the order found: by id within an intersection or a term). Needs Redis 6.2 (ZINTER,
-- ZMSCORE, ZRANGE … BYSCORE). The bitmap pairs write (and delete) a scratch key, unreplicated.
--
-- Keys other than KEYS are derived from the prefixes and share the user's hash tag (same cluster slot).
--
-- Returns a flat array, 7 entries per memory, best first: id, score, text, kind, createdAt, updatedAt, source.
local prefix, memory_prefix = ARGV[1], ARGV[2]
local limit, now = tonumber(ARGV[3]), tonumber(ARGV[4])
local weight, half_life = tonumber(ARGV[5]), tonumber(ARGV[6])
-- The budget is for k ≤ 10; it grows with k as the shortlist does (below).
local budget = tonumber(ARGV[7]) * math.max(1, limit / 10)
-- The shortlist's target size (see phase 2): max(SHORTLIST_FACTOR × k, SHORTLIST_MIN).
local shortlist_factor, shortlist_min = 20, 200
-- A candidate let into the shortlist beyond the first max(depth, k) costs this many postings of the budget
-- (reading its meta and scoring it exactly take about as long as walking that many postings).
local candidate_cost = 15
-- Terms with at most this many postings are read into the script, and the pairs of two of them intersected
-- there: Redis keeps ZSETs this small as listpacks (zset-max-listpack-entries, 128 by default; ziplists
-- before Redis 7), in which a lookup is a scan, so ZINTER between two of them would be quadratic.
local small = 128
local kinds, kind_list = {}, {}
for kind in string.gmatch(ARGV[8], '%S+') do
  if not kinds[kind] then kind_list[#kind_list + 1] = kind end
  kinds[kind] = true
end
table.sort(kind_list)
local any_kind = #kind_list == 0
local depth, proximity_weight, feedback_memories, feedback_terms, feedback_weight, per_idf =
  string.match(ARGV[9], '^(%S+) (%S+) (%S+) (%S+) (%S+) ?(%S*)$')
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
-- BM25's term-frequency saturation at the average length: 1 for a term held once.
local function saturated(f) return f * (k1 + 1) / (f + k1) end

-- Terms, rarest first (ties by term), with their inverse document frequency (idf also by term, for the second
-- stage).
local terms, idf = {}, {}
for i = first_term, #ARGV do
  local key = prefix .. 't:' .. ARGV[i]
  local df = redis.call('ZCARD', key)
  if df > 0 then
    idf[ARGV[i]] = idf_of(df)
    table.insert(terms, { name = ARGV[i], key = key, df = df, idf = idf[ARGV[i]] })
  end
end
table.sort(terms, function(x, y) if x.df ~= y.df then return x.df < y.df end return x.name < y.name end)
local n = #terms
if n == 0 then return {} end
local size = math.max(shortlist_factor * limit, shortlist_min)
-- Term frequencies: a small term's postings are read in full (term.ids in ZSET order, term.tf by id); of a
-- larger one, only the memories holding it more than once, highest frequency first, `size` at most (term.ids,
-- term.repeats by id): all the others hold it once. term.once: the term's postings of frequency 1; unknown
-- (nil) when it has more than `size` repeats, and then a shortlisted memory's frequency is read (exact scores).
for _, term in ipairs(terms) do
  if term.df <= small then
    local postings = redis.call('ZRANGE', term.key, 0, -1, 'WITHSCORES')
    term.ids, term.tf, term.once = {}, {}, 0
    for x = 1, #postings, 2 do
      local f = tonumber(postings[x + 1])
      term.ids[#term.ids + 1] = postings[x]
      term.tf[postings[x]] = f
      if f == 1 then term.once = term.once + 1 end
    end
  else
    local more = redis.call('ZRANGE', term.key, '+inf', '(1', 'BYSCORE', 'REV', 'LIMIT', 0, size, 'WITHSCORES')
    term.ids, term.repeats = {}, {}
    for x = 1, #more, 2 do
      term.ids[#term.ids + 1] = more[x]
      term.repeats[more[x]] = tonumber(more[x + 1])
    end
    if #more < 2 * size then term.once = term.df - #more / 2 end
  end
end
local function tf_of(term, id) return term.tf and term.tf[id] or term.repeats and term.repeats[id] or 1 end
-- Candidates always scored exactly: the second stage re-scores the best `keep`, and the best k are returned.
local keep = math.max(depth, limit)
-- The budget, less the exact scoring of the first `keep` candidates, is spent by the pairs (phase 1); what
-- they leave lets more candidates into the shortlist (phase 2).
local left = budget - keep * candidate_cost

-- Candidates: found[id] = { [term index] = tf } for the memories found so far, origin[id] the term they were
-- first found with, partial[id] their BM25 as if every memory had the average length (summed in the order the
-- terms were found: the same order, and sum, for every memory holding the same terms).
local found, found_ids, origin, partial = {}, {}, {}, {}
local held_once = {} -- held_once[i]: found memories holding term i once
local paired = {} -- paired[i][j]: terms i and j were intersected
for i = 1, n do held_once[i], paired[i] = 0, {} end
local function add(id, i, f)
  local tfs = found[id]
  if not tfs then
    tfs = {}
    found[id], origin[id], partial[id] = tfs, i, 0
    found_ids[#found_ids + 1] = id
  end
  if not tfs[i] then
    tfs[i] = f
    partial[id] = partial[id] + terms[i].idf * saturated(f)
    if f == 1 then held_once[i] = held_once[i] + 1 end
  end
end

-- Phase 1, the memories holding two or more terms: the intersection of each pair of terms, by Redis (ZINTER
-- walks the rarer term's postings and looks each one up in the other's), or by the script for two small terms.
-- Pairs go best first (by the sum of their idf) while the budget lasts, each costing the rarer term's postings
-- plus the memories found. Without a kind filter, they also stop once twice `keep` memories (or as many as the
-- shortlist could take) are known to score at least what a memory holding just the next pair would: the
-- memories found so far (all of them hold a better pair), or those of a single term whose idf is at least the
-- pair's. The best `keep` are then rarely among the next pair's memories (only length and recency could lift
-- one), and a memory holding three or more of the remaining terms could score more: like the shortlist below,
-- an approximation.
local values, pairs_by_value = {}, {} -- pairs_by_value[value]: the pairs of that idf sum, { i, j } in term order
for i = 1, n - 1 do
  for j = i + 1, n do
    local value = terms[i].idf + terms[j].idf
    if not pairs_by_value[value] then
      pairs_by_value[value] = {}
      values[#values + 1] = value
    end
    table.insert(pairs_by_value[value], { i, j })
  end
end
table.sort(values)
-- Bitmaps (kept by the write script for frequent terms): idx:{user}:b:<term> has bit n set for the memory
-- numbered n (idx:{user}:doc n -> id, numbers in the order memories were stored). A pair of two such terms is
-- intersected by BITOP AND into a scratch key (written unreplicated and deleted at once: the search changes
-- nothing), costing BITMAP_PAIR_COST postings of the budget plus the memories read, whatever the postings. When
-- more memories hold both than the pair may add (`cap`), the newest are read. The scratch write can be refused
-- (a full Redis under noeviction, a read-only replica): the pair then falls back to ZINTER.
local BITMAP_PAIR_COST = 40
local has_bitmap = {}
local function bitmap_key(term) return prefix .. 'b:' .. term.name end
for _, term in ipairs(terms) do
  if not term.tf then has_bitmap[term] = redis.call('EXISTS', bitmap_key(term)) == 1 end
end
-- The ids of the memories holding both terms (the newest `cap`), and whether that is all of them; nil when
-- the scratch key cannot be written.
local function bitmap_intersect(term, other, cap)
  local scratch = prefix .. 'q:and'
  pcall(redis.set_repl, redis.REPL_NONE)
  local written = redis.pcall('BITOP', 'AND', scratch, bitmap_key(term), bitmap_key(other))
  if type(written) ~= 'number' then
    pcall(redis.set_repl, redis.REPL_ALL)
    return nil
  end
  local nums, complete = {}, true
  local bits = written > 0 and redis.call('GET', scratch)
  if bits then
    local from = 0
    if redis.call('BITCOUNT', scratch) > cap then
      -- The last byte from which `cap` bits or more are set, by bisection: the newest `cap` memories start there.
      complete = false
      local low, high = 0, #bits - 1
      while low < high do
        local middle = math.floor((low + high + 1) / 2)
        if redis.call('BITCOUNT', scratch, middle, -1) >= cap then low = middle else high = middle - 1 end
      end
      from = low
    end
    -- BITPOS skips the zero bytes; each byte found is decoded here (bit 0 is the byte's highest).
    local at = redis.call('BITPOS', scratch, 1, from)
    while at >= 0 do
      local index = math.floor(at / 8)
      local value = string.byte(bits, index + 1)
      for k = 0, 7 do
        if bit.band(value, bit.rshift(128, k)) ~= 0 then nums[#nums + 1] = index * 8 + k end
      end
      if index + 1 >= #bits then break end
      at = redis.call('BITPOS', scratch, 1, index + 1)
    end
    if #nums > cap then
      local newest = {}
      for x = #nums - cap + 1, #nums do newest[#newest + 1] = nums[x] end
      nums = newest
    end
  end
  redis.call('DEL', scratch)
  pcall(redis.set_repl, redis.REPL_ALL)
  local ids = {}
  if #nums > 0 then
    local found_ids = redis.call('HMGET', prefix .. 'doc', unpack(nums))
    for x = 1, #nums do
      if found_ids[x] then ids[#ids + 1] = found_ids[x] end
    end
  end
  return ids, complete
end
local function intersect()
  local single = 0 -- terms[1..single]: those whose idf is at least the current pair's (the rarest)
  for v = #values, 1, -1 do
    for _, pair in ipairs(pairs_by_value[values[v]]) do
      local i, j = pair[1], pair[2]
      if left < math.min(terms[1].df, BITMAP_PAIR_COST) then return end
      local target = math.min(size, 2 * keep, keep + math.floor(math.max(left, 0) / candidate_cost))
      if any_kind then
        while single < n and terms[single + 1].idf >= values[v] do single = single + 1 end
        local known = math.max(#found_ids, single > 0 and terms[single].df or 0)
        if known >= target then return end
      end
      local term, other = terms[i], terms[j]
      local by_bitmap = has_bitmap[term] and has_bitmap[other]
      if (by_bitmap and BITMAP_PAIR_COST or term.df) <= left then
        local both, complete
        -- Without kinds the pairs stop at `target` memories; with kinds, those of other kinds are dropped later.
        if by_bitmap then both, complete = bitmap_intersect(term, other, any_kind and target or size) end
        if both then
          left = left - BITMAP_PAIR_COST
        elseif other.tf then
          both, complete = {}, true
          for _, id in ipairs(term.ids) do
            if other.tf[id] then both[#both + 1] = id end
          end
          left = left - term.df
        else
          both, complete = redis.call('ZINTER', 2, term.key, other.key), true
          left = left - term.df
        end
        for _, id in ipairs(both) do
          local f, g = tf_of(term, id), tf_of(other, id)
          if found[id] then
            add(id, i, f)
            add(id, j, g)
          else
            -- Mostly new: add(id, i, f) then add(id, j, g), inlined.
            found[id], origin[id] = { [i] = f, [j] = g }, i
            partial[id] = term.idf * saturated(f) + other.idf * saturated(g)
            found_ids[#found_ids + 1] = id
            if f == 1 then held_once[i] = held_once[i] + 1 end
            if g == 1 then held_once[j] = held_once[j] + 1 end
          end
        end
        left = left - #both
        -- A pair cut short (bitmaps, `cap`) is not covered: its other memories' frequencies are read later.
        if complete then paired[i][j], paired[j][i] = true, true end
      end
    end
  end
end
intersect()

-- The memories holding a term more than once are candidates too (their partial score beats the term's singles).
for i, term in ipairs(terms) do
  for _, id in ipairs(term.ids) do
    local f = tf_of(term, id)
    if f > 1 then add(id, i, f) end
  end
end

-- Every other memory holding a term holds it once, and no other term if the term was intersected with all the
-- others: the term's "singles", whose partial score is the term's idf. They are read only when the shortlist
-- reaches them, `count` at most, by id. With kinds requested, only those of the requested kinds, newest first
-- (the most boosted): Redis's intersection of the term's postings with each kind's ZSET by createdAt; or, for a
-- term with more than `budget` postings, those whose meta holds one of the kinds among the budget's worth of
-- its singles.
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
local function of_kind(id) return metas[id] and kinds[string.match(metas[id], '^%d+ %-?%d+ (.*)$')] end
local function of_kinds_newest_first(term)
  local ids = {}
  if #kind_list == 1 then
    local members = redis.call('ZINTER', 2, term.key, prefix .. 'k:' .. kind_list[1], 'WEIGHTS', 0, 1)
    for x = #members, 1, -1 do ids[#ids + 1] = members[x] end
    return ids
  end
  local dated = {}
  for _, kind in ipairs(kind_list) do
    local members = redis.call('ZINTER', 2, term.key, prefix .. 'k:' .. kind, 'WEIGHTS', 0, 1, 'WITHSCORES')
    for x = 1, #members, 2 do dated[#dated + 1] = { members[x], tonumber(members[x + 1]) } end
  end
  table.sort(dated, function(x, y) if x[2] ~= y[2] then return x[2] > y[2] end return x[1] > y[1] end)
  for x, entry in ipairs(dated) do ids[x] = entry[1] end
  return ids
end
local function singles(i, count)
  local term, out, members = terms[i], {}, nil
  if term.tf and any_kind then
    members = term.ids
  elseif any_kind then
    members = redis.call('ZRANGE', term.key, 1, 1, 'BYSCORE', 'LIMIT', 0, count + held_once[i])
  elseif term.df <= budget then
    members = of_kinds_newest_first(term)
  else
    -- The first `budget` of its singles at most, read in growing chunks until `count` new ones of the kinds are
    -- in (the same memories, in the same order, as reading all `budget` of them).
    members = {}
    local new, offset, chunk = 0, 0, 250
    while offset < budget do
      local once = redis.call('ZRANGE', term.key, 1, 1, 'BYSCORE', 'LIMIT', offset, math.min(chunk, budget - offset))
      read_meta(once)
      for _, id in ipairs(once) do
        if of_kind(id) then
          members[#members + 1] = id
          if not found[id] then new = new + 1 end
        end
      end
      if new >= count or #once < math.min(chunk, budget - offset) then break end
      offset, chunk = offset + #once, chunk * 2
    end
  end
  for _, id in ipairs(members) do
    if #out == count then break end
    if not found[id] and tf_of(term, id) == 1 then
      -- add(id, i, 1), inlined
      found[id], origin[id], partial[id] = { [i] = 1 }, i, term.idf
      held_once[i] = held_once[i] + 1
      out[#out + 1] = id
    end
  end
  return out
end
-- The singles of each term as one block of candidates: { value, count (at most, with kinds), term }.
local blocks = {}
for i, term in ipairs(terms) do
  local count = term.df
  if any_kind then count = (term.once or redis.call('ZCOUNT', term.key, 1, 1)) - held_once[i] end
  if count > 0 then blocks[#blocks + 1] = { value = term.idf, count = count, term = i } end
end

-- Kind filter: with kinds requested, the memories found so far read their meta, and those of other kinds are
-- dropped, so that they cannot crowd the memories of those kinds out of the shortlist.
if not any_kind then
  read_meta(found_ids)
  local kept = {}
  for _, id in ipairs(found_ids) do
    if of_kind(id) then kept[#kept + 1] = id end
  end
  found_ids = kept
end

-- Phase 2, shortlist: the candidates in blocks of equal partial score (found memories in the order found,
-- singles as read), best block first, each taken whole until the shortlist holds `size`, so that the ties at
-- the cut come in. Without kinds, a block's part beyond the first `keep` candidates costs the budget (the
-- singles of a block cut short are cut by id); with kinds, whose singles come newest first, `size` at most.
local by_value = {}
for _, id in ipairs(found_ids) do
  local p = partial[id]
  local block = by_value[p]
  if not block then
    block = { value = p, ids = {} }
    by_value[p] = block
    blocks[#blocks + 1] = block
  end
  block.ids[#block.ids + 1] = id
end
table.sort(blocks, function(x, y)
  if x.value ~= y.value then return x.value > y.value end
  return (x.term or 0) < (y.term or 0)
end)
local shortlist = {}
local function room()
  if not any_kind then return size - #shortlist end
  return math.max(keep - #shortlist, 0) + math.floor(math.max(left, 0) / candidate_cost)
end
for _, block in ipairs(blocks) do
  if #shortlist >= size or room() <= 0 then break end
  local members = block.ids or singles(block.term, math.min(block.count, room()))
  for _, id in ipairs(members) do
    if room() <= 0 then break end
    if #shortlist >= keep then left = left - candidate_cost end
    shortlist[#shortlist + 1] = id
  end
end
if #shortlist == 0 then return {} end

-- Exact scores for the shortlist: its meta (length, createdAt), and by ZMSCORE (one call per term) the
-- frequencies not known: of the terms that no intersection covered for a candidate (pairs left out), and of a
-- term with more repeats than were read, held once as far as the script knows.
local unread = {}
for _, id in ipairs(shortlist) do
  if not metas[id] then unread[#unread + 1] = id end
end
read_meta(unread)
local uncovered = {} -- uncovered[i]: the terms never intersected with term i
for i = 1, n do
  uncovered[i] = {}
  for j = 1, n do
    if j ~= i and not paired[i][j] then uncovered[i][#uncovered[i] + 1] = j end
  end
end
local unknown = {} -- unknown[t]: the shortlisted memories whose frequency of term t is not known
local uncertain = {} -- the terms with more repeats than were read
for t = 1, n do
  unknown[t] = {}
  if not terms[t].once then uncertain[#uncertain + 1] = t end
end
for _, id in ipairs(shortlist) do
  local tfs = found[id]
  for _, t in ipairs(uncovered[origin[id]]) do
    if not tfs[t] then
      local covered = false
      for s in pairs(tfs) do
        if paired[s][t] then covered = true; break end
      end
      if not covered then unknown[t][#unknown[t] + 1] = id end
    end
  end
  for _, t in ipairs(uncertain) do
    if tfs[t] == 1 then unknown[t][#unknown[t] + 1] = id end
  end
end
for t = 1, n do
  local ids = unknown[t]
  for start = 1, #ids, 500 do
    local chunk = {}
    for x = start, math.min(start + 499, #ids) do chunk[#chunk + 1] = ids[x] end
    local frequencies = redis.call('ZMSCORE', terms[t].key, unpack(chunk))
    for x, id in ipairs(chunk) do
      found[id][t] = tonumber(frequencies[x])
    end
  end
end
local scored = {}
for _, id in ipairs(shortlist) do
  local meta = metas[id]
  if meta then
    local tfs = found[id]
    local length, created = string.match(meta, '^(%d+) (%-?%d+)')
    local norm = k1 * (1 - b + b * tonumber(length) / average_length)
    local relevance = 0
    for t = 1, n do
      local f = tfs[t]
      if f then relevance = relevance + terms[t].idf * f * (k1 + 1) / (f + norm) end
    end
    local age = math.max(0, now - tonumber(created))
    local boost = 1 + weight * math.pow(2, -age / half_life)
    scored[#scored + 1] = { id, relevance * boost, relevance, boost, norm }
  end
end

-- Only the best `keep` go on (ties at the last place included): the score of the keep-th, from a sort of the
-- bare scores, selects them, and only they are sorted in full.
local function by_score(x, y) if x[2] ~= y[2] then return x[2] > y[2] end return x[1] < y[1] end
if #scored > keep then
  local values = {}
  for x, entry in ipairs(scored) do values[x] = entry[2] end
  table.sort(values)
  local threshold = values[#values - keep + 1]
  local best = {}
  for _, entry in ipairs(scored) do
    if entry[2] >= threshold then best[#best + 1] = entry end
  end
  scored = best
end
table.sort(scored, by_score)

-- Second stage: proximity bonus and feedback terms for the best `depth` candidates (see the header). Each
-- only adds to a candidate's relevance, so the re-scored candidates stay ahead of the others.
local rescored = math.min(#scored, keep)
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
if per_idf == '1' then
  local mass = 0
  for i = first_term, #ARGV do mass = mass + (idf[ARGV[i]] or idf_of(0)) end
  for i = 1, #top do top[i] = { top[i][1], top[i][2] / mass } end
end
return fields(top)
