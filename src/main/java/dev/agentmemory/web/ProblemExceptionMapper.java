package dev.agentmemory.web;

import dev.agentmemory.problem.ProblemException;
import dev.agentmemory.problem.Problems;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A feature's own 4xx: the problem the failure carries. */
public class ProblemExceptionMapper {

    private final Problems problems;

    public ProblemExceptionMapper(Problems problems) {
        this.problems = problems;
    }

    @ServerExceptionMapper
    public Response map(ProblemException e) {
        return problems.response(e);
    }
}
