package dev.agentmemory.longterm;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A durable fact about a user.
 *
 * @param id unique among the user's memories
 * @param text the fact, in plain language
 * @param kind what sort of fact: {@code preference}, {@code event}, {@code fact}, …
 * @param createdAt when the fact was learnt (drives the recency boost and newest-first order)
 * @param updatedAt when it was last changed
 * @param source where it came from: {@code api}, or the session it was extracted from
 * @param score recall score (relevance × recency boost); absent when listing without a query
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Memory(
        String id, String text, String kind, Instant createdAt, Instant updatedAt, String source, Double score) {}
