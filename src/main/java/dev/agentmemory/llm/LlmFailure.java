package dev.agentmemory.llm;

import dev.langchain4j.exception.HttpException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * What an LLM failure means for us: its HTTP status where there is one, whether a retry may help (429, 408, 5xx,
 * time-outs, connection failures, a connection closed under the request) and how long the server asked us to wait
 * ({@code Retry-After}). An incomplete reply is not retried: the server answered, and would likely answer alike.
 */
record LlmFailure(int status, boolean retryable, Duration retryAfter) {

    /**
     * The wait before retrying a request whose pooled connection was found closed under it: nothing reached the
     * server, so the exponential back-off meant for an overloaded server would only add latency; a short pause
     * lets the client's pool drop the closed connection instead of handing it out again.
     */
    static final Duration AT_ONCE = Duration.ofMillis(10);

    static LlmFailure of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LlmHttpException http) {
                return new LlmFailure(http.status(), retryableStatus(http.status()), retryAfter(http.retryAfter()));
            }
            if (t instanceof HttpException http) {
                return new LlmFailure(http.statusCode(), retryableStatus(http.statusCode()), null);
            }
            if (t instanceof IncompleteReplyException) {
                return new LlmFailure(0, false, null);
            }
            if (t instanceof io.vertx.core.http.HttpClosedException
                    || (t instanceof IOException && "Connection was closed".equals(t.getMessage()))) {
                return new LlmFailure(0, true, AT_ONCE);
            }
            if (t instanceof TimeoutException
                    || t instanceof io.smallrye.mutiny.TimeoutException
                    || t instanceof dev.langchain4j.exception.TimeoutException
                    || t instanceof IOException) {
                return new LlmFailure(0, true, null);
            }
        }
        return new LlmFailure(0, false, null);
    }

    private static boolean retryableStatus(int status) {
        return status == 429 || status == 408 || status >= 500;
    }

    /** Seconds form only; an HTTP date is rare from LLM servers and treated as absent. */
    static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofMillis((long) (Double.parseDouble(header.trim()) * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
