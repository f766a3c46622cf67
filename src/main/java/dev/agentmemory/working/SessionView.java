package dev.agentmemory.working;

import java.util.List;

/**
 * What a session holds now.
 *
 * @param messages oldest first, at most {@code memory.session.history-cap}
 * @param ttlSeconds seconds until the session expires; 0 for an unknown or expired session
 */
public record SessionView(List<Message> messages, long ttlSeconds) {

    static final SessionView EMPTY = new SessionView(List.of(), 0);
}
