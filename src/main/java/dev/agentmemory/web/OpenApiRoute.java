package dev.agentmemory.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.problem.Problem;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The OpenAPI document at {@code /q/openapi}, where Quarkus' OpenAPI extension would serve it: on the management
 * interface when it is enabled (prod), else on the main port (dev mode, tests). YAML, or JSON with
 * {@code ?format=json} or when JSON comes first in {@code Accept}. The document is generated with the classes at
 * build time (into {@code META-INF/openapi/}, by the {@code smallrye-open-api-maven-plugin}), so that the service
 * does not build it at every start, and read on the first request.
 */
@ApplicationScoped
public class OpenApiRoute {

    static final String PATH = "/q/openapi";
    static final String YAML = "application/yaml;charset=UTF-8";
    static final String JSON = "application/json;charset=UTF-8";

    private final String badFormat;

    public OpenApiRoute(ObjectMapper json) throws JsonProcessingException {
        this.badFormat = json.writeValueAsString(
                Problem.invalid(List.of(new Problem.FieldError("format", "must be json or yaml"))));
    }

    void onManagementInterface(@Observes ManagementInterface management) {
        management.router().get(PATH).handler(this::serve);
    }

    void onMainRouter(
            @Observes Router router,
            @ConfigProperty(name = "quarkus.management.enabled", defaultValue = "false") boolean management) {
        if (!management) {
            router.get(PATH).handler(this::serve);
        }
    }

    private void serve(RoutingContext context) {
        List<String> formats = context.queryParam("format");
        boolean json;
        if (formats.isEmpty()) {
            json = prefersJson(context.request().getHeader(HttpHeaders.ACCEPT));
        } else if (formats.get(0).equalsIgnoreCase("json") || formats.get(0).equalsIgnoreCase("yaml")) {
            json = formats.get(0).equalsIgnoreCase("json");
        } else {
            context.response()
                    .setStatusCode(400)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(badFormat);
            return;
        }
        byte[] document = json ? Documents.JSON : Documents.YAML;
        if (document == null) {
            context.response().setStatusCode(404).end();
            return;
        }
        context.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, json ? JSON : YAML)
                .end(io.vertx.core.buffer.Buffer.buffer(document));
    }

    /** Whether JSON is the media range with the highest quality in {@code Accept} (the first one on a tie). */
    static boolean prefersJson(String accept) {
        if (accept == null) {
            return false;
        }
        String best = null;
        double bestQuality = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            double quality = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip();
                if (parameter.startsWith("q=")) {
                    try {
                        quality = Double.parseDouble(parameter.substring(2));
                    } catch (NumberFormatException e) {
                        quality = 0;
                    }
                }
            }
            if (quality > bestQuality) {
                best = parts[0].strip();
                bestQuality = quality;
            }
        }
        return "application/json".equalsIgnoreCase(best);
    }

    /** Read when first needed. */
    private static final class Documents {
        static final byte[] JSON = read("META-INF/openapi/openapi.json");
        static final byte[] YAML = read("META-INF/openapi/openapi.yaml");

        private static byte[] read(String name) {
            try (InputStream in = OpenApiRoute.class.getClassLoader().getResourceAsStream(name)) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
