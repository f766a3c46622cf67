package dev.agentmemory.web;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.redis.StoreUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Redis down or busy: 503 with {@code Retry-After}; the client may simply try again. */
public class StoreUnavailableMapper {

    private static final Logger LOG = Logger.getLogger(StoreUnavailableMapper.class);

    private final long retryAfterSeconds;

    public StoreUnavailableMapper(MemoryConfig config) {
        this.retryAfterSeconds = Math.max(1, config.store().retryAfter().toSeconds());
    }

    @ServerExceptionMapper
    public Response map(StoreUnavailableException e) {
        LOG.warnf("Answering 503: %s", e.getMessage());
        Problem problem = Problem.of(
                Response.Status.SERVICE_UNAVAILABLE, "store-unavailable", "Memory storage is unavailable; retry later");
        return Response.fromResponse(problem.toResponse())
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .build();
    }
}
