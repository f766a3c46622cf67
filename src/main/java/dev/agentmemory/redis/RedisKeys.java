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

    /** The LIST of JSON messages of one session. */
    public static String session(String userId, String sessionId) {
        return "chat:" + tag(userId) + ":" + sessionId;
    }

    private static String tag(String userId) {
        return "{" + userId + "}";
    }
}
