package dev.agentmemory.working;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.redis.LuaScript;
import dev.agentmemory.redis.Pipeline;
import dev.agentmemory.redis.Query;
import dev.agentmemory.redis.RedisFailures;
import dev.agentmemory.redis.RedisKeys;
import dev.agentmemory.redis.UserErasedException;
import dev.agentmemory.redis.UserGeneration;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The recent messages of one session: a Redis LIST of JSON messages with a TTL and a cap.
 *
 * <p>An append pushes, trims and refreshes the TTL in one Lua script, so concurrent appends to the same session
 * never lose or reorder each other's messages. The user's session registry ({@code sessions:{user}}) lists the
 * sessions by expiry, so that forgetting the user finds them all without a SCAN.
 */
@ApplicationScoped
public class WorkingMemory {

    private static final LuaScript APPEND = LuaScript.load("session-append");
    private static final LuaScript READ = LuaScript.load("session-read");
    private static final LuaScript DROP = LuaScript.load("session-drop");
    private static final LuaScript FORGET = LuaScript.load("sessions-forget");

    private final ReactiveRedisDataSource redis;
    private final ObjectReader reader;
    private final ObjectReader lineReader;
    private final ObjectWriter writer;
    private final MemoryConfig.Session config;

    public WorkingMemory(ReactiveRedisDataSource redis, ObjectMapper json, MemoryConfig config) {
        this.redis = redis;
        this.reader = json.readerFor(Message.class);
        this.lineReader = json.readerFor(Line.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.writer = json.writerFor(Message.class);
        this.config = config.session();
    }

    /** The session's messages, oldest first; an unknown or expired session is empty. */
    public Uni<SessionView> load(String userId, String sessionId) {
        return Pipeline.run(redis, loadQuery(userId, sessionId))
                .onFailure(RedisFailures::isUnavailable)
                .transform(RedisFailures::unavailable);
    }

    /** {@link #load} as a query, to share a round trip with other reads. */
    public Query<SessionView> loadQuery(String userId, String sessionId) {
        return Query.script(READ, List.of(RedisKeys.session(userId, sessionId)), List.of(), this::toView);
    }

    /**
     * The session's messages for a prompt: as {@link #loadQuery}, without their timestamps ({@link Message#at()} is
     * null), which a prompt does not use and which cost more to parse than the rest of a message. No session (null)
     * has no history: a prompt outside any conversation.
     */
    public Query<List<Message>> historyQuery(String userId, String sessionId) {
        if (sessionId == null) {
            return Query.answered(List.of());
        }
        return Query.script(READ, List.of(RedisKeys.session(userId, sessionId)), List.of(), this::toHistory);
    }

    /**
     * Appends messages (oldest first), stamping those without a time with the time of the append. Fails with
     * {@link UserErasedException} while the user is being forgotten.
     */
    public Uni<AppendResult> append(String userId, String sessionId, List<Message> messages) {
        return run(userId, sessionId, messages, UserGeneration.NOW, null, List.of(), null)
                .map(reply -> new AppendResult(
                        messages.size(), reply.get(0).toLong(), config.ttl().toSeconds()))
                .onFailure(RedisFailures::isUnavailable)
                .transform(RedisFailures::unavailable);
    }

    /**
     * Appends messages and, in the same atomic step, adds an entry to the user's job stream: a chat turn saves its
     * exchange and enqueues its extraction job together, so neither exists without the other.
     *
     * @param generation the user's generation the chat turn read before it began ({@link UserGeneration}): the save
     *     fails with {@link UserErasedException}, and writes nothing, when the user was forgotten since
     * @param jobStream the user's job stream ({@code RedisKeys.jobs}: it must share the user's hash tag)
     * @param entry the stream entry's fields
     * @param receipt a receipt written in the same step, or null; the append fails with
     *     {@link ReceiptHeldException}, and writes nothing, when another writer holds it
     * @return the number of entries the job stream holds afterwards
     */
    public Uni<Long> appendWithJob(
            String userId,
            String sessionId,
            List<Message> messages,
            String generation,
            String jobStream,
            Map<String, String> entry,
            Receipt receipt) {
        return appendWithJobs(userId, sessionId, messages, generation, jobStream, List.of(entry), receipt)
                .map(AppendedWithJobs::jobsWaiting);
    }

    /**
     * Appends messages and, in the same atomic step, adds entries to the user's job stream, oldest first (an agent
     * that appends several exchanges at once has one extraction job per exchange).
     *
     * @param generation the user's generation the jobs carry ({@link UserGeneration}): the append fails with
     *     {@link UserErasedException}, and writes nothing, when the user was forgotten since it was read
     * @param jobStream the user's job stream ({@code RedisKeys.jobs}: it must share the user's hash tag)
     * @param entries the stream entries' fields, each with the same field names
     */
    public Uni<AppendedWithJobs> appendWithJobs(
            String userId,
            String sessionId,
            List<Message> messages,
            String generation,
            String jobStream,
            List<Map<String, String>> entries) {
        return appendWithJobs(userId, sessionId, messages, generation, jobStream, entries, null);
    }

    private Uni<AppendedWithJobs> appendWithJobs(
            String userId,
            String sessionId,
            List<Message> messages,
            String generation,
            String jobStream,
            List<Map<String, String>> entries,
            Receipt receipt) {
        return run(userId, sessionId, messages, generation, jobStream, entries, receipt)
                .map(reply -> new AppendedWithJobs(
                        new AppendResult(
                                messages.size(),
                                reply.get(0).toLong(),
                                config.ttl().toSeconds()),
                        reply.get(1).toLong()))
                .onFailure(RedisFailures::isUnavailable)
                .transform(RedisFailures::unavailable);
    }

    /**
     * An append that also added extraction jobs.
     *
     * @param result the append's answer
     * @param jobsWaiting the entries the user's job stream holds afterwards
     */
    public record AppendedWithJobs(AppendResult result, long jobsWaiting) {}

    private Uni<Response> run(
            String userId,
            String sessionId,
            List<Message> messages,
            String generation,
            String stream,
            List<Map<String, String>> entries,
            Receipt receipt) {
        Instant now = Instant.now();
        List<String> args = new ArrayList<>(messages.size() + 6 + entries.size() * 10);
        args.add(Integer.toString(config.historyCap()));
        args.add(Long.toString(config.ttl().toMillis()));
        args.add(sessionId);
        args.add(Integer.toString(messages.size()));
        args.add(generation);
        for (Message message : messages) {
            args.add(write(message.stamped(now)));
        }
        List<String> keys = new ArrayList<>(6);
        keys.add(RedisKeys.session(userId, sessionId));
        keys.add(RedisKeys.sessions(userId));
        keys.add(RedisKeys.generation(userId));
        boolean jobs = stream != null && !entries.isEmpty();
        args.add(Integer.toString(jobs ? entries.get(0).size() * 2 : 0));
        args.add(Integer.toString(jobs ? entries.size() : 0));
        if (jobs) {
            keys.add(stream);
            for (Map<String, String> entry : entries) {
                entry.forEach((field, value) -> {
                    args.add(field);
                    args.add(value);
                });
            }
        }
        if (receipt != null) {
            if (!jobs) {
                throw new IllegalArgumentException("A receipt goes with a job stream");
            }
            keys.add(receipt.key());
            keys.add(receipt.registry());
            args.add(receipt.holder());
            args.add(Long.toString(receipt.keep().toMillis()));
            args.add(receipt.member());
            receipt.fields().forEach((field, value) -> {
                args.add(field);
                args.add(value);
            });
        }
        return APPEND.run(redis, keys, args)
                .onFailure(UserGeneration::isRefusal)
                .transform(UserGeneration::erased)
                .onFailure(WorkingMemory::isHeld)
                .transform(failure -> new ReceiptHeldException());
    }

    private static boolean isHeld(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("HELD")) {
                return true;
            }
        }
        return false;
    }

    /** Forgets the session; forgetting an unknown session is not an error. */
    public Uni<Void> drop(String userId, String sessionId) {
        return DROP.run(
                        redis,
                        List.of(RedisKeys.session(userId, sessionId), RedisKeys.sessions(userId)),
                        List.of(sessionId))
                .replaceWithVoid()
                .onFailure(RedisFailures::isUnavailable)
                .transform(RedisFailures::unavailable);
    }

    /**
     * Forgets every session of the user, through the session registry, and in the same step the records of the
     * user's chat turns and the extraction jobs made from them: those waiting, their attempts, and the dead letters
     * (which hold messages).
     */
    public Uni<Void> dropAll(String userId) {
        return FORGET.run(
                        redis,
                        List.of(
                                RedisKeys.sessions(userId),
                                RedisKeys.turns(userId),
                                RedisKeys.jobs(userId),
                                RedisKeys.jobAttempts(userId),
                                RedisKeys.deadJobs(userId)),
                        List.of(RedisKeys.sessionPrefix(userId), RedisKeys.turnPrefix(userId)))
                .replaceWithVoid()
                .onFailure(RedisFailures::isUnavailable)
                .transform(RedisFailures::unavailable);
    }

    private SessionView toView(Response reply) {
        long ttlMillis = reply.get(0).toLong();
        if (ttlMillis == -2 || reply.size() == 1) {
            return SessionView.EMPTY;
        }
        List<Message> messages = new ArrayList<>(reply.size() - 1);
        for (int i = 1; i < reply.size(); i++) {
            messages.add(read(reply.get(i).toString()));
        }
        // Round up: a session with 300 ms left is still there.
        long ttlSeconds = ttlMillis < 0 ? 0 : (ttlMillis + 999) / 1000;
        return new SessionView(messages, ttlSeconds);
    }

    private List<Message> toHistory(Response reply) {
        List<Message> messages = new ArrayList<>(Math.max(0, reply.size() - 1));
        for (int i = 1; i < reply.size(); i++) {
            try {
                Line line = lineReader.readValue(reply.get(i).toString());
                messages.add(new Message(line.role(), line.content(), null));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return messages;
    }

    /** A stored message read without its timestamp. */
    @RegisterForReflection
    record Line(Role role, String content) {}

    private String write(Message message) {
        try {
            return writer.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Message read(String json) {
        try {
            return reader.readValue(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
