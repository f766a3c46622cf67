package dev.agentmemory.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.eclipse.microprofile.config.ConfigProvider;

public class ConfiguredMaxValidator implements ConstraintValidator<ConfiguredMax, CharSequence> {

    private String property;

    @Override
    public void initialize(ConfiguredMax annotation) {
        this.property = annotation.value();
    }

    @Override
    public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        long number;
        try {
            number = Long.parseLong(value.toString());
        } catch (NumberFormatException e) {
            return true; // not a number: reported by @Pattern
        }
        // Read on use: validators are set up at build time, before run-time configuration exists.
        int max = ConfigProvider.getConfig().getValue(property, Integer.class);
        if (number <= max) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate("must be at most " + max).addConstraintViolation();
        return false;
    }
}
