package dev.agentmemory.llm;

import dev.agentmemory.config.MemoryConfig;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The chat turn's model, through quarkus-langchain4j: a whole reply from the {@link ChatModel} (a blocking call,
 * made on {@link ModelThreads}), a streamed one as the {@link StreamingChatModel}'s text deltas. Retries a 429, a
 * 5xx or a time-out up to {@code memory.llm.max-retries} times, honouring {@code Retry-After} up to
 * {@code memory.llm.max-retry-after}; a stream is retried only before its first token, so a client never sees a
 * reply start twice. A reply that is not whole (see {@link IncompleteReplyException}) is a failure, never text.
 * What still fails becomes {@link LlmUnavailableException}.
 */
@ApplicationScoped
public class LanguageModel {

    private static final Logger LOG = Logger.getLogger(LanguageModel.class);

    private final ChatModel chat;
    private final StreamingChatModel streaming;
    private final ModelThreads threads;
    private final MemoryConfig.Llm config;
    private final Duration timeout;

    public LanguageModel(
            ChatModel chat,
            StreamingChatModel streaming,
            ModelThreads threads,
            MemoryConfig config,
            @ConfigProperty(name = "quarkus.langchain4j.openai.timeout") Duration timeout) {
        this.chat = chat;
        this.streaming = streaming;
        this.threads = threads;
        this.config = config.llm();
        this.timeout = timeout;
    }

    /** The reply's text deltas, as they arrive. */
    public Multi<String> stream(List<ChatLine> prompt) {
        List<ChatMessage> messages = messages(prompt);
        return attempt(() -> streamOnce(messages), 0);
    }

    /** The whole reply, asked for in one piece (no stream to parse). */
    public Uni<String> complete(List<ChatLine> prompt) {
        List<ChatMessage> messages = messages(prompt);
        return attempt(() -> completeOnce(messages).toMulti(), 0).toUni();
    }

    private Multi<String> attempt(java.util.function.Supplier<Multi<String>> call, int retry) {
        AtomicBoolean started = new AtomicBoolean();
        TimeoutException silence = new TimeoutException("No reply from the LLM within " + timeout);
        return call.get()
                .ifNoItem()
                .after(timeout)
                .failWith(silence)
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
                    if (!again) {
                        LOG.debugf(failure, "LLM call failed after %d retries", retry);
                        return Multi.createFrom().failure(unavailable(failure, cause));
                    }
                    LOG.debugf(failure, "LLM call failed; retry %d in %s", retry + 1, wait);
                    return Uni.createFrom()
                            .voidItem()
                            .onItem()
                            .delayIt()
                            .by(wait)
                            .onItem()
                            .transformToMulti(x -> attempt(call, retry + 1));
                });
    }

    /** One blocking call, on a thread of its own; a completion without any choice is not a reply. */
    private Uni<String> completeOnce(List<ChatMessage> messages) {
        return threads.call(() -> text(chat.chat(messages)))
                .onFailure(LanguageModel::isMissingChoice)
                .transform(failure -> new IncompleteReplyException("The completion holds no choice"));
    }

    private static String text(ChatResponse response) {
        String text = response.aiMessage().text();
        return text == null ? "" : text;
    }

    /**
     * The streaming model's deltas. The stream must end with a finish reason: one that ends without (the server or
     * a proxy cut it short, or answered the streamed request with a plain body) is not a whole reply.
     */
    private Multi<String> streamOnce(List<ChatMessage> messages) {
        return Multi.createFrom()
                .emitter(emitter -> streaming.chat(messages, new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String text) {
                        if (!emitter.isCancelled()) {
                            emitter.emit(text);
                        }
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        if (response.metadata() == null || response.metadata().finishReason() == null) {
                            emitter.fail(
                                    new IncompleteReplyException("The reply stream ended without a finish reason"));
                        } else {
                            emitter.complete();
                        }
                    }

                    @Override
                    public void onError(Throwable error) {
                        if (!emitter.isCancelled()) {
                            emitter.fail(error);
                        }
                    }
                }));
    }

    /** langchain4j's "no choices returned": a completion that answered 200 without any reply in it. */
    private static boolean isMissingChoice(Throwable failure) {
        return failure instanceof InternalServerException && !(failure.getCause() instanceof HttpException);
    }

    static List<ChatMessage> messages(List<ChatLine> prompt) {
        List<ChatMessage> messages = new ArrayList<>(prompt.size());
        for (ChatLine line : prompt) {
            messages.add(
                    switch (line.role()) {
                        case "system" -> SystemMessage.from(line.content());
                        case "assistant" -> AiMessage.from(line.content());
                        default -> UserMessage.from(line.content());
                    });
        }
        return messages;
    }

    private static LlmUnavailableException unavailable(Throwable failure, LlmFailure cause) {
        String what = cause.status() > 0
                ? "HTTP " + cause.status()
                : failure instanceof IncompleteReplyException
                        ? failure.getMessage()
                        : failure.getClass().getSimpleName();
        return new LlmUnavailableException(
                "The language model is unavailable (" + what + ")",
                cause.retryAfter() == null || cause.retryAfter().isZero() ? null : cause.retryAfter(),
                failure);
    }
}
