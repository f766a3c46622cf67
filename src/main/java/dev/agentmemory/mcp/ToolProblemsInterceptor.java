package dev.agentmemory.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.agentmemory.longterm.DuplicateMemoryException;
import dev.agentmemory.longterm.MemoryNotFoundException;
import dev.agentmemory.problem.InvalidInputException;
import dev.agentmemory.problem.Problem;
import dev.agentmemory.problem.Problems;
import dev.agentmemory.security.AccessProblems;
import io.quarkiverse.mcp.server.ToolCallException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns any failure of a tool into an MCP tool error ({@code isError: true}) whose text is the problem document the
 * REST API answers for the same failure: a bad argument (named as the tool names it, {@code messages[1].content}),
 * credentials that may not act for the user, an unknown memory, Redis or the LLM unavailable. Nothing else leaves a
 * tool: no stack trace, no class name (an unexpected failure is logged and answered as an internal error).
 *
 * <p>Outside every other interceptor, so that it also sees the argument checks of Bean Validation.
 */
@ToolProblems
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public class ToolProblemsInterceptor {

    private final Problems problems;
    private final ObjectWriter json;

    public ToolProblemsInterceptor(Problems problems, ObjectMapper json) {
        this.problems = problems;
        this.json = json.writer();
    }

    @AroundInvoke
    Object answerProblems(InvocationContext context) throws Exception {
        Object result;
        try {
            result = context.proceed();
        } catch (Exception e) {
            throw toolError(e);
        }
        return result instanceof Uni<?> uni ? uni.onFailure().transform(this::toolError) : result;
    }

    private ToolCallException toolError(Throwable failure) {
        if (failure instanceof ToolCallException error) {
            return error;
        }
        try {
            return new ToolCallException(json.writeValueAsString(problem(failure)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Problem problem(Throwable failure) {
        Problem access = AccessProblems.of(failure);
        if (access != null) {
            return access;
        }
        if (failure instanceof ConstraintViolationException violations) {
            return invalid(violations);
        }
        if (failure instanceof InvalidInputException invalid) {
            return invalid.problem();
        }
        if (failure instanceof MemoryNotFoundException notFound) {
            return notFound.problem();
        }
        if (failure instanceof DuplicateMemoryException duplicate) {
            return duplicate.problem();
        }
        return problems.of(failure);
    }

    /** One error per argument, each named by its path from the tool's arguments. */
    private static Problem invalid(ConstraintViolationException e) {
        Map<String, Problem.FieldError> errors = new TreeMap<>();
        e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::detail))
                .forEach(error -> errors.putIfAbsent(error.field(), error));
        return Problem.invalid(List.copyOf(errors.values()));
    }

    /** {@code addMessages.messages[1].content} becomes {@code messages[1].content}. */
    static String field(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD) {
                continue;
            }
            if (node.isInIterable() && node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
            String name = node.getName();
            if (name != null && !name.startsWith("<")) {
                field.append(field.length() > 0 ? "." : "").append(name);
            }
        }
        return field.length() == 0 ? "arguments" : field.toString();
    }
}
