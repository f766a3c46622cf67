package dev.agentmemory.llm;

import static dev.agentmemory.testing.Memories.recallTexts;
import static dev.agentmemory.testing.Memories.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A model whose vectors do not have the size {@code memory.embedding.dimensions} says (here: one that ignores the
 * request's {@code dimensions}) is refused at start, with an error in the log: no vector of it is stored or
 * compared, and recall stays lexical.
 */
@QuarkusTest
@TestProfile(EmbeddingDimensionMismatchTest.WrongDimension.class)
class EmbeddingDimensionMismatchTest {

    public static class WrongDimension implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "memory.embedding.provider", "openai",
                    "quarkus.langchain4j.openai.embedding.embedding-model.model-name", "fixed-size-embedder",
                    "memory.embedding.dimensions", "6",
                    "memory.index.backend", "portable");
        }
    }

    @Inject
    Embeddings embeddings;

    @Test
    void theModelIsRefusedAndRecallStaysLexical() {
        assertThat(embeddings.ready()).isFalse();
        assertThat(embeddings.modelId()).isNull();
        assertThat(embeddings.embed("User is vegetarian").await().indefinitely())
                .isNull();

        String user = "dims-" + UUID.randomUUID();
        store(user, "User is vegetarian", "preference", null);
        assertThat(recallTexts(user, "vegetarian")).containsExactly("User is vegetarian");
    }
}
