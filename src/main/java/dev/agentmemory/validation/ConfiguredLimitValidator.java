package dev.agentmemory.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.Collection;
import org.eclipse.microprofile.config.ConfigProvider;

/** Checks {@link ConfiguredLimit}, with a message that says what the limit is. */
abstract class ConfiguredLimitValidator<T> implements ConstraintValidator<ConfiguredLimit, T> {

    private String property;

    @Override
    public void initialize(ConfiguredLimit annotation) {
        this.property = annotation.value();
    }

    @Override
    public boolean isValid(T value, ConstraintValidatorContext context) {
        // Read on use: validators are set up at build time, before run-time configuration exists.
        int limit = ConfigProvider.getConfig().getValue(property, Integer.class);
        if (value == null || size(value) <= limit) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate("must hold at most " + limit + " " + unit())
                .addConstraintViolation();
        return false;
    }

    abstract int size(T value);

    abstract String unit();

    public static class ForText extends ConfiguredLimitValidator<CharSequence> {

        @Override
        int size(CharSequence value) {
            return value.length();
        }

        @Override
        String unit() {
            return "characters";
        }
    }

    public static class ForCollection extends ConfiguredLimitValidator<Collection<?>> {

        @Override
        int size(Collection<?> value) {
            return value.size();
        }

        @Override
        String unit() {
            return "elements";
        }
    }
}
