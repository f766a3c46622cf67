package dev.agentmemory.chat;

import dev.agentmemory.validation.ConfiguredLimit;
import jakarta.validation.constraints.NotBlank;

/** Body of a chat turn: the user's message. */
public record ChatRequest(@NotBlank @ConfiguredLimit("memory.session.max-message-chars") String message) {}
