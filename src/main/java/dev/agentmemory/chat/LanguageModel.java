package dev.agentmemory.chat;

import dev.agentmemory.config.MemoryConfig;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The chat LLM as Mutiny streams, through langchain4j's streaming OpenAI client (non-blocking: no thread waits
 * for the model). Retries a 429, a 5xx or a time-out up to {@code memory.llm.max-retries} times, honouring
 * {@code Retry-After} up to {@code memory.llm.max-retry-after}; a stream is retried only before its first
 * token, so a client never sees a reply start twice. What still fails becomes {@link LlmUnavailableException}.
 */
@ApplicationScoped
public class LanguageModel {

    private static final Logger LOG = Logger.getLogger(LanguageModel.class);

    private final StreamingChatModel model;
    private final MemoryConfig.Llm config;

    public LanguageModel(StreamingChatModel model, MemoryConfig config) {
        this.model = model;
        this.config = config.llm();
    }

    /** The reply's text deltas, as they arrive. */
    public Multi<String> stream(List<ChatMessage> messages) {
        return attempt(messages, 0);
    }

    /** The whole reply. */
    public Uni<String> complete(List<ChatMessage> messages) {
        return stream(messages).collect().with(java.util.stream.Collectors.joining());
    }

    private Multi<String> attempt(List<ChatMessage> messages, int retry) {
        AtomicBoolean started = new AtomicBoolean();
        return once(messages).invoke(() -> started.set(true)).onFailure().recoverWithMulti(failure -> {
            LlmFailure cause = LlmFailure.of(failure);
            Duration wait = cause.retryAfter() != null
                    ? cause.retryAfter()
                    : config.retryBackoff().multipliedBy(1L << retry);
            boolean again = !started.get()
                    && cause.retryable()
                    && retry < config.maxRetries()
                    && wait.compareTo(config.maxRetryAfter()) <= 0;
            if (again) {
                LOG.debugf(failure, "LLM call failed; retry %d in %s", retry + 1, wait);
                if (wait.isZero()) {
                    return attempt(messages, retry + 1);
                }
                return Uni.createFrom()
                        .voidItem()
                        .onItem()
                        .delayIt()
                        .by(wait)
                        .onItem()
                        .transformToMulti(x -> attempt(messages, retry + 1));
            }
            return Multi.createFrom().failure(unavailable(failure, cause));
        });
    }

    private Multi<String> once(List<ChatMessage> messages) {
        Multi<String> tokens = Multi.createFrom()
                .emitter(emitter -> model.chat(messages, new StreamingChatResponseHandler() {
                    private final AtomicInteger count = new AtomicInteger();

                    @Override
                    public void onPartialResponse(String partial) {
                        if (partial != null && !partial.isEmpty()) {
                            count.incrementAndGet();
                            emitter.emit(partial);
                        }
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        // Servers that do not stream send the whole text at the end only.
                        if (count.get() == 0
                                && response.aiMessage() != null
                                && response.aiMessage().text() != null) {
                            emitter.emit(response.aiMessage().text());
                        }
                        emitter.complete();
                    }

                    @Override
                    public void onError(Throwable error) {
                        emitter.fail(error);
                    }
                }));
        TimeoutException timeout = new TimeoutException("No reply from the LLM within " + config.timeout());
        return tokens.ifNoItem().after(config.timeout()).failWith(timeout);
    }

    private static LlmUnavailableException unavailable(Throwable failure, LlmFailure cause) {
        String what = cause.status() > 0
                ? "HTTP " + cause.status()
                : failure.getClass().getSimpleName();
        return new LlmUnavailableException(
                "The language model is unavailable (" + what + ")",
                cause.retryAfter() == null || cause.retryAfter().isZero() ? null : cause.retryAfter(),
                failure);
    }
}
