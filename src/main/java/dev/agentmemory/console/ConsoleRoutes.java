package dev.agentmemory.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.problem.Problem;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

/**
 * The web console: static files (plain ES modules) under {@code META-INF/resources/console/}, which Quarkus serves
 * as they are. The page holds no credentials of its own: it calls the public API with the token or key its user
 * types in, so the files themselves are public. When {@code memory.console.enabled} is false, {@code /console} is
 * a 404 like any unknown path; when true, {@code /} and {@code /console} redirect to it, and its files are sent
 * with a content security policy that admits nothing from another origin.
 */
@ApplicationScoped
public class ConsoleRoutes {

    static final String PATH = "/console";

    /** Scripts, styles and API calls from this origin only; no frames, no plugins. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none';"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final boolean enabled;
    private final String notFound;

    public ConsoleRoutes(MemoryConfig config, ObjectMapper json) throws JsonProcessingException {
        this.enabled = config.console().enabled();
        // The problem any unknown path gets.
        this.notFound =
                json.writeValueAsString(Problem.of(Response.Status.NOT_FOUND, "not-found", "HTTP 404 Not Found"));
    }

    void install(@Observes Router router) {
        if (!enabled) {
            router.route(PATH + "*")
                    .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                    .handler(context -> context.response()
                            .setStatusCode(404)
                            .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                            .end(notFound));
            return;
        }
        // A relative redirect, so that a proxy that serves the service under a path prefix keeps it. A regular
        // expression, since a plain route path would also match /console/ and redirect it to itself.
        router.getWithRegex("/|" + PATH)
                .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(context -> context.response()
                        .setStatusCode(302)
                        .putHeader(HttpHeaders.LOCATION, "console/")
                        .end());
        router.get(PATH + "/*").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(ConsoleRoutes::secure);
    }

    private static void secure(RoutingContext context) {
        context.response()
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer");
        // Revalidated on every load (a 304 while unchanged), so that a browser never runs an older console against
        // a newer service; the static handler would let it keep the files for a day.
        context.addHeadersEndHandler(done -> context.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache"));
        context.next();
    }
}
