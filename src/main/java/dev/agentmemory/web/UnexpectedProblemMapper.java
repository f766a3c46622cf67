package dev.agentmemory.web;

import dev.agentmemory.problem.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Anything else is a bug: logged with its stack trace, answered as a 500 that reveals nothing internal. */
public class UnexpectedProblemMapper {

    private static final Logger LOG = Logger.getLogger(UnexpectedProblemMapper.class);

    @ServerExceptionMapper
    public Response map(Throwable e) {
        LOG.error("Unexpected failure", e);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "internal", "An unexpected error occurred")
                .toResponse();
    }
}
