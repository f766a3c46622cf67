package dev.agentmemory.web;

import dev.agentmemory.problem.Problem;
import dev.agentmemory.security.AccessProblems;
import dev.agentmemory.security.UserAccess;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every request to the MCP endpoints ({@code /mcp}, {@code /mcp/sse}, …) needs valid credentials before the MCP server
 * reads it: otherwise a 401 with the challenge and the problem document of the REST API, which tells an MCP client to
 * authenticate. Which user a call may act for is each tool's check ({@link UserAccess#authorize(String)}), since one
 * MCP session of an admin may act for several users.
 */
@ApplicationScoped
public class McpAccessFilter {

    /**
     * After Quarkus has set up the request's (lazy) authentication, a filter of priority 200 that runs at order -200,
     * and before the MCP routes.
     */
    private static final int ORDER = -50;

    private final UserAccess access;

    public McpAccessFilter(UserAccess access) {
        this.access = access;
    }

    void register(@Observes Router router) {
        router.routeWithRegex("/mcp(/.*)?")
                .order(ORDER)
                .handler(this::requireCredentials)
                .failureHandler(McpAccessFilter::afterFailure);
    }

    /**
     * Credentials that do not verify also fail the request in the security layer (its deferred authentication), and
     * the MCP server's own failure handler would then answer with a JSON-RPC error, racing the 401 this filter sends
     * ("Response head already sent", or a cast of a string JSON-RPC id). An access failure is answered here, once;
     * any other failure goes on to the MCP server.
     */
    private static void afterFailure(RoutingContext request) {
        if (request.response().headWritten()) {
            return;
        }
        Problem problem = request.failure() == null ? null : AccessProblems.of(request.failure());
        if (problem == null) {
            request.next();
        } else {
            answer(request, problem);
        }
    }

    private void requireCredentials(RoutingContext request) {
        QuarkusHttpUser.getSecurityIdentity(request, null)
                .subscribe()
                .with(
                        identity -> {
                            try {
                                access.authenticated(identity);
                            } catch (RuntimeException refused) {
                                refuse(request, refused);
                                return;
                            }
                            request.next();
                        },
                        failure -> refuse(request, failure));
    }

    private static void refuse(RoutingContext request, Throwable failure) {
        Problem problem = AccessProblems.of(failure);
        if (problem == null) {
            request.fail(failure);
            return;
        }
        answer(request, problem);
    }

    private static void answer(RoutingContext request, Problem problem) {
        if (request.response().headWritten()) {
            return; // already answered, by the filter or by its failure handler
        }
        request.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader("WWW-Authenticate", AccessProblems.CHALLENGE)
                .end(Json.encode(problem));
    }
}
