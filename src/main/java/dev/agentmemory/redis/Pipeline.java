package dev.agentmemory.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple3;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Sends several {@link Query queries} in one write on one connection and reads their replies together: one
 * round trip, however many reads. Scripts run with {@code EVALSHA}; when the server does not know one (after a
 * restart or a {@code SCRIPT FLUSH}) the scripts are loaded and the whole batch is sent once more, which is
 * harmless because queries only read.
 */
public final class Pipeline {

    private Pipeline() {}

    /** One query alone. */
    public static <T> Uni<T> run(ReactiveRedisDataSource redis, Query<T> query) {
        return send(redis, List.of(query)).map(replies -> query.read(replies.get(0)));
    }

    /** Three queries in one round trip. */
    public static <A, B, C> Uni<Tuple3<A, B, C>> run(
            ReactiveRedisDataSource redis, Query<A> a, Query<B> b, Query<C> c) {
        return send(redis, List.of(a, b, c))
                .map(replies -> Tuple3.of(a.read(replies.get(0)), b.read(replies.get(1)), c.read(replies.get(2))));
    }

    /** The replies in the order of the queries; null for a query that needed no command. */
    private static Uni<List<Response>> send(ReactiveRedisDataSource redis, List<Query<?>> queries) {
        List<Request> requests =
                queries.stream().map(Query::request).filter(Objects::nonNull).toList();
        if (requests.isEmpty()) {
            return Uni.createFrom().item(nulls(queries.size()));
        }
        return batch(redis, requests)
                .onFailure(LuaScript::isNoScript)
                .recoverWithUni(() -> load(redis, queries).chain(() -> batch(redis, requests)))
                .map(replies -> inOrder(queries, replies));
    }

    private static Uni<List<Response>> batch(ReactiveRedisDataSource redis, List<Request> requests) {
        return requests.size() == 1
                ? redis.getRedis().send(requests.get(0)).map(List::of)
                : redis.getRedis().batch(requests);
    }

    private static Uni<Void> load(ReactiveRedisDataSource redis, List<Query<?>> queries) {
        Set<LuaScript> scripts = new LinkedHashSet<>();
        queries.stream().map(Query::script).filter(Objects::nonNull).forEach(scripts::add);
        List<Request> loads = scripts.stream().map(LuaScript::loadRequest).toList();
        return redis.getRedis().batch(loads).replaceWithVoid();
    }

    private static List<Response> inOrder(List<Query<?>> queries, List<Response> replies) {
        List<Response> all = new ArrayList<>(queries.size());
        int next = 0;
        for (Query<?> query : queries) {
            all.add(query.request() == null ? null : replies.get(next++));
        }
        return all;
    }

    private static List<Response> nulls(int size) {
        List<Response> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(null);
        }
        return all;
    }
}
