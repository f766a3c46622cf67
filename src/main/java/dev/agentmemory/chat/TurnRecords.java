package dev.agentmemory.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.longterm.Memory;
import dev.agentmemory.redis.LuaScript;
import dev.agentmemory.redis.RedisFailures;
import dev.agentmemory.redis.RedisKeys;
import dev.agentmemory.redis.UserGeneration;
import dev.agentmemory.working.Receipt;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The records of chat turns sent with an {@code Idempotency-Key} ({@code turn:{user}:<session>:<key>}, a HASH in the
 * user's slot): running while one attempt holds the key for its lease, done with the reply once the exchange is
 * saved (by the save's own atomic step, see {@link Receipt}), gone when the attempt failed before saving.
 */
@ApplicationScoped
public class TurnRecords {

    private static final LuaScript BEGIN = LuaScript.load("turn-begin");
    private static final LuaScript ABANDON = LuaScript.load("turn-abandon");
    private static final TypeReference<List<Memory>> MEMORIES = new TypeReference<>() {};

    /** Per instance, not static: a native executable must not carry a seed fixed at build time. */
    private final SecureRandom random = new SecureRandom();

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;
    private final MemoryConfig.Chat.Idempotency config;

    public TurnRecords(ReactiveRedisDataSource redis, ObjectMapper json, MemoryConfig config) {
        this.redis = redis;
        this.json = json;
        this.config = config.chat().idempotency();
    }

    /** What a turn's record says. */
    enum State {
        /** This attempt created the record and holds the key: it runs the turn. */
        BEGUN,
        /** Another attempt holds the key and runs the turn. */
        RUNNING,
        /** The turn's exchange is saved; its reply is in the record. */
        DONE,
        /** No record: no turn holds the key (the attempt failed, or the record expired). */
        GONE
    }

    /**
     * A record as found.
     *
     * @param request the hash of the message of the turn that holds the key
     * @param reply the turn's reply, when done
     */
    record Found(State state, String request, ChatReply reply) {}

    /** Begins the turn for this attempt, or finds the record of the one that holds the key. */
    Uni<Found> begin(TurnReceipt turn) {
        return BEGIN.run(
                        redis,
                        List.of(
                                RedisKeys.turn(turn.userId(), turn.sessionId(), turn.key()),
                                RedisKeys.turns(turn.userId()),
                                RedisKeys.generation(turn.userId())),
                        List.of(
                                turn.holder(),
                                turn.request(),
                                Long.toString(config.lease().toMillis()),
                                RedisKeys.turnMember(turn.sessionId(), turn.key()),
                                Long.toString(config.keep().toMillis())))
                .map(reply -> "begun".equals(reply.get(0).toString())
                        ? new Found(State.BEGUN, turn.request(), null)
                        : found(
                                reply.get(0).toString(),
                                reply.get(1).toString(),
                                reply.get(2).toString(),
                                reply.get(3).toString()))
                .onFailure(UserGeneration::isRefusal)
                .transform(UserGeneration::erased)
                .onFailure(RedisFailures::isUnavailable)
                .transform(RedisFailures::unavailable);
    }

    /** The record of the turn that holds the key, read again (a retry waiting for it). */
    Uni<Found> read(String userId, String sessionId, String key) {
        return redis.hash(String.class)
                .hmget(RedisKeys.turn(userId, sessionId, key), "state", "request", "reply", "memories")
                .map(fields -> fields.get("state") == null
                        ? new Found(State.GONE, null, null)
                        : found(
                                fields.get("state"),
                                fields.get("request"),
                                fields.get("reply"),
                                fields.get("memories")))
                .onFailure(RedisFailures::isUnavailable)
                .transform(RedisFailures::unavailable);
    }

    /**
     * Gives the key up after the turn failed before its exchange was saved, so that a retry runs the turn again;
     * best effort (the lease ends it anyway).
     */
    Uni<Void> abandon(TurnReceipt turn) {
        return ABANDON.run(
                        redis,
                        List.of(
                                RedisKeys.turn(turn.userId(), turn.sessionId(), turn.key()),
                                RedisKeys.turns(turn.userId())),
                        List.of(turn.holder(), RedisKeys.turnMember(turn.sessionId(), turn.key())))
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull();
    }

    /** The record of the finished turn, for the save to write with its exchange. */
    Receipt receipt(TurnReceipt turn, ChatReply reply) {
        try {
            return new Receipt(
                    RedisKeys.turn(turn.userId(), turn.sessionId(), turn.key()),
                    RedisKeys.turns(turn.userId()),
                    RedisKeys.turnMember(turn.sessionId(), turn.key()),
                    turn.holder(),
                    config.keep(),
                    Map.of(
                            "state",
                            "done",
                            "request",
                            turn.request(),
                            "reply",
                            reply.reply(),
                            "memories",
                            json.writeValueAsString(reply.memories())));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new attempt at a turn: its own holder token, and the hash of its message. */
    TurnReceipt attempt(String userId, String sessionId, String key, String message) {
        byte[] token = new byte[12];
        random.nextBytes(token);
        return new TurnReceipt(userId, sessionId, key, HexFormat.of().formatHex(token), sha256(message));
    }

    private Found found(String state, String request, String reply, String memories) {
        if (!"done".equals(state)) {
            return new Found(State.RUNNING, request, null);
        }
        try {
            return new Found(State.DONE, request, new ChatReply(reply, json.readValue(memories, MEMORIES)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
