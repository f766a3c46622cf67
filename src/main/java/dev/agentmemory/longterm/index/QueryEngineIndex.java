package dev.agentmemory.longterm.index;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.longterm.Memory;
import dev.agentmemory.longterm.vector.Embedded;
import dev.agentmemory.longterm.vector.VectorBacklog;
import dev.agentmemory.longterm.vector.VectorCodec;
import dev.agentmemory.longterm.vector.VectorHit;
import dev.agentmemory.longterm.vector.VectorSync;
import dev.agentmemory.redis.Pipeline;
import dev.agentmemory.redis.Query;
import dev.agentmemory.redis.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The search index on the Redis Query Engine ({@code FT.*}: Redis 8, Redis Stack, Redis Cloud). The memory
 * HASHes are indexed by the server itself ({@code FT.CREATE … ON HASH PREFIX 1 mem:}); queries OR the analysed
 * terms within the user's tag ({@code @terms:(a|b) @userId:{u}}), every token escaped, BM25 scorer, dialect 2.
 *
 * <p>The index covers the HASH's {@code terms} field (the {@link TextAnalyzer}'s output, {@code NOSTEM}, no stop
 * words) rather than the raw {@code text}: analysis happens once, in Java, for both backends. Indexing raw text
 * would stem twice — the server stems our already-stemmed query terms again ("coffee" → "coffe" → "coff") and
 * misses.
 * The recency boost re-ranks the top {@code limit × memory.recall.rerank-depth} by BM25, with the same formula
 * as the portable index.
 */
@ApplicationScoped
public class QueryEngineIndex implements MemoryIndex {

    private static final Logger LOG = Logger.getLogger(QueryEngineIndex.class);
    private static final int FORGET_BATCH = 1000;
    private static final Command FT_SEARCH = Command.create("FT.SEARCH");
    private static final String[] RETURN_FIELDS = {"text", "kind", "createdAt", "updatedAt", "source"};
    /** The KNN distance's name in a reply. */
    private static final String DISTANCE = "vector_distance";

    private final ReactiveRedisDataSource redis;
    private final MemoryHashes hashes;
    private final String index;
    private final int rerankDepth;
    /** The vector fields known to be in the index, by model. */
    private final Map<String, String> vectorFields = new java.util.concurrent.ConcurrentHashMap<>();

    public QueryEngineIndex(ReactiveRedisDataSource redis, MemoryHashes hashes, MemoryConfig config) {
        this.redis = redis;
        this.hashes = hashes;
        this.index = config.index().queryEngineName();
        this.rerankDepth = config.recall().rerankDepth();
    }

    @Override
    public String name() {
        return "query-engine";
    }

    @Override
    public LexicalScale lexicalScale() {
        return LexicalScale.BEST_SCORE;
    }

    /** Creates the index unless it exists; safe to run from every replica at every start. */
    public Uni<Void> prepare() {
        return redis.execute(
                        "FT.CREATE",
                        index,
                        "ON",
                        "HASH",
                        "PREFIX",
                        "1",
                        RedisKeys.MEMORY_PREFIX,
                        "STOPWORDS",
                        "0",
                        "SCHEMA",
                        "terms",
                        "TEXT",
                        "NOSTEM",
                        "userId",
                        "TAG",
                        "kind",
                        "TAG",
                        "createdAt",
                        "NUMERIC",
                        "SORTABLE")
                .invoke(() -> LOG.infof("Created Query Engine index %s", index))
                .onFailure(e -> e.getMessage() != null && e.getMessage().contains("already exists"))
                .recoverWithNull()
                .replaceWithVoid();
    }

    @Override
    public Uni<Stored> store(MemoryRecord memory) {
        return withVectorField(memory.embedding())
                .chain(field -> hashes.store(memory, "", VectorWrite.queryEngine(memory.embedding(), field)));
    }

    @Override
    public Uni<Boolean> update(MemoryRecord memory) {
        return withVectorField(memory.embedding())
                .chain(field -> hashes.update(memory, "", VectorWrite.queryEngine(memory.embedding(), field)));
    }

    @Override
    public Uni<Boolean> remove(String userId, String id) {
        return hashes.remove(userId, id, "", 0);
    }

