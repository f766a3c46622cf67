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
        return sessionPrefix(userId) + sessionId;
    }

    /** What every session key of the user starts with. */
    public static String sessionPrefix(String userId) {
        return "chat:" + tag(userId) + ":";
    }

    /**
     * The ZSET of a user's session ids scored by their expiry (epoch ms), kept as long as their newest session, so
     * forgetting a user needs no SCAN.
     */
    public static String sessions(String userId) {
        return "sessions:" + tag(userId);
    }

    /**
     * The user's generation, a STRING: a random token that whatever a chat turn writes must still find, or
     * {@code forgetting} while the user is being forgotten (see {@link UserGeneration}).
     */
    public static String generation(String userId) {
        return "gen:" + tag(userId);
    }

    /**
     * The record of a chat turn sent with an {@code Idempotency-Key}, a HASH: running (held by one attempt), or done
     * with its reply, so that a retry with the same key gets that reply. Keys are validated like ids (no colon).
     */
    public static String turn(String userId, String sessionId, String idempotencyKey) {
        return turnPrefix(userId) + turnMember(sessionId, idempotencyKey);
    }

    /** What every turn record key of the user starts with. */
    public static String turnPrefix(String userId) {
        return "turn:" + tag(userId) + ":";
    }

    /** A turn record's member in {@link #turns}: {@code <session>:<key>}. */
    public static String turnMember(String sessionId, String idempotencyKey) {
        return sessionId + ":" + idempotencyKey;
    }

    /** The ZSET of the user's turn records (member → expiry), so that forgetting the user needs no SCAN. */
    public static String turns(String userId) {
        return "turns:" + tag(userId);
    }

    /** The STREAM of the user's extraction jobs still to do, written in the step that saves a chat exchange. */
    public static String jobs(String userId) {
        return "jobs:" + tag(userId);
    }

    /** The HASH of attempts made so far per job of {@link #jobs}: job id → attempts. */
    public static String jobAttempts(String userId) {
        return jobs(userId) + ":tries";
    }

    /** The STREAM of the user's extraction jobs given up after their last attempt (dead letters). */
    public static String deadJobs(String userId) {
        return jobs(userId) + ":dead";
    }

    /**
     * What the keys of users' job streams and dead letters look like, for a {@code SCAN MATCH}: {@link #jobs} ends
     * with the closing brace (a user id holds none), {@link #deadJobs} with {@code }:dead}.
     */
    public static final String JOBS_PATTERN = "jobs:{*";

    /** The user whose {@link #jobs} key this is, or null for another key. */
    public static String userOfJobs(String key) {
        if (!key.startsWith("jobs:{") || !key.endsWith("}")) {
            return null;
        }
        return key.substring("jobs:{".length(), key.length() - 1);
    }

    /**
     * A key of the extraction queue's shared state ({@code {queue}:ready}, …). All of them carry the queue's name as
     * their hash tag, so they share one Redis Cluster slot and the scripts that keep them consistent stay legal.
     */
    public static String queue(String queue, String part) {
        return "{" + queue + "}:" + part;
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
     * What the keys of users' content-hash maps look like, for a {@code SCAN MATCH ... TYPE hash}: one per user with
     * memories, on either search backend.
     */
    public static final String CONTENT_HASHES_PATTERN = "idx:{*}:hash";

    /** The user whose {@link #contentHashes} key this is, or null for another key. */
    public static String userOfContentHashes(String key) {
        if (!key.startsWith("idx:{") || !key.endsWith("}:hash")) {
            return null;
        }
        String user = key.substring("idx:{".length(), key.length() - "}:hash".length());
        return user.indexOf('}') >= 0 ? null : user;
    }

    /** The lease of the vector backfill for one model (a STRING with a TTL): the replica that sets it runs the pass. */
    public static String vectorBackfill(String modelDigest) {
        return "{vectors}:backfill:" + modelDigest;
    }

    /**
     * What every portable-index key of the user starts with: {@code idx:{user}:t:<term>} postings,
     * {@code idx:{user}:b:<term>} bitmaps, {@code idx:{user}:meta}, {@code idx:{user}:stats},
     * {@code idx:{user}:recent}, {@code idx:{user}:k:<kind>}, {@code idx:{user}:num}, {@code idx:{user}:doc},
     * {@code idx:{user}:v}, {@code idx:{user}:vstate}, {@code idx:{user}:vlog}
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

    /** The user's vectors for the portable backend: id → int8 vector (see {@code memory-write.lua}). */
    public static String indexVectors(String userId) {
        return indexPrefix(userId) + "v";
    }

    /** Model, epoch and version of the user's vectors. */
    public static String indexVectorState(String userId) {
        return indexPrefix(userId) + "vstate";
    }

    /** The capped log of the user's changed vectors, which the services' caches catch up from. */
    public static String indexVectorLog(String userId) {
        return indexPrefix(userId) + "vlog";
    }

    /** Number → memory id, the inverse of {@link #indexNumbers}. */
    public static String indexDocs(String userId) {
        return indexPrefix(userId) + "doc";
    }

    private static String tag(String userId) {
        return "{" + userId + "}";
    }
}
