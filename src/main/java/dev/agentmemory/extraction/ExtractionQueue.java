package dev.agentmemory.extraction;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ClaimedMessages;
import io.quarkus.redis.datasource.stream.PendingMessage;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * The Redis Stream of extraction jobs and its consumer group: every replica's workers share the group, so each
 * job is delivered to one of them, and a job stays in the group's pending list until it is done or given up.
 *
 * <p>A finished job is acknowledged and deleted, so the stream only ever holds the jobs still to do.
 */
@ApplicationScoped
public class ExtractionQueue {

    private static final LuaScript DEAD_LETTER = LuaScript.load("extraction-dead-letter");

    private final ReactiveRedisDataSource redis;
    private final ReactiveStreamCommands<String, String, String> streams;
    private final MemoryConfig.Extraction config;

    public ExtractionQueue(ReactiveRedisDataSource redis, MemoryConfig config) {
        this.redis = redis;
        this.streams = redis.stream(String.class);
        this.config = config.extraction();
    }

    /**
     * Creates the consumer group (and the stream) unless it exists. The group starts at the beginning of the
     * stream, not at its end ({@code $}): jobs added before any worker ever ran are still to do, and done ones
     * are deleted, so nothing old is processed twice.
     */
    public Uni<Void> ensureGroup() {
        return streams.xgroupCreate(config.stream(), config.group(), "0", new XGroupCreateArgs().mkstream())
                .onFailure(failure -> hasReply(failure, "BUSYGROUP"))
                .recoverWithNull();
    }

    /**
     * Up to {@code count} new jobs for this consumer, waiting up to {@code block} when there are none ({@code null}:
     * no wait).
     */
    public Uni<List<StreamMessage<String, String, String>>> read(String consumer, Duration block, int count) {
        XReadGroupArgs args = new XReadGroupArgs().count(count);
        if (block != null) {
            args.block(block);
        }
        return streams.xreadgroup(config.group(), consumer, config.stream(), ">", args);
    }

    /**
     * As {@link #read(String, Duration, int)} with a wait, on a connection whose client id is handed to
     * {@code waiting} before the read starts, so that {@link #unblock} can end the wait early. Where the server
     * refuses {@code CLIENT ID} (a restricted user), the read goes on without one.
     */
    public Uni<List<StreamMessage<String, String, String>>> read(
            String consumer, Duration block, int count, LongConsumer waiting) {
        XReadGroupArgs args = new XReadGroupArgs().count(count).block(block);
        AtomicReference<List<StreamMessage<String, String, String>>> messages = new AtomicReference<>(List.of());
        return redis.withConnection(connection -> connection
                        .execute("CLIENT", "ID")
                        .invoke(id -> waiting.accept(id.toLong()))
                        .onFailure()
                        .recoverWithNull()
                        .chain(() -> connection.stream(String.class)
                                .xreadgroup(config.group(), consumer, config.stream(), ">", args))
                        .invoke(messages::set)
                        .replaceWithVoid())
                .map(done -> messages.get());
    }

    /**
     * Ends the blocking read of that client as if it had timed out: it answers no jobs, and takes none.
     * Answers whether a read was waiting there.
     */
    public Uni<Boolean> unblock(long clientId) {
        return redis.execute("CLIENT", "UNBLOCK", Long.toString(clientId)).map(reply -> reply.toInteger() == 1);
    }

    /**
     * Takes over jobs another consumer has held for {@code claim-idle} without finishing them (it crashed, or the
     * attempt failed), scanning the pending list from {@code cursor}; the reply carries the cursor to go on from.
     */
    public Uni<ClaimedMessages<String, String, String>> reclaim(String consumer, String cursor) {
        return streams.xautoclaim(
                config.stream(), config.group(), consumer, config.claimIdle(), cursor, config.batchSize());
    }

    /** How many times the job has been delivered, this delivery included; 0 when it is no longer pending. */
    public Uni<Integer> deliveries(String id) {
        return streams.xpending(config.stream(), config.group(), StreamRange.of(id, id), 1)
                .map(pending -> pending.stream()
                        .mapToInt(PendingMessage::getDeliveryCount)
                        .findFirst()
                        .orElse(0));
    }

    /** The jobs are done: acknowledged, then deleted so the stream does not grow. */
    public Uni<Void> done(List<String> ids) {
        String[] all = ids.toArray(String[]::new);
        return streams.xack(config.stream(), config.group(), all)
                .chain(() -> streams.xdel(config.stream(), all))
                .replaceWithVoid();
    }

    /**
     * Gives up on the job: moves it, with its last error, to the dead-letter stream (see
     * {@code extraction-dead-letter.lua}). Answers false when it was no longer there.
     */
    public Uni<Boolean> deadLetter(String id, int attempts, String error) {
        return DEAD_LETTER
                .run(
                        redis,
                        List.of(config.stream(), config.deadLetterStream()),
                        List.of(config.group(), id, Integer.toString(attempts), error))
                .map(reply -> reply != null);
    }

    /** True for a Redis error reply starting with this code (e.g. {@code NOGROUP}). */
    static boolean hasReply(Throwable failure, String code) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith(code)) {
                return true;
            }
        }
        return false;
    }
}