    @Override
    public Uni<VectorBacklog> vectorBacklog(String userId, String model, String cursor, int count) {
        return hashes.backlog(userId, "", model, vectorField(model), cursor, count);
    }

    @Override
    public Uni<Boolean> addVector(String userId, String id, String text, String generation, Embedded vector) {
        return withVectorField(vector)
                .chain(field ->
                        hashes.addVector(userId, id, text, generation, "", VectorWrite.queryEngine(vector, field)));
    }

    @Override
    public Uni<List<Memory>> search(String userId, List<String> terms, Set<String> kinds, int limit, Recency recency) {
        return Pipeline.run(redis, searchQuery(userId, terms, kinds, limit, recency));
    }

    @Override
    public Query<List<Memory>> searchQuery(
            String userId, List<String> terms, Set<String> kinds, int limit, Recency recency) {
        List<String> tokens = terms.stream()
                .map(QueryEngineIndex::escapeTerm)
                .filter(t -> !t.isEmpty())
                .distinct()
                .toList();
        if (tokens.isEmpty()) {
            return Query.answered(List.of());
        }
        String query = "@terms:(" + String.join("|", tokens) + ") " + filter(userId, kinds);
        int depth = recency.weight() == 0 ? limit : limit * rerankDepth;
        return query(query, depth, true, null).map(found -> found.stream()
                .map(m -> withScore(m, m.score() * recency.boost(m.createdAt().toEpochMilli())))
                .sorted(Comparator.comparing(Memory::score).reversed().thenComparing(Memory::id))
                .limit(limit)
                .toList());
    }

    @Override
    public Uni<List<Memory>> newest(String userId, Set<String> kinds, int limit) {
        return Pipeline.run(redis, newestQuery(userId, kinds, limit));
    }

    @Override
    public Query<List<Memory>> newestQuery(String userId, Set<String> kinds, int limit) {
        return query(filter(userId, kinds), limit, false, "createdAt");
    }

    @Override
    public Uni<Void> forget(String userId) {
        String query = "@userId:{" + escapeTag(userId) + "}";
        return Multi.createBy()
                .repeating()
                .uni(() -> redis.execute(
                                "FT.SEARCH",
                                index,
                                query,
                                "NOCONTENT",
                                "LIMIT",
                                "0",
                                Integer.toString(FORGET_BATCH),
                                "DIALECT",
                                "2")
                        .call(reply -> {
                            List<String> keys = new ArrayList<>();
                            for (int i = 1; i < reply.size(); i++) {
                                keys.add(reply.get(i).toString());
                            }
                            return keys.isEmpty()
                                    ? Uni.createFrom().voidItem()
                                    : redis.key().del(keys.toArray(String[]::new));
                        }))
                .whilst(reply -> reply.size() > 1)
                .collect()
                .last()
                .chain(() -> redis.key().del(RedisKeys.contentHashes(userId)))
                .replaceWithVoid();
    }

    /**
     * The BM25 candidates with their vectors of that model (the HASH field the KNN searches), each score divided by
     * the best one: the Query Engine's BM25 has its own scale and corpus-wide statistics, so the top score is the
     * yardstick here.
     */
    @Override
    public Query<LexicalCandidates> lexicalCandidatesQuery(
            String userId, List<String> terms, Set<String> kinds, int n, String vectorModel) {
        List<String> tokens = terms.stream()
                .map(QueryEngineIndex::escapeTerm)
                .filter(t -> !t.isEmpty())
                .distinct()
                .toList();
        if (tokens.isEmpty()) {
            return Query.answered(LexicalCandidates.NONE);
        }
        String field = vectorField(vectorModel);
        Request request = Request.cmd(FT_SEARCH)
                .arg(index)
                .arg("@terms:(" + String.join("|", tokens) + ") " + filter(userId, kinds))
                .arg("WITHSCORES")
                .arg("SCORER")
                .arg("BM25")
                .arg("LIMIT")
                .arg("0")
                .arg(Integer.toString(n))
                .arg("RETURN")
                .arg(Integer.toString(RETURN_FIELDS.length + 1));
        for (String name : RETURN_FIELDS) {
            request.arg(name);
        }
        request.arg(field).arg("DIALECT").arg("2");
        return Query.of(request, reply -> candidates(reply, field));
    }

