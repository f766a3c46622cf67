package dev.agentmemory.llm;

/**
 * The LLM server answered with an error status (its {@code Retry-After} header carried along, if any), or with a
 * body that is not a chat completion (a 2xx status: a retry would not help).
 */
public class LlmHttpException extends RuntimeException {

    private final int status;
    private final String retryAfter;

    public LlmHttpException(int status, String retryAfter, String body) {
        super("HTTP " + status + (body == null || body.isEmpty() ? "" : ": " + body));
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** The {@code Retry-After} header as sent, or null. */
    public String retryAfter() {
        return retryAfter;
    }
}
