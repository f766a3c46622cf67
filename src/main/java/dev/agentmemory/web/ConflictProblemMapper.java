package dev.agentmemory.web;

import dev.agentmemory.longterm.DuplicateMemoryException;
import dev.agentmemory.problem.Problems;
import dev.agentmemory.redis.UserErasedException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A change that conflicts with what the user already has: 409. */
public class ConflictProblemMapper {

    @ServerExceptionMapper
    public Response erased(UserErasedException e) {
        return Problems.erased().toResponse();
    }

    @ServerExceptionMapper
    public Response duplicate(DuplicateMemoryException e) {
        return e.problem().toResponse();
    }
}