    private static LexicalCandidates candidates(Response reply, String vectorField) {
        List<Memory> memories = new ArrayList<>();
        Map<String, float[]> vectors = new HashMap<>();
        double best = 0;
        for (int i = 1; i + 2 < reply.size(); i += 3) {
            best = Math.max(best, Double.parseDouble(reply.get(i + 1).toString()));
        }
        for (int i = 1; i + 2 < reply.size(); i += 3) {
            String key = reply.get(i).toString();
            String id = key.substring(key.lastIndexOf(':') + 1);
            double score = Double.parseDouble(reply.get(i + 1).toString());
            Response values = reply.get(i + 2);
            Map<String, String> fields = new HashMap<>();
            for (int f = 0; f + 1 < values.size(); f += 2) {
                String name = values.get(f).toString();
                if (name.equals(vectorField)) {
                    vectors.put(id, VectorCodec.fromFloat32(values.get(f + 1).toBytes()));
                } else {
                    fields.put(name, values.get(f + 1).toString());
                }
            }
            memories.add(MemoryHashes.toMemory(id, fields, best > 0 ? score / best : 0));
        }
        return new LexicalCandidates(memories, vectors);
    }

    @Override
    public Query<VectorSync> vectorSyncQuery(String userId) {
        return Query.answered(VectorSync.NONE);
    }

    /**
     * KNN within the user's tag (and the kinds), on the HNSW field of the query's model: {@code (@userId:{u})=>[KNN n
     * @v_… $B AS vector_distance]}; cosine = 1 − the distance.
     */
    @Override
    public Uni<List<VectorHit>> nearest(
            String userId, VectorSync sync, Embedded query, Set<String> kinds, int n, LexicalCandidates also) {
        return nearest(userId, query, kinds, n).map(hits -> {
            List<VectorHit> all = new ArrayList<>(hits);
            Set<String> found = new java.util.HashSet<>();
            hits.forEach(h -> found.add(h.id()));
            for (Memory m : also.memories()) {
                float[] vector = also.vectors().get(m.id());
                if (!found.contains(m.id()) && vector != null && vector.length == query.vector().length) {
                    double dot = 0;
                    for (int j = 0; j < vector.length; j++) {
                        dot += vector[j] * query.vector()[j];
                    }
                    all.add(new VectorHit(m.id(), dot, m.createdAt().toEpochMilli(), m));
                }
            }
            return all;
        });
    }

    private Uni<List<VectorHit>> nearest(String userId, Embedded query, Set<String> kinds, int n) {
        return withVectorField(query).chain(field -> {
            Request request = Request.cmd(FT_SEARCH)
                    .arg(index)
                    .arg("(" + filter(userId, kinds) + ")=>[KNN " + n + " @" + field + " $B AS " + DISTANCE + "]")
                    .arg("PARAMS")
                    .arg("2")
                    .arg("B")
                    .arg(VectorCodec.float32(query.vector()))
                    .arg("SORTBY")
                    .arg(DISTANCE)
                    .arg("LIMIT")
                    .arg("0")
                    .arg(Integer.toString(n))
                    .arg("RETURN")
                    .arg(Integer.toString(RETURN_FIELDS.length + 1));
            for (String name : RETURN_FIELDS) {
                request.arg(name);
            }
            request.arg(DISTANCE).arg("DIALECT").arg("2");
            return Pipeline.run(redis, Query.of(request, QueryEngineIndex::toHits));
        });
    }

    /** A KNN reply: total, then per document its key and its fields, the distance among them. */
    private static List<VectorHit> toHits(Response reply) {
        List<VectorHit> hits = new ArrayList<>();
        for (int i = 1; i + 1 < reply.size(); i += 2) {
            String key = reply.get(i).toString();
            Response values = reply.get(i + 1);
            Map<String, String> fields = new HashMap<>();
            for (int f = 0; f + 1 < values.size(); f += 2) {
                fields.put(values.get(f).toString(), values.get(f + 1).toString());
            }
            double cosine = 1 - Double.parseDouble(fields.getOrDefault(DISTANCE, "1"));
            Memory memory = MemoryHashes.toMemory(key.substring(key.lastIndexOf(':') + 1), fields, null);
            hits.add(new VectorHit(memory.id(), cosine, memory.createdAt().toEpochMilli(), memory));
        }
        return hits;
    }

