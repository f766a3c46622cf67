package dev.agentmemory.validation;

/** {@link ValidId}: {@code memory.ids.pattern}; an absent id is invalid. */
public class ValidIdValidator extends ConfiguredPatternValidator<ValidId> {

    public ValidIdValidator() {
        super(config -> config.ids().pattern(), false);
    }
}
