package dev.agentmemory.problem;

/**
 * Input that passed every rule of its own field but cannot be used together with the rest of the request: a 400
 * naming the field, like any bad input.
 */
public class InvalidInputException extends RuntimeException {

    private final transient Problem.FieldError error;

    public InvalidInputException(String field, String detail) {
        super(field + " " + detail);
        this.error = new Problem.FieldError(field, detail);
    }

    public Problem problem() {
        return Problem.invalid(java.util.List.of(error));
    }
}
