package dev.agentmemory.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * An upper bound that lives in configuration: the annotated whole number (or query text holding one) may be at
 * most what the named {@code memory.*} property says. Text that is not a number is left to {@code @Pattern}.
 */
@Retention(RUNTIME)
@Target({PARAMETER, FIELD})
@Constraint(validatedBy = ConfiguredMaxValidator.class)
public @interface ConfiguredMax {

    /** The configuration property holding the bound, e.g. {@code memory.recall.max-limit}. */
    String value();

    String message() default "is too large";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
