package dev.agentmemory.working;

import dev.agentmemory.validation.ConfiguredLimit;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;

/**
 * One message of a session.
 *
 * @param role who said it
 * @param content what was said, at most {@code memory.session.max-message-chars} characters
 * @param at when it was said; the service stamps the time of the append when a client leaves it out
 */
public record Message(
        @NotNull Role role, @NotBlank @ConfiguredLimit("memory.session.max-message-chars") String content, Instant at) {

    public static Message now(Role role, String content) {
        return new Message(role, content, Instant.now());
    }

    Message stamped(Instant now) {
        return at == null ? new Message(role, content, now) : this;
    }
}
