package dev.agentmemory.redis;

/**
 * The one place that knows how Redis keys are spelled.
 *
 * <p>Every key of a user carries the user id as a hash tag ({@code {user}}), so all of one user's data lives in
 * one Redis Cluster slot and multi-key scripts stay legal on a cluster. Ids are validated before they get here
 * (see {@code memory.ids.pattern}): they cannot contain braces or colons, so two different (user, session)
 * pairs never produce the same key.
 */
public final class RedisKeys {

    private RedisKeys() {}

    /** Prefix every Query Engine-indexed memory HASH starts with ({@code FT.CREATE … PREFIX 1 mem:}). */
    public static final String MEMORY_PREFIX = "mem:";

    /** The LIST of JSON messages of one session. */
    public static String session(String userId, String sessionId) {
        return "chat:" + tag(userId) + ":" + sessionId;
    }

    /** The SET of a user's session ids, kept as long as their newest session, so forgetting a user needs no SCAN. */
    public static String sessions(String userId) {
        return "sessions:" + tag(userId);
    }

    /** One long-term memory, a HASH. */
    public static String memory(String userId, String memoryId) {
        return memoryPrefix(userId) + memoryId;
    }

    /** What every memory key of the user starts with. */
    public static String memoryPrefix(String userId) {
        return MEMORY_PREFIX + tag(userId) + ":";
    }

    /** The user's content-hash → memory id map, for exact-duplicate detection. */
    public static String contentHashes(String userId) {
        return indexPrefix(userId) + "hash";
    }

    /**
     * What every portable-index key of the user starts with: {@code idx:{user}:t:<term>} postings,
     * {@code idx:{user}:b:<term>} bitmaps, {@code idx:{user}:meta}, {@code idx:{user}:stats},
     * {@code idx:{user}:recent}, {@code idx:{user}:k:<kind>}, {@code idx:{user}:num}, {@code idx:{user}:doc}
     * and the search's scratch key {@code idx:{user}:q:and} (the Lua scripts derive those from this prefix).
     */
    public static String indexPrefix(String userId) {
        return "idx:" + tag(userId) + ":";
    }

    public static String indexStats(String userId) {
        return indexPrefix(userId) + "stats";
    }

    public static String indexMeta(String userId) {
        return indexPrefix(userId) + "meta";
    }

    public static String indexRecent(String userId) {
        return indexPrefix(userId) + "recent";
    }

    /** Memory id → its number in the term bitmaps ({@code idx:{user}:b:<term>}, see {@code memory-write.lua}). */
    public static String indexNumbers(String userId) {
        return indexPrefix(userId) + "num";
    }

    /** Number → memory id, the inverse of {@link #indexNumbers}. */
    public static String indexDocs(String userId) {
        return indexPrefix(userId) + "doc";
    }

    private static String tag(String userId) {
        return "{" + userId + "}";
    }
}
