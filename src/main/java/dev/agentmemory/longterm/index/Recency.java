package dev.agentmemory.longterm.index;

import java.time.Duration;

/**
 * The recency boost: {@code score = relevance × (1 + weight × 2^(−age / halfLife))}, age measured at {@code
 * nowMillis}. A weight of 0 ranks by relevance alone.
 */
public record Recency(double weight, Duration halfLife, long nowMillis) {

    public static Recency none(long nowMillis) {
        return new Recency(0, Duration.ofDays(1), nowMillis);
    }

    public double boost(long createdAtMillis) {
        double age = Math.max(0, nowMillis - createdAtMillis);
        return 1 + weight * Math.pow(2, -age / halfLife.toMillis());
    }
}
