package dev.agentmemory.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail, the body of every error response.
 *
 * @param type stable identifier of the kind of problem
 * @param title short summary of that kind
 * @param status the HTTP status
 * @param detail what went wrong this time
 * @param field for bad input: the first offending field, as a path into the request ({@code messages[2].role})
 * @param errors for bad input: every offending field
 */
// Written by exception mappers and into SSE error events, where Quarkus cannot see the type to register it.
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(
        name = "Problem",
        description = "An RFC 9457 problem document, the body of every error answer",
        requiredProperties = {"type", "title", "status", "detail"})
public record Problem(
        @Schema(
                        description = "Stable identifier of the kind of problem",
                        example = "urn:agent-memory:problem:invalid-request")
                String type,
        @Schema(description = "Short summary of that kind", example = "Bad Request") String title,
        @Schema(description = "The HTTP status", example = "400") int status,
        @Schema(description = "What went wrong this time", example = "text must not be blank") String detail,
        @Schema(
                        description = "Bad input: the first offending field, as a path into the request",
                        example = "messages[2].role")
                String field,
        @Schema(description = "Bad input: every offending field, with the rule it breaks") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    private static final String TYPE_PREFIX = "urn:agent-memory:problem:";

    /** One offending field of a bad request. */
    @RegisterForReflection
    @Schema(name = "FieldError")
    public record FieldError(
            @Schema(description = "The field, as a path into the request") String field,
            @Schema(description = "The rule it breaks") String detail) {}

    public static Problem of(Response.StatusType status, String kind, String detail) {
        return new Problem(TYPE_PREFIX + kind, status.getReasonPhrase(), status.getStatusCode(), detail, null, null);
    }

    public static Problem invalid(List<FieldError> errors) {
        FieldError first = errors.get(0);
        String detail = errors.size() == 1
                ? first.field() + " " + first.detail()
                : errors.size() + " fields are invalid; first: " + first.field() + " " + first.detail();
        return new Problem(
                TYPE_PREFIX + "invalid-request", "Bad Request", 400, detail, first.field(), List.copyOf(errors));
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
