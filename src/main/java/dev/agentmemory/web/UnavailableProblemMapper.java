package dev.agentmemory.web;

import dev.agentmemory.llm.LlmUnavailableException;
import dev.agentmemory.problem.Problems;
import dev.agentmemory.redis.StoreUnavailableException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Redis or the LLM down or busy: 503 with {@code Retry-After}; the client may simply try again. */
public class UnavailableProblemMapper {

    private static final Logger LOG = Logger.getLogger(UnavailableProblemMapper.class);

    private final Problems problems;

    public UnavailableProblemMapper(Problems problems) {
        this.problems = problems;
    }

    @ServerExceptionMapper
    public Response store(StoreUnavailableException e) {
        LOG.warnf("Answering 503: %s", e.getMessage());
        return problems.response(e);
    }

    @ServerExceptionMapper
    public Response llm(LlmUnavailableException e) {
        LOG.warnf("Answering 503: %s", e.getMessage());
        return problems.response(e);
    }
}
