package dev.agentmemory.longterm;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.llm.Embeddings;
import dev.agentmemory.longterm.index.MemoryHashes;
import dev.agentmemory.longterm.index.MemoryIndex;
import dev.agentmemory.longterm.index.MemoryRecord;
import dev.agentmemory.longterm.index.SearchBackend;
import dev.agentmemory.longterm.index.TextAnalyzer;
import dev.agentmemory.longterm.vector.Embedded;
import dev.agentmemory.redis.Pipeline;
import dev.agentmemory.redis.RedisFailures;
import dev.agentmemory.redis.UserGeneration;
import dev.agentmemory.working.WorkingMemory;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Long-term memory: remember (with dedupe), recall, read, change and forget the facts known about a user. */
@ApplicationScoped
public class MemoryService {

    /** Per instance, not static: a native executable must not carry a seed fixed at build time. */
    private final SecureRandom random = new SecureRandom();

    private final ReactiveRedisDataSource redis;
    private final SearchBackend backend;
    private final MemoryHashes hashes;
    private final TextAnalyzer analyzer;
    private final Dedupe dedupe;
    private final Recall recall;
    private final Embeddings embeddings;
    private final WorkingMemory workingMemory;
    private final UserGeneration generations;
    private final VectorBackfill backfill;
    private final MemoryConfig config;

    public MemoryService(
            ReactiveRedisDataSource redis,
            SearchBackend backend,
            MemoryHashes hashes,
            TextAnalyzer analyzer,
            Dedupe dedupe,
            Recall recall,
            Embeddings embeddings,
            WorkingMemory workingMemory,
            UserGeneration generations,
            VectorBackfill backfill,
            MemoryConfig config) {
        this.redis = redis;
        this.backend = backend;
        this.hashes = hashes;
        this.analyzer = analyzer;
        this.dedupe = dedupe;
        this.recall = recall;
        this.embeddings = embeddings;
        this.workingMemory = workingMemory;
        this.generations = generations;
        this.backfill = backfill;
        this.config = config;
    }

    /**
     * Stores a fact unless the user already has one that says the same (see {@link Dedupe}); then answers that
     * one instead. The text is embedded here when a model is ready.
     */
    public Uni<Remembered> remember(String userId, String text, String kind, Instant createdAt, String source) {
        return embed(text)
                .chain(embedding -> remember(userId, text, kind, createdAt, source, UserGeneration.NOW, embedding));
    }

