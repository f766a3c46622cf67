package dev.agentmemory.llm;

import dev.agentmemory.config.MemoryConfig;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import io.quarkiverse.langchain4j.ModelBuilderCustomizer;
import io.quarkiverse.langchain4j.ModelName;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Asks the {@code openai} provider's model for vectors of {@code memory.embedding.dimensions} (the {@code dimensions}
 * of the {@code /embeddings} request, which models that can shorten their vectors honour, e.g.
 * {@code text-embedding-3-*}); the extension has no setting of its own for it. Unset, the request names no size.
 */
@ApplicationScoped
@ModelName(Embeddings.OPENAI_MODEL)
public class OpenAiEmbeddingDimensions
        implements ModelBuilderCustomizer<OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder> {

    private final MemoryConfig config;

    public OpenAiEmbeddingDimensions(MemoryConfig config) {
        this.config = config;
    }

    @Override
    public void customize(OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder builder) {
        config.embedding().dimensions().ifPresent(builder::dimensions);
    }
}
