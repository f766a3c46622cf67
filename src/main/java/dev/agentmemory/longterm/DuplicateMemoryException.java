package dev.agentmemory.longterm;

import dev.agentmemory.problem.Problem;
import jakarta.ws.rs.core.Response;

/** A change that would make a memory say what another memory of the user already says: refused (409). */
public class DuplicateMemoryException extends RuntimeException {

    private final String existingId;

    public DuplicateMemoryException(String existingId) {
        super("Memory " + existingId + " already says this; nothing was changed");
        this.existingId = existingId;
    }

    /** The 409 every interface answers. */
    public Problem problem() {
        return Problem.of(Response.Status.CONFLICT, "duplicate-memory", getMessage());
    }

    /** The memory that already says it. */
    public String existingId() {
        return existingId;
    }
}
