package dev.agentmemory.longterm.index;

import java.time.Instant;
import java.util.List;

/**
 * A memory as written to Redis, with what the index needs: its analysed terms (repeats included) and the hash
 * of its normalised content.
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
        List<String> terms) {}
