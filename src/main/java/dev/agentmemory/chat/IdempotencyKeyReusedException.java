package dev.agentmemory.chat;

import dev.agentmemory.problem.Problem;
import dev.agentmemory.problem.ProblemException;
import java.util.List;

/** An {@code Idempotency-Key} sent again with another message than its first turn's: 422. */
public class IdempotencyKeyReusedException extends ProblemException {

    public IdempotencyKeyReusedException() {
        super("This Idempotency-Key was used for another message in this session; use a new key for a new turn");
    }

    @Override
    public Problem problem() {
        return new Problem(
                "urn:agent-memory:problem:idempotency-key-reused",
                "Unprocessable Content",
                422,
                getMessage(),
                ChatResource.IDEMPOTENCY_KEY,
                List.of(new Problem.FieldError(ChatResource.IDEMPOTENCY_KEY, "was used for another message")));
    }
}
