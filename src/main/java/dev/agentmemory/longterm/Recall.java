package dev.agentmemory.longterm;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.llm.Embeddings;
import dev.agentmemory.longterm.index.LexicalCandidates;
import dev.agentmemory.longterm.index.MemoryHashes;
import dev.agentmemory.longterm.index.MemoryIndex;
import dev.agentmemory.longterm.index.Recency;
import dev.agentmemory.longterm.index.TextAnalyzer;
import dev.agentmemory.longterm.vector.Embedded;
import dev.agentmemory.longterm.vector.VectorHit;
import dev.agentmemory.longterm.vector.VectorSync;
import dev.agentmemory.redis.Pipeline;
import dev.agentmemory.redis.Query;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Recall for a query: lexical (BM25) and by meaning (the query's embedding against the memories' vectors), fused
 * into one ranking ({@link Fusion}) with the recency boost and the kind filter.
 *
 * <p>Round trips: the lexical candidates and what the vector search needs first (the portable index's cache sync)
 * go in the caller's first round trip, beside its other reads, while the query is embedded on the model's threads.
 * Then at most one more: the Query Engine's KNN search, or, on the portable index, the fields of memories only the
 * vectors found. Without a ready model (loading, {@code none}, or failing), recall is lexical, as before.
 */
@ApplicationScoped
public class Recall {

    private final io.quarkus.redis.datasource.ReactiveRedisDataSource redis;
    private final TextAnalyzer analyzer;
    private final Embeddings embeddings;
    private final MemoryHashes hashes;
    private final Fusion fusion;
    private final MemoryConfig.Recall config;

    public Recall(
            io.quarkus.redis.datasource.ReactiveRedisDataSource redis,
            TextAnalyzer analyzer,
            Embeddings embeddings,
            MemoryHashes hashes,
            Fusion fusion,
            MemoryConfig config) {
        this.redis = redis;
        this.analyzer = analyzer;
        this.embeddings = embeddings;
        this.hashes = hashes;
        this.fusion = fusion;
        this.config = config.recall();
    }

    /** The whole recall, in its own round trips. */
    public Uni<List<Memory>> recall(MemoryIndex index, String userId, String query, Set<String> kinds, int limit) {
        Plan plan = plan(index, userId, query, kinds, limit);
        return plan.run(Pipeline.run(redis, plan.lexical(), plan.vectorSync()), Tuple2::getItem1, Tuple2::getItem2)
                .map(Tuple2::getItem2);
    }

    /** A recall to run beside other reads: see {@link Plan#run}. */
    public Plan plan(MemoryIndex index, String userId, String query, Set<String> kinds, int limit) {
        boolean hybrid = embeddings.ready();
        Recency recency = new Recency(config.recencyWeight(), config.recencyHalfLife(), System.currentTimeMillis());
        List<String> terms = analyzer.queryTerms(query, config.maxQueryTerms());
        if (!hybrid) {
            return new Plan(
                    index,
                    userId,
                    query,
                    kinds,
                    limit,
                    recency,
                    index.searchQuery(userId, terms, kinds, limit, recency)
                            .map(found -> new LexicalCandidates(found, Map.of())),
                    null);
        }
        int depth = Math.max(limit, config.fusion().lexicalCandidates());
        return new Plan(
                index,
                userId,
                query,
                kinds,
                limit,
                recency,
                index.lexicalCandidatesQuery(userId, terms, kinds, depth, embeddings.modelId()),
                index.vectorSyncQuery(userId));
    }

    /**
     * One recall's reads and what follows them. The caller puts {@link #lexical()} and {@link #vectorSync()} in its
     * first round trip and hands that round trip to {@link #run}.
     */
    public final class Plan {

        private final MemoryIndex index;
        private final String userId;
        private final String query;
        private final Set<String> kinds;
        private final int limit;
        private final Recency recency;
        private final Optional<DateMention> date;
        private final Query<LexicalCandidates> lexical;
        private final Query<VectorSync> vectorSync;

        private Plan(
                MemoryIndex index,
                String userId,
                String query,
                Set<String> kinds,
                int limit,
                Recency recency,
                Query<LexicalCandidates> lexical,
                Query<VectorSync> vectorSync) {
            this.index = index;
            this.userId = userId;
            this.query = query;
            this.kinds = kinds;
            this.limit = limit;
            this.recency = recency;
            this.date = DateMention.in(query);
            this.lexical = lexical;
            this.vectorSync = vectorSync;
        }

        /** The lexical candidates. */
        public Query<LexicalCandidates> lexical() {
            return lexical;
        }

        /** What the vector search needs from Redis first; answered at once when there is no vector search. */
        public Query<VectorSync> vectorSync() {
            return vectorSync == null ? Query.answered(VectorSync.NONE) : vectorSync;
        }

        /**
         * Runs the caller's first round trip beside the query's embedding, then the vector search and the fusion.
         *
         * @param roundTrip the caller's reads, {@link #lexical()} and {@link #vectorSync()} among them
         * @return the round trip's result and the recalled memories, best first
         */
        public <T> Uni<Tuple2<T, List<Memory>>> run(
                Uni<T> roundTrip, Function<T, LexicalCandidates> lexicalOf, Function<T, VectorSync> syncOf) {
            if (vectorSync == null) {
                return roundTrip.map(
                        reads -> Tuple2.of(reads, lexicalOf.apply(reads).memories()));
            }
            return Uni.combine()
                    .all()
                    .unis(roundTrip, embeddings.embedQuery(query))
                    .asTuple()
                    .chain(both -> {
                        T reads = both.getItem1();
                        float[] vector = both.getItem2();
                        LexicalCandidates candidates = lexicalOf.apply(reads);
                        List<Memory> found = candidates.memories();
                        if (vector == null) {
                            return Uni.createFrom().item(Tuple2.of(reads, lexicalOnly(found)));
                        }
                        Embedded embedded = new Embedded(vector, embeddings.modelId());
                        int nearest = Math.max(limit, config.fusion().vectorCandidates());
                        return index.nearest(userId, syncOf.apply(reads), embedded, kinds, nearest, candidates)
                                .map(hits -> aboveTheFloor(hits, found, vector))
                                .chain(hits ->
                                        complete(fusion.fuse(index.lexicalScale(), found, hits, recency, date, limit)))
                                .map(memories -> Tuple2.of(reads, memories));
                    });
        }

        /**
         * The vector hits that are lexical hits too, or more similar to the query than unrelated memories are (see
         * {@code memory.recall.fusion.floor-percentile}).
         */
        private List<VectorHit> aboveTheFloor(List<VectorHit> hits, List<Memory> lexical, float[] query) {
            double percentile = config.fusion().floorPercentile();
            if (percentile <= 0) {
                return hits;
            }
            double floor = embeddings.unrelatedSimilarity(query, percentile);
            Set<String> matched = lexical.stream().map(Memory::id).collect(java.util.stream.Collectors.toSet());
            return hits.stream()
                    .filter(h -> h.cosine() > floor || matched.contains(h.id()))
                    .toList();
        }

        /** The lexical candidates alone (the query could not be embedded), boosted by recency. */
        private List<Memory> lexicalOnly(List<Memory> found) {
            return fusion.fuse(index.lexicalScale(), found, List.of(), recency, date, limit).stream()
                    .map(r -> withScore(r.memory(), r.score()))
                    .toList();
        }

        /** The fused ranking with every memory's fields: one read for those only the vectors found. */
        private Uni<List<Memory>> complete(List<Fusion.Ranked> ranked) {
            List<String> missing = ranked.stream()
                    .filter(r -> r.memory() == null)
                    .map(Fusion.Ranked::id)
                    .toList();
            Uni<Map<String, Memory>> fields =
                    missing.isEmpty() ? Uni.createFrom().item(Map.of()) : hashes.getAll(userId, missing);
            return fields.map(read -> {
                List<Memory> memories = new ArrayList<>(ranked.size());
                for (Fusion.Ranked r : ranked) {
                    Memory memory = r.memory() != null ? r.memory() : read.get(r.id());
                    if (memory != null) { // gone since the vectors were read
                        memories.add(withScore(memory, r.score()));
                    }
                }
                return memories;
            });
        }
    }

    private static Memory withScore(Memory m, double score) {
        return new Memory(m.id(), m.text(), m.kind(), m.createdAt(), m.updatedAt(), m.source(), score);
    }
}
