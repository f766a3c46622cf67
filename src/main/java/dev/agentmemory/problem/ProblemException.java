package dev.agentmemory.problem;

import java.time.Duration;

/**
 * A failure that knows the problem a client should get for it (a 4xx of a feature's own kind), so that the HTTP
 * edge and the SSE {@code error} event answer it the same way without knowing the feature.
 */
public abstract class ProblemException extends RuntimeException {

    protected ProblemException(String message) {
        super(message);
    }

    /** The problem document to answer. */
    public abstract Problem problem();

    /** The {@code Retry-After} to send with it, or null for none. */
    public Duration retryAfter() {
        return null;
    }
}
