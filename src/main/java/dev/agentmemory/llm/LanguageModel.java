package dev.agentmemory.llm;

import dev.agentmemory.config.MemoryConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The chat LLM as Mutiny streams, through {@link OpenAiChatClient} (non-blocking: no thread waits for the
 * model). Retries a 429, a 5xx or a time-out up to {@code memory.llm.max-retries} times, honouring
 * {@code Retry-After} up to {@code memory.llm.max-retry-after}; a stream is retried only before its first
 * token, so a client never sees a reply start twice. What still fails becomes {@link LlmUnavailableException}.
 */
@ApplicationScoped
public class LanguageModel {

    private static final Logger LOG = Logger.getLogger(LanguageModel.class);

    private final OpenAiChatClient client;
    private final MemoryConfig.Llm config;

    public LanguageModel(OpenAiChatClient client, MemoryConfig config) {
        this.client = client;
        this.config = config.llm();
    }

    /** The reply's text deltas, as they arrive. */
    public Multi<String> stream(List<ChatLine> messages) {
        return attempt(messages, true, 0);
    }

    /** The whole reply, asked for in one piece (no stream to parse). */
    public Uni<String> complete(List<ChatLine> messages) {
        return attempt(messages, false, 0).collect().with(Collectors.joining());
    }

    private Multi<String> attempt(List<ChatLine> messages, boolean stream, int retry) {
        AtomicBoolean started = new AtomicBoolean();
        return once(messages, stream)
                .invoke(() -> started.set(true))
                .onFailure()
                .recoverWithMulti(failure -> {
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
                            return attempt(messages, stream, retry + 1);
                        }
                        return Uni.createFrom()
                                .voidItem()
                                .onItem()
                                .delayIt()
                                .by(wait)
                                .onItem()
                                .transformToMulti(x -> attempt(messages, stream, retry + 1));
                    }
                    return Multi.createFrom().failure(unavailable(failure, cause));
                });
    }

    private Multi<String> once(List<ChatLine> messages, boolean stream) {
        Multi<String> tokens = stream ? client.stream(messages) : client.complete(messages);
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
