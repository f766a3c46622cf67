package dev.agentmemory.llm;

import java.time.Duration;

/**
 * The LLM timed out, is rate limiting us past our retries, failed on its side or answered an incomplete reply: a
 * 503 for the client.
 */
public class LlmUnavailableException extends RuntimeException {

    private final Duration retryAfter;

    public LlmUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** When the client may try again, when the LLM said (429 {@code Retry-After}); null otherwise. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
