package dev.agentmemory.redis;

import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.function.Function;

/**
 * One read as a value: the Redis command to send and how to read its reply, so that several reads can share
 * one round trip ({@link Pipeline}). A query that needs no command at all (an empty search) carries its answer.
 *
 * @param request the command, or null when {@code answer} is known without asking Redis
 * @param script the Lua script the command runs with {@code EVALSHA}, or null
 * @param reader reads the command's reply
 * @param answer the answer of a query without a command
 */
public record Query<T>(Request request, LuaScript script, Function<Response, T> reader, T answer) {

    /** A plain command. */
    public static <T> Query<T> of(Request request, Function<Response, T> reader) {
        return new Query<>(request, null, reader, null);
    }

    /** A Lua script, run with {@code EVALSHA}. */
    public static <T> Query<T> script(
            LuaScript script, java.util.List<String> keys, java.util.List<String> args, Function<Response, T> reader) {
        return new Query<>(script.request(keys, args), script, reader, null);
    }

    /** A query answered without Redis. */
    public static <T> Query<T> answered(T answer) {
        return new Query<>(null, null, reply -> answer, answer);
    }

    /** The same command, its reply read further. */
    public <R> Query<R> map(Function<T, R> next) {
        return request == null
                ? answered(next.apply(answer))
                : new Query<>(request, script, reader.andThen(next), null);
    }

    T read(Response reply) {
        return request == null ? answer : reader.apply(reply);
    }
}
