package dev.agentmemory.chat;

import dev.agentmemory.chat.TurnRecords.Found;
import dev.agentmemory.chat.TurnRecords.State;
import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.working.ReceiptHeldException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;

/**
 * Chat turns sent with an {@code Idempotency-Key}: a client that retries a turn (its connection dropped, it timed
 * out) with the same key, for the same user and session, within {@code keep}, gets the first turn's reply: no
 * second LLM call, no second saved exchange. A retry that comes while the first attempt still runs waits for it
 * (up to {@code await}); one that comes after the first attempt failed runs the turn itself. The reply is recorded
 * by the step that saves the exchange, so a recorded reply is exactly a saved exchange. Streamed turns too: a
 * retry gets the recorded reply as {@code memories}, one {@code token} and {@code done} events.
 */
@ApplicationScoped
public class IdempotentChat {

    /** Attempts at beginning the turn: the first, and once more after a waited-for attempt gave its key up. */
    private static final int BEGINNINGS = 2;

    private final ChatService chat;
    private final TurnRecords records;
    private final MemoryConfig.Chat.Idempotency config;
    /** Keys become part of Redis keys: validated as ids are. */
    private final Pattern keyPattern;

    public IdempotentChat(ChatService chat, TurnRecords records, MemoryConfig config) {
        this.chat = chat;
        this.records = records;
        this.config = config.chat().idempotency();
        this.keyPattern = Pattern.compile(config.ids().pattern());
    }

    /** A turn answered as a whole; see the class comment. */
    public Uni<ChatReply> chat(String userId, String sessionId, String message, String key) {
        TurnReceipt attempt = records.attempt(userId, sessionId, valid(key), message);
        return start(attempt, BEGINNINGS)
                .chain(start -> start.reply() != null
                        ? Uni.createFrom().item(start.reply())
                        : chat.chat(userId, sessionId, message, attempt)
                                .onFailure()
                                .call(() -> records.abandon(attempt))
                                .onFailure(ReceiptHeldException.class)
                                .transform(held -> new TurnInProgressException(config.pollInterval())));
    }

    /** A turn streamed; see the class comment. */
    public Multi<ChatEvent> stream(String userId, String sessionId, String message, String key) {
        TurnReceipt attempt = records.attempt(userId, sessionId, valid(key), message);
        return start(attempt, BEGINNINGS)
                .onItem()
                .transformToMulti(start -> start.reply() != null
                        ? replay(start.reply())
                        : chat.stream(userId, sessionId, message, attempt)
                                .onFailure()
                                .call(() -> records.abandon(attempt))
                                .onFailure(ReceiptHeldException.class)
                                .transform(held -> new TurnInProgressException(config.pollInterval()))
                                .onCancellation()
                                .call(() -> records.abandon(attempt)));
    }

    /**
     * The attempt runs the turn ({@code reply} null) or gets the reply of the one that held the key. A key sent again
     * with another message is refused.
     */
    private Uni<Start> start(TurnReceipt attempt, int beginnings) {
        return records.begin(attempt).chain(found -> {
            if (found.state() == State.BEGUN) {
                return Uni.createFrom().item(new Start(null));
            }
            if (!attempt.request().equals(found.request())) {
                return Uni.createFrom().failure(new IdempotencyKeyReusedException());
            }
            if (found.state() == State.DONE) {
                return Uni.createFrom().item(new Start(found.reply()));
            }
            return finished(attempt).chain(done -> {
                if (done.state() == State.DONE) {
                    return Uni.createFrom().item(new Start(done.reply()));
                }
                // The attempt that held the key gave it up (it failed before saving): run the turn.
                return beginnings > 1
                        ? start(attempt, beginnings - 1)
                        : Uni.createFrom().failure(new TurnInProgressException(config.pollInterval()));
            });
        });
    }

    /** Waits (up to {@code await}) for the attempt that holds the key to finish: done, or gone. */
    private Uni<Found> finished(TurnReceipt attempt) {
        return Multi.createBy()
                .repeating()
                .uni(() -> Uni.createFrom()
                        .voidItem()
                        .onItem()
                        .delayIt()
                        .by(config.pollInterval())
                        .chain(() -> records.read(attempt.userId(), attempt.sessionId(), attempt.key())))
                .whilst(found -> found.state() == State.RUNNING)
                .filter(found -> found.state() != State.RUNNING)
                .toUni()
                .ifNoItem()
                .after(config.await())
                .failWith(() -> new TurnInProgressException(config.pollInterval()));
    }

    private String valid(String key) {
        if (!keyPattern.matcher(key).matches()) {
            throw new InvalidIdempotencyKeyException();
        }
        return key;
    }

    /** A recorded reply as the events of a streamed turn. */
    private static Multi<ChatEvent> replay(ChatReply reply) {
        return Multi.createFrom()
                .items(
                        ChatEvent.memories(reply.memories()),
                        ChatEvent.token(reply.reply()),
                        ChatEvent.done(reply.reply()));
    }

    /** How a turn starts: run by this attempt ({@code reply} null), or answered with a recorded reply. */
    private record Start(ChatReply reply) {}
}
