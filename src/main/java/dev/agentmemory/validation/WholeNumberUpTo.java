package dev.agentmemory.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Query text that must be a whole number from {@link #min()} up to what the named {@code memory.*} property says:
 * one rule with one message, whatever is wrong with the text (not a number, too small, too large). Null is valid.
 */
@Retention(RUNTIME)
@Target({PARAMETER, FIELD})
@Constraint(validatedBy = WholeNumberUpToValidator.class)
public @interface WholeNumberUpTo {

    /** The configuration property holding the largest value allowed, e.g. {@code memory.recall.max-limit}. */
    String value();

    /** The smallest value allowed. */
    long min() default 1;

    String message() default "must be a whole number in range";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
