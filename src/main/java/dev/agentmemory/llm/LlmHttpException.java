package dev.agentmemory.llm;

import dev.langchain4j.exception.HttpException;

/**
 * The LLM server answered with an error status, with its {@code Retry-After} header carried along: the extension's
 * own exception keeps the status but drops the headers (see {@link ModelClients}). A langchain4j
 * {@link HttpException}, so that langchain4j classifies it as it classifies its own (rate limit, server error, …).
 */
public class LlmHttpException extends HttpException {

    private final String retryAfter;

    public LlmHttpException(int status, String retryAfter, String body) {
        super(status, "HTTP " + status + (body == null || body.isEmpty() ? "" : ": " + body));
        this.retryAfter = retryAfter;
    }

    public int status() {
        return statusCode();
    }

    /** The {@code Retry-After} header as sent, or null. */
    public String retryAfter() {
        return retryAfter;
    }
}
