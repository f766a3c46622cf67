package dev.agentmemory.validation;

/** {@link ValidKind}: {@code memory.long-term.kind-pattern}; an absent kind is valid (the default applies). */
public class ValidKindValidator extends ConfiguredPatternValidator<ValidKind> {

    public ValidKindValidator() {
        super(config -> config.longTerm().kindPattern(), true);
    }
}
