package dev.agentmemory.working;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.agentmemory.validation.ConfiguredLimit;
import dev.agentmemory.validation.ValidTime;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;

/**
 * One message of a session.
 *
 * @param role who said it
 * @param content what was said, at most {@code memory.session.max-message-chars} characters
 * @param at when it was said, between the years 1970 and 9999; the service stamps the time of the append when a
 *     client leaves it out
 */
// The descriptions reach the argument schema of the MCP tool add_messages.
public record Message(
        @JsonPropertyDescription("Who said it.") @NotNull(message = Role.ALLOWED) Role role,
        @JsonPropertyDescription("What was said.") @NotBlank @ConfiguredLimit("memory.session.max-message-chars")
                String content,
        @JsonPropertyDescription("When it was said (ISO-8601); the time of the append when left out.") @ValidTime
                Instant at) {

    public static Message now(Role role, String content) {
        return new Message(role, content, Instant.now());
    }

    Message stamped(Instant now) {
        return at == null ? new Message(role, content, now) : this;
    }
}
