package dev.agentmemory.web;

import dev.agentmemory.problem.InvalidInputException;
import dev.agentmemory.problem.Problem;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Bean Validation failures on a request: 400 naming each field as a path into the request. */
public class ValidationProblemMapper {

    @ServerExceptionMapper
    public Response map(ConstraintViolationException e) {
        // One error per field, so that a field that breaks two rules is not listed twice.
        Map<String, Problem.FieldError> errors = new TreeMap<>();
        e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::detail))
                .forEach(error -> errors.putIfAbsent(error.field(), error));
        return Problem.invalid(List.copyOf(errors.values())).toResponse();
    }

    @ServerExceptionMapper
    public Response map(InvalidInputException e) {
        return e.problem().toResponse();
    }

    /**
     * {@code append.body.messages[2].content} becomes {@code messages[2].content}; a path parameter keeps its
     * name ({@code get.userId} becomes {@code userId}); a violation of the body as a whole is {@code body}.
     */
    static String field(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = new ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        int start = 0;
        if (start < nodes.size() && nodes.get(start).getKind() == ElementKind.METHOD) {
            start++;
        }
        // The body parameter's own name is noise ("body.messages[0]"); a query parameter's is the field.
        if (start < nodes.size() - 1
                && nodes.get(start).getKind() == ElementKind.PARAMETER
                && nodes.get(start + 1).getKind() != ElementKind.CONTAINER_ELEMENT) {
            start++;
        }
        StringBuilder field = new StringBuilder();
        for (Path.Node node : nodes.subList(start, nodes.size())) {
            if (node.isInIterable() && node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
            String name = node.getName();
            if (name != null && !name.startsWith("<")) {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(name);
            }
        }
        return field.length() == 0 ? "body" : field.toString();
    }
}
