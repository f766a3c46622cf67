package dev.agentmemory.longterm.vector;

import dev.agentmemory.longterm.Memory;

/**
 * A memory near the query vector.
 *
 * @param id the memory's id
 * @param cosine cosine similarity with the query, −1 to 1
 * @param createdAt the memory's creation time, epoch milliseconds (for the recency boost)
 * @param memory the memory itself when the search returned it (Query Engine), else null (portable: the service
 *     holds vectors, not texts)
 */
public record VectorHit(String id, double cosine, long createdAt, Memory memory) {

    public VectorHit(String id, double cosine, long createdAt) {
        this(id, cosine, createdAt, null);
    }
}
