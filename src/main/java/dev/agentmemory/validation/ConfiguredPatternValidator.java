package dev.agentmemory.validation;

import dev.agentmemory.config.MemoryConfig;
import io.smallrye.config.SmallRyeConfig;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.lang.annotation.Annotation;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Checks text against a regular expression from {@link MemoryConfig}. The pattern is read on first use:
 * validators are set up at build time, before run-time configuration exists.
 */
abstract class ConfiguredPatternValidator<A extends Annotation> implements ConstraintValidator<A, String> {

    private final Function<MemoryConfig, String> regex;
    private final boolean nullIsValid;
    private volatile Pattern pattern;

    ConfiguredPatternValidator(Function<MemoryConfig, String> regex, boolean nullIsValid) {
        this.regex = regex;
        this.nullIsValid = nullIsValid;
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        return value == null ? nullIsValid : pattern().matcher(value).matches();
    }

    private Pattern pattern() {
        Pattern current = pattern;
        if (current == null) {
            MemoryConfig config =
                    ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(MemoryConfig.class);
            current = Pattern.compile(regex.apply(config));
            pattern = current;
        }
        return current;
    }
}
