package dev.agentmemory.web;

import dev.agentmemory.problem.Problem;
import dev.agentmemory.security.AccessProblems;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A caller refused by {@link dev.agentmemory.security.UserAccess}: 401 with a challenge, or 403. */
public class AccessProblemMapper {

    @ServerExceptionMapper
    public Response missing(UnauthorizedException e) {
        return unauthorized(AccessProblems.missing());
    }

    @ServerExceptionMapper
    public Response invalid(AuthenticationFailedException e) {
        return unauthorized(AccessProblems.invalid());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return AccessProblems.forbidden().toResponse();
    }

    private static Response unauthorized(Problem problem) {
        return Response.fromResponse(problem.toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, AccessProblems.CHALLENGE)
                .build();
    }
}
