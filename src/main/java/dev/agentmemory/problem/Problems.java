package dev.agentmemory.problem;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.llm.LlmUnavailableException;
import dev.agentmemory.redis.StoreUnavailableException;
import dev.agentmemory.redis.UserErasedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The problem for a failing dependency, shared by the exception mappers and the SSE {@code error} event: Redis
 * or the LLM unavailable is a 503 with {@code Retry-After}; anything else is a 500 that reveals nothing.
 */
@ApplicationScoped
public class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);

    private final Duration storeRetryAfter;

    public Problems(MemoryConfig config) {
        this.storeRetryAfter = config.store().retryAfter();
    }

    public Problem of(Throwable failure) {
        if (failure instanceof StoreUnavailableException) {
            return Problem.of(
                    Response.Status.SERVICE_UNAVAILABLE,
                    "store-unavailable",
                    "Memory storage is unavailable; retry later");
        }
        if (failure instanceof LlmUnavailableException) {
            return Problem.of(
                    Response.Status.SERVICE_UNAVAILABLE, "llm-unavailable", failure.getMessage() + "; retry later");
        }
        if (failure instanceof UserErasedException) {
            return erased();
        }
        if (failure instanceof ProblemException known) {
            return known.problem();
        }
        LOG.error("Unexpected failure", failure);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "internal", "An unexpected error occurred");
    }

    /** The user was forgotten while the request ran, or is being forgotten: nothing was written (409). */
    public static Problem erased() {
        return Problem.of(
                Response.Status.CONFLICT,
                "user-erased",
                "The user's memory was erased while this request ran, or is being erased; nothing was written");
    }

    /**
     * The response for a failing dependency, with {@code Retry-After} on a 503, or for a {@link ProblemException}
     * (with its own {@code Retry-After}, if any).
     */
    public Response response(Throwable failure) {
        Problem problem = of(failure);
        Response.ResponseBuilder response = Response.fromResponse(problem.toResponse());
        if (failure instanceof ProblemException known && known.retryAfter() != null) {
            response.header(
                    HttpHeaders.RETRY_AFTER, Math.max(1, (known.retryAfter().toMillis() + 999) / 1000));
        }
        if (problem.status() == 503) {
            Duration after = failure instanceof LlmUnavailableException llm && llm.retryAfter() != null
                    ? llm.retryAfter()
                    : storeRetryAfter;
            response.header(HttpHeaders.RETRY_AFTER, Math.max(1, (after.toMillis() + 999) / 1000));
        }
        return response.build();
    }
}
