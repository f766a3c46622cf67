package dev.agentmemory.longterm.index;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.longterm.Memory;
import dev.agentmemory.longterm.vector.Embedded;
import dev.agentmemory.longterm.vector.PortableVectors;
import dev.agentmemory.longterm.vector.VectorBacklog;
import dev.agentmemory.longterm.vector.VectorHit;
import dev.agentmemory.longterm.vector.VectorSync;
import dev.agentmemory.redis.LuaScript;
import dev.agentmemory.redis.Pipeline;
import dev.agentmemory.redis.Query;
import dev.agentmemory.redis.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The search index for any Redis ≥ 6.2, no modules: a per-user inverted index kept inside Redis (postings
 * ZSETs, document lengths, corpus statistics), written atomically with the memory HASH by {@code
 * memory-write.lua} and searched by {@code memory-search.lua}, which computes BM25, the kind filter and the
 * recency boost server-side and returns the top k with their fields in one round trip. Every key carries the
 * user's hash tag, so it runs unchanged on Redis Cluster.
 */
@ApplicationScoped
public class PortableIndex implements MemoryIndex {

    private static final LuaScript SEARCH = LuaScript.load("memory-search");
    /** Memories removed per script call when forgetting a user, so no single call blocks Redis for long. */
    private static final int FORGET_BATCH = 500;

    private final ReactiveRedisDataSource redis;
    private final MemoryHashes hashes;
    private final PortableVectors vectors;
    private final int postingsBudget;
    private final int changeLog;
    /** The second stage's tunables, as the search script reads them (ARGV[9]). */
    private final String rescore;

    public PortableIndex(
            ReactiveRedisDataSource redis, MemoryHashes hashes, PortableVectors vectors, MemoryConfig config) {
        this.redis = redis;
        this.hashes = hashes;
        this.vectors = vectors;
        this.postingsBudget = config.recall().postingsBudget();
        this.changeLog = config.embedding().changeLog();
        MemoryConfig.Recall.Rescore rescore = config.recall().rescore();
        this.rescore = rescore.depth() + " " + rescore.proximityWeight() + " " + rescore.feedbackMemories() + " "
                + rescore.feedbackTerms() + " " + rescore.feedbackWeight();
    }

    @Override
    public String name() {
        return "portable";
    }

    @Override
    public LexicalScale lexicalScale() {
        return LexicalScale.IDF_MASS;
    }

    @Override
    public Uni<Stored> store(MemoryRecord memory) {
        return hashes.store(
                memory, RedisKeys.indexPrefix(memory.userId()), VectorWrite.portable(memory.embedding(), changeLog));
    }

    @Override
    public Uni<Boolean> update(MemoryRecord memory) {
        return hashes.update(
                memory, RedisKeys.indexPrefix(memory.userId()), VectorWrite.portable(memory.embedding(), changeLog));
    }

    @Override
    public Uni<Boolean> remove(String userId, String id) {
        return hashes.remove(userId, id, RedisKeys.indexPrefix(userId), changeLog);
    }

    @Override
    public Uni<VectorBacklog> vectorBacklog(String userId, String model, String cursor, int count) {
        return hashes.backlog(userId, RedisKeys.indexPrefix(userId), model, "-", cursor, count);
    }

    @Override
    public Uni<Boolean> addVector(String userId, String id, String text, String generation, Embedded vector) {
        return hashes.addVector(
                userId, id, text, generation, RedisKeys.indexPrefix(userId), VectorWrite.portable(vector, changeLog));
    }

    @Override
    public Uni<List<Memory>> search(String userId, List<String> terms, Set<String> kinds, int limit, Recency recency) {
        return Pipeline.run(redis, searchQuery(userId, terms, kinds, limit, recency));
    }

    @Override
    public Query<List<Memory>> searchQuery(
            String userId, List<String> terms, Set<String> kinds, int limit, Recency recency) {
        if (terms.isEmpty()) {
            return Query.answered(List.of());
        }
        return query(userId, terms, kinds, limit, recency, rescore);
    }

