package dev.agentmemory.longterm;

import dev.agentmemory.validation.ConfiguredLimit;
import dev.agentmemory.validation.ValidKind;
import dev.agentmemory.validation.ValidTime;
import jakarta.validation.constraints.NotBlank;
import java.time.Instant;

/**
 * Body of {@code POST /v1/users/{userId}/memories}.
 *
 * @param text the fact, at most {@code memory.long-term.max-text-chars} characters
 * @param kind optional; {@code memory.long-term.default-kind} ({@code fact}) when absent
 * @param createdAt optional; when the fact was learnt (between the years 1970 and 9999), now when absent
 */
public record RememberRequest(
        @NotBlank @ConfiguredLimit("memory.long-term.max-text-chars") String text,
        @ValidKind String kind,
        @ValidTime Instant createdAt) {}
