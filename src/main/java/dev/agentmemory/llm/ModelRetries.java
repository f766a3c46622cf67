package dev.agentmemory.llm;

import dev.langchain4j.model.openai.OpenAiChatModel;
import io.quarkiverse.langchain4j.ModelBuilderCustomizer;
import io.quarkiverse.langchain4j.ModelName;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One attempt per model call. The chat turn retries on its own terms ({@link LanguageModel}: {@code Retry-After}
 * honoured up to a bound, a started stream never retried) and extraction through its queue, so langchain4j's
 * built-in retry, which the extension's configuration cannot turn off ({@code max-retries} ≥ 1), would only add
 * hidden attempts with waits of its own.
 */
final class ModelRetries {

    private ModelRetries() {}

    /** The chat turn's (unstreamed) model. */
    @ApplicationScoped
    static class Chat implements ModelBuilderCustomizer<OpenAiChatModel.OpenAiChatModelBuilder> {
        @Override
        public void customize(OpenAiChatModel.OpenAiChatModelBuilder builder) {
            builder.maxRetries(0);
        }
    }

    /** Extraction's model. */
    @ApplicationScoped
    @ModelName(FactExtractor.MODEL)
    static class Extraction implements ModelBuilderCustomizer<OpenAiChatModel.OpenAiChatModelBuilder> {
        @Override
        public void customize(OpenAiChatModel.OpenAiChatModelBuilder builder) {
            builder.maxRetries(0);
        }
    }
}
