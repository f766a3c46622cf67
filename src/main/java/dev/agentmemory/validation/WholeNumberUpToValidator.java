package dev.agentmemory.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.eclipse.microprofile.config.ConfigProvider;

/** Checks {@link WholeNumberUpTo}, with a message that says the range. */
public class WholeNumberUpToValidator implements ConstraintValidator<WholeNumberUpTo, CharSequence> {

    private String property;
    private long min;

    @Override
    public void initialize(WholeNumberUpTo annotation) {
        this.property = annotation.value();
        this.min = annotation.min();
    }

    @Override
    public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        // Read on use: validators are set up at build time, before run-time configuration exists.
        long max = ConfigProvider.getConfig().getValue(property, Long.class);
        if (inRange(value.toString(), max)) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate("must be a whole number from " + min + " to " + max)
                .addConstraintViolation();
        return false;
    }

    private boolean inRange(String text, long max) {
        if (!text.matches("[0-9]{1,18}")) {
            return false;
        }
        long number = Long.parseLong(text);
        return number >= min && number <= max;
    }
}
