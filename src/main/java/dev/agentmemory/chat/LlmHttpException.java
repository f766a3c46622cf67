package dev.agentmemory.chat;

/** The LLM server answered with an error status; carries its {@code Retry-After} header, if any. */
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
