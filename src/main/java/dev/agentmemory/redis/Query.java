package dev.agentmemory.redis;

import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One read as a value: the Redis command to send and how to read its reply, so that several reads can share
 * one round trip ({@link Pipeline}). A query that needs no command at all (an empty search) carries its answer.
 *
 * @param request the command, or null when {@code answer} is known without asking Redis
 * @param eval for a Lua script run with {@code EVALSHA}: the same call as {@code EVAL}, for a node that does
 *     not know the script; null for a plain command
 * @param reader reads the command's reply
 * @param answer the answer of a query without a command
 */
public record Query<T>(Request request, Supplier<Request> eval, Function<Response, T> reader, T answer) {

    /** A plain command. */
    public static <T> Query<T> of(Request request, Function<Response, T> reader) {
        return new Query<>(request, null, reader, null);
    }

    /** A Lua script, run with {@code EVALSHA}. */
    public static <T> Query<T> script(
            LuaScript script, List<String> keys, List<String> args, Function<Response, T> reader) {
        return new Query<>(script.request(keys, args), () -> script.evalRequest(keys, args), reader, null);
    }

    /** A query answered without Redis. */
    public static <T> Query<T> answered(T answer) {
        return new Query<>(null, null, reply -> answer, answer);
    }

    /** The same command, its reply read further. */
    public <R> Query<R> map(Function<T, R> next) {
        return request == null ? answered(next.apply(answer)) : new Query<>(request, eval, reader.andThen(next), null);
    }

    /** The command to send again after {@code NOSCRIPT}: {@code EVAL} for a script, the same command otherwise. */
    Request retryRequest() {
        return eval == null ? request : eval.get();
    }

    T read(Response reply) {
        return request == null ? answer : reader.apply(reply);
    }
}
