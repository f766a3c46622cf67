package dev.agentmemory.longterm.index;

import dev.agentmemory.longterm.DuplicateMemoryException;
import dev.agentmemory.longterm.Memory;
import dev.agentmemory.longterm.vector.VectorBacklog;
import dev.agentmemory.redis.LuaScript;
import dev.agentmemory.redis.RedisKeys;
import dev.agentmemory.redis.UserErasedException;
import dev.agentmemory.redis.UserGeneration;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Memory HASHes ({@code mem:{user}:<id>}: text, userId, kind, createdAt, updatedAt, hash, source), written by
 * {@code memory-write.lua} together with the content-hash map and, for the portable backend, the index.
 */
@ApplicationScoped
public class MemoryHashes {

    private static final LuaScript WRITE = LuaScript.load("memory-write");
    private static final LuaScript BACKLOG = LuaScript.load("vector-backlog");

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;

    public MemoryHashes(ReactiveRedisDataSource redis) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
    }

    /**
     * Fails with {@link UserErasedException} when the user's generation refuses the write.
     *
     * @param indexPrefix the portable index prefix, or {@code ""} when the Query Engine indexes the HASH
     * @param vector the memory's vector in the backend's form
     */
    Uni<Stored> store(MemoryRecord memory, String indexPrefix, VectorWrite vector) {
        return WRITE.run(redis, keys(memory.userId(), memory.id()), writeArgs("store", memory, indexPrefix, vector))
                .onFailure(UserGeneration::isRefusal)
                .transform(UserGeneration::erased)
                .map(reply -> new Stored(reply.get(0).toString(), reply.get(1).toInteger() == 1));
    }

    /**
     * False when the memory does not exist; fails with {@link DuplicateMemoryException} for a known content hash,
     * with {@link UserErasedException} when the user's generation refuses the write.
     */
    Uni<Boolean> update(MemoryRecord memory, String indexPrefix, VectorWrite vector) {
        return WRITE.run(redis, keys(memory.userId(), memory.id()), writeArgs("update", memory, indexPrefix, vector))
                .onFailure(UserGeneration::isRefusal)
                .transform(UserGeneration::erased)
                .map(reply -> {
                    if (reply.type() == ResponseType.BULK) {
                        throw new DuplicateMemoryException(reply.toString());
                    }
                    return reply.toInteger() == 1;
                });
    }

    /** @param changeLog the portable vector change log's cap (unused by the Query Engine) */
    Uni<Boolean> remove(String userId, String id, String indexPrefix, int changeLog) {
        return WRITE.run(redis, keys(userId, id), List.of("delete", indexPrefix, id, Integer.toString(changeLog)))
                .map(reply -> reply.toInteger() == 1);
    }

    /**
     * A page of the user's memories without a vector of the model (see {@code vector-backlog.lua}).
     *
     * @param field the Query Engine's vector field of the model; unused by the portable index
     */
    Uni<VectorBacklog> backlog(
            String userId, String indexPrefix, String model, String field, String cursor, int count) {
        return BACKLOG.run(
                        redis,
                        List.of(RedisKeys.contentHashes(userId), RedisKeys.generation(userId)),
                        List.of(
                                RedisKeys.memoryPrefix(userId),
                                indexPrefix,
                                model,
                                field,
                                cursor,
                                Integer.toString(count)))
                .map(reply -> {
                    List<VectorBacklog.Pending> pending = new ArrayList<>((reply.size() - 2) / 2);
                    for (int i = 2; i + 1 < reply.size(); i += 2) {
                        pending.add(new VectorBacklog.Pending(
                                reply.get(i).toString(), reply.get(i + 1).toString()));
                    }
                    return new VectorBacklog(
                            reply.get(0).toString(), reply.get(1).toString(), pending);
                });
    }

    /**
     * Gives a stored memory its vector (the {@code vector} operation of {@code memory-write.lua}). False when the
     * memory is gone or its text is no longer {@code text}; fails with {@link UserErasedException} when the user's
     * generation is no longer {@code generation}.
     */
    Uni<Boolean> addVector(
            String userId, String id, String text, String generation, String indexPrefix, VectorWrite vector) {
        List<String> args =
                List.of("vector", indexPrefix, id, text, "", "", "", generation, vector.hex(), vector.header());
        return WRITE.run(redis, keys(userId, id), args)
                .onFailure(UserGeneration::isRefusal)
                .transform(UserGeneration::erased)
                .map(reply -> reply.toInteger() == 1);
    }

    /** One memory, or null when the user has no memory with that id. */
    public Uni<Memory> get(String userId, String id) {
        return hashes.hgetall(RedisKeys.memory(userId, id))
                .map(fields -> fields.isEmpty() ? null : toMemory(id, fields, null));
    }

    /** Several memories of one user in one round trip, by id; an id the user has no memory with is left out. */
    public Uni<Map<String, Memory>> getAll(String userId, List<String> ids) {
        List<Request> reads = ids.stream()
                .map(id -> Request.cmd(Command.HGETALL).arg(RedisKeys.memory(userId, id)))
                .toList();
        return redis.getRedis().batch(reads).map(replies -> {
            Map<String, Memory> memories = new java.util.HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                Response reply = replies.get(i);
                if (reply != null && reply.size() > 0) {
                    Map<String, String> fields = new java.util.HashMap<>();
                    for (int f = 0; f + 1 < reply.size(); f += 2) {
                        fields.put(reply.get(f).toString(), reply.get(f + 1).toString());
                    }
                    memories.put(ids.get(i), toMemory(ids.get(i), fields, null));
                }
            }
            return memories;
        });
    }

    static Memory toMemory(String id, Map<String, String> fields, Double score) {
        return new Memory(
                id,
                fields.get("text"),
                fields.get("kind"),
                instant(fields.get("createdAt")),
                instant(fields.get("updatedAt")),
                fields.get("source"),
                score);
    }

    static Instant instant(String epochMillis) {
        return epochMillis == null || epochMillis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(epochMillis));
    }

    private static List<String> keys(String userId, String id) {
        return List.of(RedisKeys.memory(userId, id), RedisKeys.contentHashes(userId), RedisKeys.generation(userId));
    }

    private static List<String> writeArgs(String op, MemoryRecord m, String indexPrefix, VectorWrite vector) {
        List<String> args = new ArrayList<>(24);
        args.add(op);
        args.add(indexPrefix);
        args.add(m.id());
        args.add(m.contentHash());
        args.add(Long.toString(m.createdAt().toEpochMilli()));
        args.add(m.kind());
        args.add(String.join(" ", m.terms()));
        args.add(m.generation());
        args.add(vector.hex());
        args.add(vector.header());
        addField(args, "text", m.text());
        addField(args, "userId", m.userId());
        addField(args, "kind", m.kind());
        addField(args, "createdAt", Long.toString(m.createdAt().toEpochMilli()));
        addField(args, "updatedAt", Long.toString(m.updatedAt().toEpochMilli()));
        addField(args, "hash", m.contentHash());
        addField(args, "source", m.source());
        return args;
    }

    private static void addField(List<String> args, String name, String value) {
        args.add(name);
        args.add(value);
    }
}
