package dev.agentmemory.longterm;

import dev.agentmemory.validation.ConfiguredLimit;
import dev.agentmemory.validation.ValidKind;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Pattern;

/** Body of {@code PATCH …/memories/{id}}: the fields to change; at least one. */
public record UpdateRequest(
        @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
                @ConfiguredLimit("memory.long-term.max-text-chars")
                String text,
        @ValidKind String kind) {

    @AssertTrue(message = "must change text or kind")
    boolean isChange() {
        return text != null || kind != null;
    }
}
