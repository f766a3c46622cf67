package dev.agentmemory.longterm.index;

import dev.agentmemory.longterm.vector.Embedded;
import dev.agentmemory.redis.UserGeneration;
import java.time.Instant;
import java.util.List;

/**
 * A memory as written to Redis, with what the index needs: its analysed terms (repeats included), the hash of its
 * normalised content, and its vector when a model made one (null otherwise: the backfill adds it later); and the
 * user's generation the write belongs to (an extraction job's, see {@link dev.agentmemory.redis.UserGeneration}), or
 * {@code ""} for a write begun now.
 */
public record MemoryRecord(
        String userId,
        String id,
        String text,
        String kind,
        Instant createdAt,
        Instant updatedAt,
        String source,
        String contentHash,
        List<String> terms,
        String generation,
        Embedded embedding) {

    /** A memory written on the caller's own behalf, now, without a vector. */
    public MemoryRecord(
            String userId,
            String id,
            String text,
            String kind,
            Instant createdAt,
            Instant updatedAt,
            String source,
            String contentHash,
            List<String> terms) {
        this(userId, id, text, kind, createdAt, updatedAt, source, contentHash, terms, UserGeneration.NOW, null);
    }
}
