package dev.agentmemory.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.time.Instant;

/** {@link ValidTime}: the years 1970 to 9999, both included. */
public class ValidTimeValidator implements ConstraintValidator<ValidTime, Instant> {

    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    @Override
    public boolean isValid(Instant value, ConstraintValidatorContext context) {
        return value == null || (!value.isBefore(EARLIEST) && !value.isAfter(LATEST));
    }
}
