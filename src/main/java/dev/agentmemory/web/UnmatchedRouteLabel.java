package dev.agentmemory.web;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps user data out of the HTTP metrics: a request is recorded under the template of the route that answered it
 * ({@code /v1/users/{userId}/memories}), and a request that no route took (a wrong method, media type or body size
 * on an API path) under the one value {@value #UNMATCHED}, never under its raw path, which holds user and session
 * ids. Without this Quarkus labels such requests with their path, which also fills its table of URIs
 * ({@code max-uri-tags}) until it stops recording new ones.
 *
 * <p>It sets the request's {@code UrlPathTemplate} (what the metrics read) before any other handler runs; the REST
 * layer replaces it with the matched template. The platform endpoints under {@code /q/} keep their own labels: they
 * are fixed paths.
 */
@ApplicationScoped
public class UnmatchedRouteLabel {

    /** The label of every request that no route matched (a path, as the metrics write every label). */
    public static final String UNMATCHED = "/UNMATCHED";

    /** Where the REST layer and the metrics keep the route template of a request. */
    private static final String TEMPLATE = "UrlPathTemplate";

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(context -> {
            if (!context.normalizedPath().startsWith("/q/")) {
                label(context);
            }
            context.next();
        });
    }

    /** Records the request as unmatched (until a route says otherwise). */
    static void label(RoutingContext context) {
        Context vertx = Vertx.currentContext();
        if (vertx != null) {
            vertx.putLocal(TEMPLATE, UNMATCHED);
        }
    }
}
