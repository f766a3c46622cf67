package dev.agentmemory.chat;

import dev.agentmemory.problem.Problem;
import dev.agentmemory.problem.ProblemException;
import java.util.List;

/** An {@code Idempotency-Key} that is not a valid key (it must match {@code memory.ids.pattern}): 400. */
public class InvalidIdempotencyKeyException extends ProblemException {

    public InvalidIdempotencyKeyException() {
        super("must be 1 to 128 characters of letters, digits, '.', '_', '@' or '-'");
    }

    @Override
    public Problem problem() {
        return Problem.invalid(List.of(new Problem.FieldError(ChatResource.IDEMPOTENCY_KEY, getMessage())));
    }
}
