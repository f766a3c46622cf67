package dev.agentmemory.web;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The OpenAPI document at {@code /q/openapi}, where Quarkus' OpenAPI extension would serve it: YAML, or JSON
 * with {@code ?format=json} or when JSON comes first in {@code Accept}. The document is generated with the
 * classes at build time (into {@code META-INF/openapi/}, by the {@code smallrye-open-api-maven-plugin}), so
 * that the service does not build it at every start, and read on the first request.
 */
@Path("/q/openapi")
public class OpenApiResource {

    static final String YAML = "application/yaml;charset=UTF-8";
    static final String JSON = "application/json;charset=UTF-8";

    @GET
    @Operation(hidden = true)
    public RestResponse<byte[]> document(
            @QueryParam("format") @Pattern(regexp = "(?i)json|yaml", message = "must be json or yaml") String format,
            @Context HttpHeaders headers) {
        boolean json = format != null
                ? format.equalsIgnoreCase("json")
                : headers.getAcceptableMediaTypes().stream()
                        .findFirst()
                        .filter(type -> type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType())
                        .isPresent();
        byte[] document = json ? Documents.JSON : Documents.YAML;
        if (document == null) {
            throw new NotFoundException("The OpenAPI document was not generated with this build");
        }
        return RestResponse.ResponseBuilder.ok(document, json ? JSON : YAML).build();
    }

    /** Read when first needed. */
    private static final class Documents {
        static final byte[] JSON = read("META-INF/openapi/openapi.json");
        static final byte[] YAML = read("META-INF/openapi/openapi.yaml");

        private static byte[] read(String name) {
            try (InputStream in = OpenApiResource.class.getClassLoader().getResourceAsStream(name)) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
