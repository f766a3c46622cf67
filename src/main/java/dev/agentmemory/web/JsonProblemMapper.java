package dev.agentmemory.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.agentmemory.problem.Problem;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request body that is not JSON, or not JSON of the expected shape: 400 naming the field. Declared for each
 * Jackson exception type so they take precedence over the framework's plain-text defaults.
 */
public class JsonProblemMapper {

    /** What a time must look like (see {@link RequestBodyStrictness}). */
    static final String DATE_TIME = "must be an ISO-8601 date-time such as 2024-05-01T12:00:00Z";

    @ServerExceptionMapper
    public Response malformed(JsonParseException e) {
        return problem(e).toResponse();
    }

    @ServerExceptionMapper
    public Response invalidValue(InvalidFormatException e) {
        return problem(e).toResponse();
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return problem(e).toResponse();
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return problem(e).toResponse();
    }

    @ServerExceptionMapper
    public Response unmappable(JsonMappingException e) {
        return problem(e).toResponse();
    }

    /** The 400 for any Jackson failure, also when the framework hands it over wrapped in a 400. */
    static Problem problem(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping) || truncated(e)) {
            return invalid("body", "is not valid JSON: " + e.getOriginalMessage());
        }
        if (mapping instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null
                    ? ""
                    : unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .collect(Collectors.joining(", ", "; known fields: ", ""));
            return invalid(field(mapping), "is not a known field" + known);
        }
        Class<?> target = mapping instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (target == Instant.class) {
            return invalid(field(mapping), DATE_TIME);
        }
        if (mapping instanceof InvalidFormatException && target != null && target.isEnum()) {
            return invalid(field(mapping), "must be one of " + enumValues(target));
        }
        if (mapping instanceof InvalidFormatException) {
            return invalid(field(mapping), "has an invalid value");
        }
        return invalid(field(mapping), "has the wrong type or shape");
    }

    private static Problem invalid(String field, String detail) {
        return Problem.invalid(List.of(new Problem.FieldError(field, detail)));
    }

    /** A body cut short is reported by Jackson as a shape mismatch at the open element; it is really not JSON. */
    private static boolean truncated(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        return message != null && message.startsWith("Unexpected end-of-input");
    }

    /** Jackson's reference path ({@code messages → 2 → role}) as {@code messages[2].role}. */
    static String field(JsonMappingException e) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.length() == 0 ? "body" : field.toString();
    }

    private static String enumValues(Class<?> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(c -> c.toString().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
