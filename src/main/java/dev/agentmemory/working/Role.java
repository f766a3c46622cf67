package dev.agentmemory.working;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who said a message, written in lower case ({@code user}, {@code assistant}, {@code system}). */
public enum Role {
    USER,
    ASSISTANT,
    SYSTEM;

    /** The allowed values, as a problem detail says them. */
    public static final String ALLOWED = "must be one of user, assistant, system";

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role written as {@code value}, or null for anything else: a request's validation then reports the field
     * together with every other offending one (a parse failure would stop at the first).
     */
    @JsonCreator
    public static Role of(String value) {
        for (Role role : values()) {
            if (role.json().equals(value)) {
                return role;
            }
        }
        return null;
    }
}
