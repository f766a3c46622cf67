package dev.agentmemory.longterm;

import static dev.agentmemory.testing.Memories.recall;
import static dev.agentmemory.testing.Memories.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;

import dev.agentmemory.llm.Embeddings;
import dev.agentmemory.longterm.index.MemoryIndex;
import dev.agentmemory.longterm.index.SearchBackend;
import dev.agentmemory.redis.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Memories stored while the embedding model is still loading (here a remote model that takes seconds to answer) are
 * stored without a vector, and get one as soon as the model is ready, from the replica that stored them, even when
 * the backfill's lease says another replica ran a pass a moment ago.
 */
@QuarkusTest
@TestProfile(VectorsAfterTheModelLoadsTest.SlowModel.class)
/**
 * A replica whose model is still loading: recall is lexical meanwhile, and the memories it stores get their vectors
 * once the model is ready.
 */
class VectorsAfterTheModelLoadsTest {

    static final String MODEL = "slow-embedder";

    public static class SlowModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "memory.index.backend", "portable",
                    "memory.embedding.provider", "openai",
                    "quarkus.langchain4j.openai.embedding.embedding-model.model-name", MODEL,
                    "memory.embedding.load-at-start", "false",
                    "memory.embedding.backfill-enabled", "true");
        }
    }

    @Inject
    Embeddings embeddings;

    @Inject
    SearchBackend backend;

    @Inject
    RedisDataSource redis;

    @Test
    void aMemoryStoredBeforeTheModelIsReadyGetsItsVectorOnceItIs() throws Exception {
        // Another replica ran a pass of this model a moment ago: no pass here for an hour.
        redis.value(String.class).setex(RedisKeys.vectorBackfill(digest("openai:" + MODEL + ":8")), 3600, "1");
        assertThat(embeddings.ready()).as("the model is still loading").isFalse();
        String user = "loading-" + UUID.randomUUID();
        store(user, "User owns a golden retriever.", "fact", null);

        // Before the model is ready, a recall answers at once, lexically: a shared word finds the memory, a query
        // that shares none finds nothing (rather than waiting for the model, or failing).
        assertThat(embeddings.ready()).isFalse();
        recall(user, "retriever").statusCode(200).body("memories.text", contains("User owns a golden retriever."));
        recall(user, "Which animal lives with them?").statusCode(200).body("memories", empty());
        MemoryIndex index = backend.index().await().atMost(Duration.ofSeconds(30));

        await().atMost(Duration.ofMinutes(1)).until(embeddings::ready);
        await().atMost(Duration.ofMinutes(1)).until(() -> index.vectorBacklog(user, embeddings.modelId(), "0", 100)
                .await()
                .atMost(Duration.ofSeconds(30))
                .memories()
                .isEmpty());
        assertThat(redis.hash(String.class).hlen(RedisKeys.indexVectors(user))).isEqualTo(1);
    }

    private static String digest(String model) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(model.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 6);
    }
}
