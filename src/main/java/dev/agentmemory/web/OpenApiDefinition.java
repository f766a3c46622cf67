package dev.agentmemory.web;

import dev.agentmemory.problem.Problem;
import dev.agentmemory.security.ApiKeyAuthenticationMechanism;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * What the OpenAPI document says about the API as a whole: its credentials (a bearer JWT or an API key, either one)
 * and the error answers its operations share, each a problem document ({@link Problem}). Which operation answers
 * which of them is {@link OpenApiContract}'s (the ones every route can give) or the resource method's own
 * {@code @APIResponse} (404, 409, 422). Read when the document is generated at build time, where the OpenAPI
 * scanner looks for it: on the JAX-RS application class, which adds nothing else (every resource is served, at
 * its own path).
 */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Agent Memory API",
                        version = "1",
                        description =
                                "Working and long-term memory for LLM agents, on Redis. Every error is an RFC 9457"
                                        + " problem document (application/problem+json) with a stable type"
                                        + " (urn:agent-memory:problem:…).",
                        license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")),
        security = {
            @SecurityRequirement(name = OpenApiDefinition.BEARER),
            @SecurityRequirement(name = OpenApiDefinition.API_KEY)
        },
        components =
                @Components(
                        securitySchemes = {
                            @SecurityScheme(
                                    securitySchemeName = OpenApiDefinition.BEARER,
                                    type = SecuritySchemeType.HTTP,
                                    scheme = "bearer",
                                    bearerFormat = "JWT",
                                    description =
                                            "A JWT from the configured issuer, acting for the user in its sub claim"
                                                    + " (memory.auth.user-claim), or for any user with the group memory-admin"),
                            @SecurityScheme(
                                    securitySchemeName = OpenApiDefinition.API_KEY,
                                    type = SecuritySchemeType.APIKEY,
                                    in = SecuritySchemeIn.HEADER,
                                    apiKeyName = ApiKeyAuthenticationMechanism.HEADER,
                                    description =
                                            "An API key whose SHA-256 digest the service is given; acts for any user")
                        },
                        responses = {
                            @APIResponse(
                                    name = OpenApiDefinition.BAD_REQUEST,
                                    responseCode = "400",
                                    description =
                                            "Bad input: field names the first offending field as a path into the request"
                                                    + " (messages[2].role), errors lists every one",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = OpenApiDefinition.UNAUTHORIZED,
                                    responseCode = "401",
                                    description = "No credentials, or credentials that do not verify",
                                    headers =
                                            @Header(
                                                    name = "WWW-Authenticate",
                                                    description = "The challenge",
                                                    schema = @Schema(type = SchemaType.STRING)),
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = OpenApiDefinition.FORBIDDEN,
                                    responseCode = "403",
                                    description =
                                            "Valid credentials that may not act for this user (the same answer whether"
                                                    + " the user exists or not)",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = OpenApiDefinition.NOT_FOUND,
                                    responseCode = "404",
                                    description = "No such memory for this user",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = OpenApiDefinition.CONFLICT,
                                    responseCode = "409",
                                    description =
                                            "user-erased: the user is being forgotten, or was while the request ran;"
                                                    + " nothing was written",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = OpenApiDefinition.TOO_LARGE,
                                    responseCode = "413",
                                    description = "Request body over quarkus.http.limits.max-body-size (1 MiB)",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = OpenApiDefinition.UNSUPPORTED_MEDIA_TYPE,
                                    responseCode = "415",
                                    description = "A body that is not application/json",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = OpenApiDefinition.UNAVAILABLE,
                                    responseCode = "503",
                                    description =
                                            "Redis unreachable or not ready (the service recovers by itself), or for a"
                                                    + " chat turn the LLM timed out or kept failing through its retries",
                                    headers =
                                            @Header(
                                                    name = "Retry-After",
                                                    description = "Seconds to wait before trying again",
                                                    schema = @Schema(type = SchemaType.INTEGER)),
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class)))
                        }))
public class OpenApiDefinition extends Application {

    static final String BEARER = "bearer";
    static final String API_KEY = "apiKey";

    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String NOT_FOUND = "NotFound";
    public static final String CONFLICT = "Conflict";
    public static final String TOO_LARGE = "TooLarge";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    public static final String UNAVAILABLE = "Unavailable";
}