    /**
     * The HASH field holding the vectors of this model, added to the index ({@code FT.ALTER … SCHEMA ADD … VECTOR
     * HNSW … DISTANCE_METRIC COSINE}) the first time this process meets the model. One field per model: a vector of
     * the wrong dimension in an indexed field would keep the whole memory out of the index.
     */
    private Uni<String> withVectorField(Embedded embedded) {
        if (embedded == null) {
            return Uni.createFrom().item("-");
        }
        String field = vectorField(embedded.model());
        if (vectorFields.containsKey(embedded.model())) {
            return Uni.createFrom().item(field);
        }
        return redis.execute(
                        "FT.ALTER",
                        index,
                        "SCHEMA",
                        "ADD",
                        field,
                        "VECTOR",
                        "HNSW",
                        "6",
                        "TYPE",
                        "FLOAT32",
                        "DIM",
                        Integer.toString(embedded.vector().length),
                        "DISTANCE_METRIC",
                        "COSINE")
                .invoke(() -> LOG.infof(
                        "Added vector field %s (%s) to Query Engine index %s", field, embedded.model(), index))
                .onFailure(e -> e.getMessage() != null
                        && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("duplicate"))
                .recoverWithNull()
                .invoke(() -> vectorFields.put(embedded.model(), field))
                .replaceWith(field);
    }

    /** {@code v_} and 12 hex digits of the model id's SHA-256: a field name that never needs escaping. */
    static String vectorField(String model) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(model.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "v_" + java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Query<List<Memory>> query(String query, int limit, boolean scored, String sortBy) {
        Request request = Request.cmd(FT_SEARCH).arg(index).arg(query);
        List<String> args = new ArrayList<>();
        if (scored) {
            args.addAll(List.of("WITHSCORES", "SCORER", "BM25"));
        }
        if (sortBy != null) {
            args.addAll(List.of("SORTBY", sortBy, "DESC"));
        }
        args.addAll(List.of("LIMIT", "0", Integer.toString(limit), "RETURN", Integer.toString(RETURN_FIELDS.length)));
        args.addAll(List.of(RETURN_FIELDS));
        args.addAll(List.of("DIALECT", "2"));
        args.forEach(request::arg);
        return Query.of(request, reply -> toMemories(reply, scored));
    }

    /**
     * Reads an RESP2 {@code FT.SEARCH} reply: total, then per document its key, its score (WITHSCORES) and its
     * field/value list.
     */
    private static List<Memory> toMemories(Response reply, boolean scored) {
        int stride = scored ? 3 : 2;
        List<Memory> memories = new ArrayList<>();
        for (int i = 1; i + stride - 1 < reply.size(); i += stride) {
            String key = reply.get(i).toString();
            Double score = scored ? Double.valueOf(reply.get(i + 1).toString()) : null;
            Response values = reply.get(i + stride - 1);
            Map<String, String> fields = new HashMap<>();
            for (int f = 0; f + 1 < values.size(); f += 2) {
                fields.put(values.get(f).toString(), values.get(f + 1).toString());
            }
            memories.add(MemoryHashes.toMemory(key.substring(key.lastIndexOf(':') + 1), fields, score));
        }
        return memories;
    }

    private static String filter(String userId, Set<String> kinds) {
        String filter = "@userId:{" + escapeTag(userId) + "}";
        if (!kinds.isEmpty()) {
            filter += " @kind:{"
                    + kinds.stream().map(QueryEngineIndex::escapeTag).sorted().collect(Collectors.joining("|"))
                    + "}";
        }
        return filter;
    }

    private static Memory withScore(Memory m, double score) {
        return new Memory(m.id(), m.text(), m.kind(), m.createdAt(), m.updatedAt(), m.source(), score);
    }

    /**
     * A query term as a literal: letters and digits stay, any other character is backslash-escaped, and a term
     * with characters the query syntax cannot carry (control characters, symbols outside the BMP) is dropped.
     */
    static String escapeTerm(String term) {
        StringBuilder out = new StringBuilder(term.length() + 4);
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                out.append(c);
            } else if (c < 128 && !Character.isISOControl(c) && c != ' ') {
                out.append('\\').append(c);
            } else {
                return "";
            }
        }
        return out.toString();
    }

    /** A TAG value as a literal: everything but letters and digits is backslash-escaped. */
    static String escapeTag(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
