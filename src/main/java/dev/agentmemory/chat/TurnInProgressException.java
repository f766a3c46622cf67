package dev.agentmemory.chat;

import dev.agentmemory.problem.Problem;
import dev.agentmemory.problem.ProblemException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/** A retry found the turn of its {@code Idempotency-Key} still running after waiting for it: 409, retry later. */
public class TurnInProgressException extends ProblemException {

    private final Duration retryAfter;

    public TurnInProgressException(Duration retryAfter) {
        super("The turn sent with this Idempotency-Key is still running; retry later for its reply");
        this.retryAfter = retryAfter;
    }

    @Override
    public Problem problem() {
        return Problem.of(Response.Status.CONFLICT, "turn-in-progress", getMessage());
    }

    @Override
    public Duration retryAfter() {
        return retryAfter;
    }
}
