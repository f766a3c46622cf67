package dev.agentmemory.longterm.index;

import dev.agentmemory.longterm.Memory;
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
}
