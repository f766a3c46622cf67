package dev.agentmemory.longterm;

import static dev.agentmemory.testing.Memories.recallTexts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentmemory.llm.Embeddings;
import dev.agentmemory.longterm.index.MemoryIndex;
import dev.agentmemory.longterm.index.MemoryRecord;
import dev.agentmemory.longterm.index.SearchBackend;
import dev.agentmemory.longterm.index.TextAnalyzer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The backfill runs by itself: once the model is ready and then every {@code backfill-interval} (here a second), so a
 * memory stored without a vector after start-up gets one from a later pass, and the metric counts it.
 */
@QuarkusTest
@TestProfile(VectorBackfillInBackgroundTest.EverySecond.class)
class VectorBackfillInBackgroundTest {

    public static class EverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "memory.index.backend", "portable",
                    "memory.embedding.backfill-enabled", "true",
                    "memory.embedding.backfill-interval", "1s");
        }
    }

    @Inject
    SearchBackend backend;

    @Inject
    Embeddings embeddings;

    @Inject
    TextAnalyzer analyzer;

    @Inject
    MeterRegistry registry;

    @Test
    void aMemoryStoredWithoutAVectorGetsOneFromALaterPass() {
        MemoryIndex index = backend.index().await().atMost(Duration.ofSeconds(30));
        String user = "background-" + UUID.randomUUID();
        String text = "User owns a golden retriever.";
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        index.store(new MemoryRecord(
                        user,
                        "0123456789abcdef",
                        text,
                        "fact",
                        now,
                        now,
                        "api",
                        Dedupe.contentHash(text),
                        analyzer.terms(text)))
                .await()
                .atMost(Duration.ofSeconds(30));
        double before = registry.counter("memory.embedding.backfill.vectors").count();

        await().atMost(Duration.ofMinutes(1)).until(() -> index.vectorBacklog(user, embeddings.modelId(), "0", 100)
                .await()
                .atMost(Duration.ofSeconds(30))
                .memories()
                .isEmpty());

        assertThat(registry.counter("memory.embedding.backfill.vectors").count())
                .isGreaterThan(before);
        assertThat(recallTexts(user, "Do I have any pets?")).first().isEqualTo(text);
    }
}