    /**
     * As {@link #remember(String, String, String, Instant, String)}, on behalf of something begun earlier (an
     * extraction job), with the text's vector already made (extraction embeds a reply's facts in one call), or null to
     * store it without one. Fails with {@link dev.agentmemory.redis.UserErasedException}, and stores nothing, when the
     * user's generation is no longer {@code generation}.
     */
    public Uni<Remembered> remember(
            String userId,
            String text,
            String kind,
            Instant createdAt,
            String source,
            String generation,
            Embedded embedding) {
        List<String> terms = analyzer.terms(text);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS); // stored as epoch milliseconds
        MemoryRecord record = new MemoryRecord(
                userId,
                newId(),
                text,
                kind == null ? config.longTerm().defaultKind() : kind,
                createdAt == null ? now : createdAt,
                now,
                source,
                Dedupe.contentHash(text),
                terms,
                generation,
                embedding);
        return withIndex(index -> dedupe.candidates(index, userId, terms, embedding)
                .chain(candidates -> dedupe.sameAs(text, terms, candidates)
                        .map(existing -> Uni.createFrom().item(new Remembered(existing, false)))
                        .orElseGet(() -> index.store(record)
                                .invoke(stored -> {
                                    if (stored.created() && embedding == null) {
                                        backfill.storedWithoutVector(userId);
                                    }
                                })
                                .chain(stored -> stored.created()
                                        ? Uni.createFrom().item(new Remembered(toMemory(record), true))
                                        : get(userId, stored.id()).map(m -> new Remembered(m, false))))));
    }

    /** The memories best matching the query (scored, best first), or the newest when the query is blank. */
    public Uni<List<Memory>> recall(String userId, String query, Set<String> kinds, int limit) {
        if (query == null || query.isBlank()) {
            return withIndex(index -> Pipeline.run(redis, index.newestQuery(userId, kinds, limit)));
        }
        return withIndex(index -> recall.recall(index, userId, query, kinds, limit));
    }

    /** A recall to run beside other reads (a chat turn's history): see {@link Recall.Plan}. */
    public Recall.Plan recallPlan(MemoryIndex index, String userId, String query, Set<String> kinds, int limit) {
        return recall.plan(index, userId, query, kinds, limit);
    }

    /** The index in use (chosen once, then answered at once); the caller maps a Redis outage. */
    public Uni<MemoryIndex> index() {
        return backend.index();
    }

    public Uni<Memory> get(String userId, String id) {
        return hashes.get(userId, id)
                .onFailure(RedisFailures::isUnavailable)
                .transform(RedisFailures::unavailable)
                .onItem()
                .ifNull()
                .failWith(() -> new MemoryNotFoundException(id));
    }

    /**
     * Changes the text and/or kind of a memory and re-indexes it. A new text is deduped as a new memory is: when
     * another memory of the user already says the same, the change is refused with
     * {@link DuplicateMemoryException} (rather than merged, which would make the memory being changed vanish).
     */
    public Uni<Memory> update(String userId, String id, String text, String kind) {
        return get(userId, id).chain(current -> {
            String newText = text == null ? current.text() : text;
            boolean sameText = newText.equals(current.text());
            return (sameText ? Uni.createFrom().<Embedded>nullItem() : embed(newText))
                    .chain(embedding -> update(userId, current, newText, kind, embedding, !sameText));
        });
    }

    /**
     * The update's write: without a vector, the script keeps the old one for the same text and drops it otherwise. A
     * new text that another memory of the user already says is refused, as a remember would merge it.
     */
    private Uni<Memory> update(
            String userId, Memory current, String newText, String kind, Embedded embedding, boolean newWords) {
        String id = current.id();
        MemoryRecord record = new MemoryRecord(
                userId,
                id,
                newText,
                kind == null ? current.kind() : kind,
                current.createdAt(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                current.source(),
                Dedupe.contentHash(newText),
                analyzer.terms(newText),
                UserGeneration.NOW,
                embedding);
        return withIndex(index -> (newWords
                        ? refuseDuplicate(index, record)
                        : Uni.createFrom().voidItem())
                .chain(() -> index.update(record))
                .map(updated -> {
                    if (!updated) {
                        throw new MemoryNotFoundException(id); // deleted in between
                    }
                    if (newWords && embedding == null) {
                        backfill.storedWithoutVector(userId);
                    }
                    return toMemory(record);
                }));
    }

    /** Fails when another memory of the user says what the record would say (the write script checks the hash). */
    private Uni<Void> refuseDuplicate(MemoryIndex index, MemoryRecord record) {
        return dedupe.candidates(index, record.userId(), record.terms(), record.embedding())
                .invoke(candidates -> dedupe.sameAs(
                                record.text(),
                                record.terms(),
                                candidates.stream()
                                        .filter(c -> !c.memory().id().equals(record.id()))
                                        .toList())
                        .ifPresent(existing -> {
                            throw new DuplicateMemoryException(existing.id());
                        }))
                .replaceWithVoid();
    }

    /** The text's vector, or null when no model is ready. */
    private Uni<Embedded> embed(String text) {
        return embeddings.embed(text).map(vector -> vector == null ? null : new Embedded(vector, embeddings.modelId()));
    }

    public Uni<Void> forget(String userId, String id) {
        return withIndex(index -> index.remove(userId, id)).map(removed -> {
            if (!removed) {
                throw new MemoryNotFoundException(id);
            }
            return null;
        });
    }

    /**
     * Forgets everything about the user, for good. The user's generation is set to "forgetting" first, so that
     * nothing is written for the user meanwhile; then sessions and pending extraction jobs go (so that no job of the
     * user is taken once its memories are gone), then memories and index entries, and last the generation: whatever
     * began before the forget (a chat turn, an extraction job, its retry) holds a generation that no longer exists,
     * and its writes are refused ({@link UserGeneration}).
     */
    public Uni<Void> forgetUser(String userId) {
        return generations
                .beginForget(userId)
                .onFailure(RedisFailures::isUnavailable)
                .transform(RedisFailures::unavailable)
                .chain(() -> workingMemory.dropAll(userId))
                .chain(() -> withIndex(index -> index.forget(userId)))
                .chain(() -> generations.endForget(userId))
                .onFailure(RedisFailures::isUnavailable)
                .transform(RedisFailures::unavailable);
    }

    private <T> Uni<T> withIndex(Function<MemoryIndex, Uni<T>> operation) {
        return backend.index()
                .chain(index -> operation.apply(index))
                .onFailure(RedisFailures::isUnavailable)
                .transform(RedisFailures::unavailable);
    }

    private static Memory toMemory(MemoryRecord r) {
        return new Memory(r.id(), r.text(), r.kind(), r.createdAt(), r.updatedAt(), r.source(), null);
    }

    /** 16 random hex characters: unique among a user's memories with overwhelming probability. */
    private String newId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
