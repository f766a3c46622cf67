package dev.agentmemory.longterm;

import dev.agentmemory.problem.Problem;
import jakarta.ws.rs.core.Response;

/** The user has no memory with that id (or it belongs to someone else, which looks the same). */
public class MemoryNotFoundException extends RuntimeException {

    public MemoryNotFoundException(String id) {
        super("No memory with id " + id);
    }

    /** The 404 every interface answers. */
    public Problem problem() {
        return Problem.of(Response.Status.NOT_FOUND, "memory-not-found", getMessage());
    }
}
