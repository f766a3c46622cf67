package dev.agentmemory.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * A point in time a client may give (a message's {@code at}, a memory's {@code createdAt}): from 1970-01-01 to the
 * end of 9999. Times are stored as epoch milliseconds, and ISO-8601 text has four-digit years only in that span;
 * anything outside it is a mistake, not a date. Null is valid.
 */
@Retention(RUNTIME)
@Target({PARAMETER, FIELD, RECORD_COMPONENT})
@Constraint(validatedBy = ValidTimeValidator.class)
public @interface ValidTime {

    String message() default "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
