package dev.agentmemory.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A user or session id: matches {@code memory.ids.pattern} (letters, digits, {@code ._@-}, 1..128 by default). */
@Retention(RUNTIME)
@Target({PARAMETER, FIELD, TYPE_USE})
@Constraint(validatedBy = ValidIdValidator.class)
public @interface ValidId {

    /** The message of a violation, also for a check made without this annotation. */
    String MESSAGE = "must be 1 to 128 characters of letters, digits, '.', '_', '@' or '-'";

    String message() default MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
