package dev.agentmemory.web;

import dev.agentmemory.longterm.MemoryNotFoundException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A memory the user does not have: 404. */
public class NotFoundProblemMapper {

    @ServerExceptionMapper
    public Response map(MemoryNotFoundException e) {
        return e.problem().toResponse();
    }
}