    @Override
    public Uni<List<Memory>> newest(String userId, Set<String> kinds, int limit) {
        return Pipeline.run(redis, newestQuery(userId, kinds, limit));
    }

    @Override
    public Query<List<Memory>> newestQuery(String userId, Set<String> kinds, int limit) {
        return query(userId, List.of(), kinds, limit, Recency.none(0), rescore);
    }

    @Override
    public Uni<Void> forget(String userId) {
        // Remove the memories in batches, each through the same script as a single delete, until none is left.
        return Multi.createBy()
                .repeating()
                .uni(() -> redis.sortedSet(String.class)
                        .zrange(RedisKeys.indexRecent(userId), 0, FORGET_BATCH - 1)
                        .call(ids -> Multi.createFrom()
                                .iterable(ids)
                                .onItem()
                                .transformToUniAndConcatenate(id -> remove(userId, id))
                                .collect()
                                .last()))
                .whilst(ids -> ids.size() == FORGET_BATCH)
                .collect()
                .last()
                .chain(() -> redis.key()
                        .del(
                                RedisKeys.contentHashes(userId),
                                RedisKeys.indexStats(userId),
                                RedisKeys.indexMeta(userId),
                                RedisKeys.indexRecent(userId),
                                RedisKeys.indexNumbers(userId),
                                RedisKeys.indexDocs(userId),
                                RedisKeys.indexVectors(userId),
                                RedisKeys.indexVectorState(userId),
                                RedisKeys.indexVectorLog(userId)))
                .invoke(() -> vectors.evict(userId))
                .replaceWithVoid();
    }

    @Override
    public Query<VectorSync> vectorSyncQuery(String userId) {
        return vectors.syncQuery(userId);
    }

    @Override
    public Query<LexicalCandidates> lexicalCandidatesQuery(
            String userId, List<String> terms, Set<String> kinds, int n, String vectorModel) {
        if (terms.isEmpty()) {
            return Query.answered(LexicalCandidates.NONE);
        }
        return query(userId, terms, kinds, n, Recency.none(0), rescore + " 1")
                .map(memories -> new LexicalCandidates(memories, Map.of()));
    }

    @Override
    public Uni<List<VectorHit>> nearest(
            String userId, VectorSync sync, Embedded query, Set<String> kinds, int n, LexicalCandidates also) {
        return vectors.nearest(
                userId,
                sync,
                query.model(),
                query.vector(),
                kinds,
                n,
                also.memories().stream().map(Memory::id).toList());
    }

    /** @param secondStage the search script's ARGV[9] */
    private Query<List<Memory>> query(
            String userId, List<String> terms, Set<String> kinds, int limit, Recency recency, String secondStage) {
        List<String> args = new ArrayList<>(9 + terms.size());
        args.add(RedisKeys.indexPrefix(userId));
        args.add(RedisKeys.memoryPrefix(userId));
        args.add(Integer.toString(limit));
        args.add(Long.toString(recency.nowMillis()));
        args.add(Double.toString(recency.weight()));
        args.add(Long.toString(Math.max(1, recency.halfLife().toMillis())));
        args.add(Integer.toString(postingsBudget));
        args.add(String.join(" ", kinds));
        args.add(secondStage);
        args.addAll(terms);
        return Query.script(
                SEARCH,
                List.of(RedisKeys.indexStats(userId), RedisKeys.indexMeta(userId)),
                args,
                reply -> toMemories(reply, !terms.isEmpty()));
    }

    private static List<Memory> toMemories(Response reply, boolean scored) {
        List<Memory> memories = new ArrayList<>(reply.size() / 7);
        for (int i = 0; i + 6 < reply.size(); i += 7) {
            Map<String, String> fields = Map.of(
                    "text", reply.get(i + 2).toString(),
                    "kind", reply.get(i + 3).toString(),
                    "createdAt", reply.get(i + 4).toString(),
                    "updatedAt", reply.get(i + 5).toString(),
                    "source", reply.get(i + 6).toString());
            Double score = scored ? Double.valueOf(reply.get(i + 1).toString()) : null;
            memories.add(MemoryHashes.toMemory(reply.get(i).toString(), fields, score));
        }
        return memories;
    }
}
