package dev.agentmemory.working;

import dev.agentmemory.validation.ConfiguredLimit;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * Body of {@code POST …/messages}.
 *
 * @param messages the messages to append, oldest first
 * @param extract true to have the facts of the exchanges among them extracted into long-term memory, as a chat turn
 *     does; false or absent to append only
 */
public record AppendRequest(
        @NotEmpty @ConfiguredLimit("memory.session.max-messages-per-append")
                List<@NotNull(message = "must be a message object") @Valid Message> messages,
        Boolean extract) {

    public boolean extracts() {
        return Boolean.TRUE.equals(extract);
    }
}
