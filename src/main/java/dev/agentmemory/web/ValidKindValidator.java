package dev.agentmemory.web;

import dev.agentmemory.config.MemoryConfig;
import io.smallrye.config.SmallRyeConfig;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

public class ValidKindValidator implements ConstraintValidator<ValidKind, String> {

    private volatile Pattern pattern;

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        return value == null || pattern().matcher(value).matches();
    }

    /** Read on first use: validators are set up at build time, before run-time configuration exists. */
    private Pattern pattern() {
        Pattern current = pattern;
        if (current == null) {
            MemoryConfig config =
                    ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(MemoryConfig.class);
            current = Pattern.compile(config.longTerm().kindPattern());
            pattern = current;
        }
        return current;
    }
}
