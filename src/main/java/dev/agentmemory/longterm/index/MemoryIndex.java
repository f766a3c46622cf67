package dev.agentmemory.longterm.index;

import dev.agentmemory.longterm.Memory;
import dev.agentmemory.longterm.vector.Embedded;
import dev.agentmemory.longterm.vector.VectorBacklog;
import dev.agentmemory.longterm.vector.VectorHit;
import dev.agentmemory.longterm.vector.VectorSync;
import dev.agentmemory.redis.Query;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Set;

/**
 * The search port: writes memories so that they can be recalled, and recalls them, always within one user.
 * Two adapters: {@link PortableIndex} (any Redis ≥ 6.2) and {@link QueryEngineIndex} (the {@code FT.*}
 * commands). Both pass the same contract tests.
 */
public interface MemoryIndex {

    /** {@code portable} or {@code query-engine}. */
    String name();

    /** What the lexical candidates' relevance is divided by ({@link #lexicalCandidatesQuery}). */
    LexicalScale lexicalScale();

    /** Stores a new memory atomically with its index entries, unless its content hash is already known. */
    Uni<Stored> store(MemoryRecord memory);

    /**
     * Replaces a memory and re-indexes it; false when it does not exist. Fails with
     * {@link dev.agentmemory.longterm.DuplicateMemoryException} when another memory of the user has the new content
     * hash (nothing is changed then).
     */
    Uni<Boolean> update(MemoryRecord memory);

    /** Removes a memory and its index entries; false when it did not exist. */
    Uni<Boolean> remove(String userId, String id);

    /**
     * The user's memories best matching any of the analysed terms, scored by BM25 × recency boost, best first.
     *
     * @param kinds only these kinds; empty for all
     */
    Uni<List<Memory>> search(String userId, List<String> terms, Set<String> kinds, int limit, Recency recency);

    /** {@link #search} as a query, to share a round trip with other reads. */
    Query<List<Memory>> searchQuery(String userId, List<String> terms, Set<String> kinds, int limit, Recency recency);

    /** The user's newest memories, newest first. */
    Uni<List<Memory>> newest(String userId, Set<String> kinds, int limit);

    /** {@link #newest} as a query, to share a round trip with other reads. */
    Query<List<Memory>> newestQuery(String userId, Set<String> kinds, int limit);

    /** Removes every memory and index entry of the user. */
    Uni<Void> forget(String userId);

    /**
     * The lexical candidates of a hybrid recall: the best {@code n} by BM25 (no recency boost), scored on a scale of
     * their own (see {@link LexicalCandidates}); with the vectors of {@code vectorModel} where the backend returns
     * them.
     */
    Query<LexicalCandidates> lexicalCandidatesQuery(
            String userId, List<String> terms, Set<String> kinds, int n, String vectorModel);

    /**
     * What a vector search needs from Redis before it can run, as a query to share the round trip of the lexical
     * search (the portable index's cache sync); answered without Redis where nothing is needed.
     */
    Query<VectorSync> vectorSyncQuery(String userId);

    /**
     * The user's {@code n} memories nearest the query vector (cosine, best first), among the given kinds (all when
     * empty); none when the user has no vectors of the query's model.
     *
     * @param sync what {@link #vectorSyncQuery} answered for this search
     */
    default Uni<List<VectorHit>> nearest(String userId, VectorSync sync, Embedded query, Set<String> kinds, int n) {
        return nearest(userId, sync, query, kinds, n, LexicalCandidates.NONE);
    }

    /**
     * As {@link #nearest(String, VectorSync, Embedded, Set, int)}, followed by the cosines of the lexical candidates
     * outside those {@code n} (those that have a vector of the query's model).
     */
    Uni<List<VectorHit>> nearest(
            String userId, VectorSync sync, Embedded query, Set<String> kinds, int n, LexicalCandidates also);

    /**
     * A page of the user's memories that have no vector of {@code model} (stored before vectors existed, while no
     * model was ready, or by another model), for the backfill; a page may be empty before the last one.
     *
     * @param cursor {@code "0"} for the first page, then the cursor of the page before
     * @param count about how many memories to look at
     */
    Uni<VectorBacklog> vectorBacklog(String userId, String model, String cursor, int count);

    /**
     * Gives a stored memory the vector made from {@code text}, atomically: false (nothing written) when the memory
     * is gone or its text changed since; fails with {@link dev.agentmemory.redis.UserErasedException} when the user
     * was forgotten since {@code generation} was read (see {@link VectorBacklog#generation()}).
     */
    Uni<Boolean> addVector(String userId, String id, String text, String generation, Embedded vector);
}
