package dev.agentmemory.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A memory kind: matches {@code memory.long-term.kind-pattern} (a lower-case word by default). Null is valid. */
@Retention(RUNTIME)
@Target({PARAMETER, FIELD, RECORD_COMPONENT, TYPE_USE})
@Constraint(validatedBy = ValidKindValidator.class)
public @interface ValidKind {

    String message() default "must be a lower-case word: a letter, then up to 31 of a-z, 0-9, '_' or '-'";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
