package dev.agentmemory.web;

import dev.agentmemory.config.MemoryConfig;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Swagger UI at {@code /q/swagger-ui}, showing the OpenAPI document of {@link OpenApiRoute}, on the same interface
 * (the management interface when it is enabled, else the main port). Served only when
 * {@code memory.swagger-ui.enabled} (dev mode and the tests; off by default). Its files come from the Swagger UI
 * webjar on the class path, read when first asked for; the page itself is this service's, pointed at the document.
 */
@ApplicationScoped
public class SwaggerUiRoute {

    static final String PATH = "/q/swagger-ui";

    /** The webjar's files this page uses, and their media types. */
    private static final Map<String, String> FILES = Map.of(
            "swagger-ui.css", "text/css;charset=UTF-8",
            "swagger-ui-bundle.js", "text/javascript;charset=UTF-8",
            "favicon-32x32.png", "image/png");

    private static final String PAGE =
            """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>Agent Memory API</title>
              <link rel="stylesheet" href="swagger-ui.css">
              <link rel="icon" type="image/png" href="favicon-32x32.png">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="swagger-ui-bundle.js"></script>
              <script>
                window.ui = SwaggerUIBundle({url: "%s?format=json", dom_id: "#swagger-ui", deepLinking: true});
              </script>
            </body>
            </html>
            """
                    .formatted(OpenApiRoute.PATH);

    private final boolean enabled;
    private final Map<String, Buffer> loaded = new ConcurrentHashMap<>();

    public SwaggerUiRoute(MemoryConfig config) {
        this.enabled = config.swaggerUi().enabled();
    }

    void onManagementInterface(@Observes ManagementInterface management) {
        if (enabled) {
            route(management.router());
        }
    }

    void onMainRouter(
            @Observes Router router,
            @ConfigProperty(name = "quarkus.management.enabled", defaultValue = "false") boolean management) {
        if (enabled && !management) {
            route(router);
        }
    }

    private void route(Router router) {
        // The page's files are relative to it, so it is served at PATH/; this route matches both forms.
        router.get(PATH).handler(context -> {
            if (context.request().path().endsWith("/")) {
                context.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                        .end(PAGE);
            } else {
                context.redirect(PATH + "/");
            }
        });
        router.get(PATH + "/:file").handler(this::serveFile);
    }

    private void serveFile(RoutingContext context) {
        String file = context.pathParam("file");
        String type = FILES.get(file);
        if (type == null) {
            context.next(); // not one of ours: the usual 404
            return;
        }
        context.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, type)
                .putHeader(HttpHeaders.CACHE_CONTROL, "max-age=86400")
                .end(loaded.computeIfAbsent(file, SwaggerUiRoute::read));
    }

    private static Buffer read(String file) {
        ClassLoader loader = SwaggerUiRoute.class.getClassLoader();
        String version = webjarVersion(loader);
        String name = "META-INF/resources/webjars/swagger-ui/" + version + "/" + file;
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Not on the class path: " + name);
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The webjar's version, from its Maven metadata, so that upgrading the dependency needs no change here. */
    private static String webjarVersion(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("The Swagger UI webjar is not on the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
