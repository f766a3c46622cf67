package dev.agentmemory.longterm.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.longterm.Memory;
import dev.agentmemory.testing.PortableProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A kind-filtered search over a term with more postings than the budget: the portable index reads that term's
 * memories in growing chunks (250, then more) until enough of the requested kind are in.
 */
@QuarkusTest
@TestProfile(PortableKindFilterTest.SmallBudget.class)
class PortableKindFilterTest {

    /** Smaller than the 700 postings of each term below, larger than the first chunk of 250. */
    public static class SmallBudget extends PortableProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("memory.index.backend", "portable", "memory.recall.postings-budget", "600");
        }
    }

    @Inject
    PortableIndex index;

    @Inject
    TextAnalyzer analyzer;

    @Test
    void aRareKindIsFoundBeyondTheFirstChunkOfAFrequentTerm() {
        String user = "kinds-" + UUID.randomUUID();
        Instant start = Instant.parse("2025-06-01T00:00:00Z");
        for (int i = 0; i < 700; i++) {
            String kind = i % 40 == 0 ? "plan" : "fact";
            String text = "User plans to learn music";
            Instant created = start.plus(Duration.ofMinutes(i));
            MemoryRecord memory = new MemoryRecord(
                    user, "m" + i, text, kind, created, created, "test", "hash-" + i, analyzer.terms(text));
            assertThat(index.store(memory)
                            .await()
                            .atMost(Duration.ofSeconds(10))
                            .created())
                    .isTrue();
        }

        List<Memory> plans = index.search(
                        user,
                        analyzer.queryTerms("music", 32),
                        Set.of("plan"),
                        10,
                        new Recency(0, Duration.ofDays(30), start.toEpochMilli()))
                .await()
                .atMost(Duration.ofSeconds(10));

        // 18 plans among 700 memories, about 6 of them among the first 250 read (by id): the ten come from the
        // first two chunks.
        assertThat(plans).hasSize(10);
        assertThat(plans).allSatisfy(memory -> {
            assertThat(memory.kind()).isEqualTo("plan");
            assertThat(memory.text()).contains("music");
        });
    }
}
