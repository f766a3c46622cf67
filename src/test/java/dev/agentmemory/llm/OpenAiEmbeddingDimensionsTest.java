package dev.agentmemory.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.testing.OpenAiStubResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code memory.embedding.dimensions} with the {@code openai} provider: the {@code /embeddings} request asks for that
 * size, and the model is used when its vectors have it.
 */
@QuarkusTest
@TestProfile(OpenAiEmbeddingDimensionsTest.SixDimensions.class)
class OpenAiEmbeddingDimensionsTest {

    public static class SixDimensions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "memory.embedding.provider", "openai",
                    "memory.embedding.dimensions", "6",
                    "memory.index.backend", "portable");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Embeddings embeddings;

    @Test
    void theRequestAsksForTheConfiguredDimensionAndTheModelIsUsed() throws Exception {
        assertThat(embeddings.ready()).isTrue();
        assertThat(embeddings.modelId()).isEqualTo("openai:text-embedding-3-small:6");
        assertThat(embeddings.embed("User is vegetarian").await().indefinitely())
                .hasSize(6);
        assertThat(OpenAiStubResource.stub().embeddingRequests()).isNotEmpty().allSatisfy(request -> assertThat(
                        JSON.readTree(request.getBodyAsString())
                                .path("dimensions")
                                .asInt())
                .isEqualTo(6));
    }
}
