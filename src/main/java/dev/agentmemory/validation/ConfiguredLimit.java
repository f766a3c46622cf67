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
 * A size limit that lives in configuration rather than in code: the annotated text may hold at most, or the
 * annotated collection may contain at most, the number the named {@code memory.*} property says.
 */
@Retention(RUNTIME)
@Target({PARAMETER, FIELD, RECORD_COMPONENT})
@Constraint(validatedBy = {ConfiguredLimitValidator.ForText.class, ConfiguredLimitValidator.ForCollection.class})
public @interface ConfiguredLimit {

    /** The configuration property holding the limit, e.g. {@code memory.session.max-message-chars}. */
    String value();

    String message() default "is too long";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
