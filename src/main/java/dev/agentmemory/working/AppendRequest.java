package dev.agentmemory.working;

import dev.agentmemory.validation.ConfiguredLimit;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** Body of {@code POST …/messages}: messages to append, oldest first. */
public record AppendRequest(
        @NotEmpty @ConfiguredLimit("memory.session.max-messages-per-append")
                List<@NotNull(message = "must be a message object") @Valid Message> messages) {}
