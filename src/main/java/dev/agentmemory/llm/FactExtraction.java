package dev.agentmemory.llm;

import dev.langchain4j.service.output.OutputParsingException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Extraction for the worker, non-blocking: the {@link FactExtractor} call made on {@link ModelThreads}, bounded by
 * the extraction model's timeout ({@code quarkus.langchain4j.openai.extraction.timeout}). A reply that does not parse
 * into {@link ExtractedFacts}, an empty one (a refusal) and one without a facts list fail with
 * {@link InvalidExtractionException}; a failed HTTP call fails as the client's {@link LlmHttpException} (within
 * langchain4j's exception for its status); a call longer than the timeout with a {@link TimeoutException}. The
 * worker retries all of them through its queue.
 */
@ApplicationScoped
public class FactExtraction {

    private final FactExtractor extractor;
    private final ModelThreads threads;
    private final Duration timeout;

    public FactExtraction(
            FactExtractor extractor,
            ModelThreads threads,
            @ConfigProperty(name = "quarkus.langchain4j.openai.extraction.timeout") Duration timeout) {
        this.extractor = extractor;
        this.threads = threads;
        this.timeout = timeout;
    }

    /** The facts in a transcript of exchanges. */
    public Uni<ExtractedFacts> extract(String transcript) {
        return threads.call(() -> extractor.extract(transcript))
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new TimeoutException("No extraction reply within " + timeout))
                .onFailure(FactExtraction::isUnreadable)
                .transform(FactExtraction::invalid)
                .onItem()
                .ifNull()
                .failWith(() -> new InvalidExtractionException("The extraction reply is empty"))
                .invoke(ExtractedFacts::requireFacts);
    }

    /**
     * langchain4j says what it could not parse: "Failed to parse null" or an empty text is a reply without content,
     * which is how a model refuses.
     */
    private static InvalidExtractionException invalid(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        if (message.startsWith("Failed to parse null") || message.startsWith("Failed to parse \"\"")) {
            return new InvalidExtractionException("The extraction reply is empty");
        }
        return new InvalidExtractionException("The extraction reply is not the facts JSON: " + message);
    }

    /**
     * A reply the AI service could not turn into the record: anything but a failed call (an HTTP status, a
     * connection failure, a time-out), which keeps its own type.
     */
    private static boolean isUnreadable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutputParsingException) {
                return true;
            }
        }
        LlmFailure cause = LlmFailure.of(failure);
        return cause.status() == 0 && !cause.retryable();
    }
}
