package dev.agentmemory.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import io.smallrye.mutiny.tuples.Tuple3;
import io.smallrye.mutiny.tuples.Tuple4;
import io.smallrye.mutiny.tuples.Tuple5;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Sends several {@link Query queries} in one write on one connection and reads their replies together: one
 * round trip, however many reads. Scripts run with {@code EVALSHA}; when the server does not know one (after a
 * restart, a failover or a {@code SCRIPT FLUSH}) the whole batch is sent once more with {@code EVAL} in place of
 * {@code EVALSHA}, which is harmless because queries only read (or, like the user's generation, write only what a
 * second run finds and keeps), and caches the scripts on the node that lacked them.
 *
 * <p>On Redis Cluster a batch goes to one node: the queries of one batch must all concern keys of one slot (one
 * user's keys share the user's hash tag).
 */
public final class Pipeline {

    private Pipeline() {}

    /** One query alone. */
    public static <T> Uni<T> run(ReactiveRedisDataSource redis, Query<T> query) {
        return send(redis, List.of(query)).map(replies -> query.read(replies.get(0)));
    }

    /** Two queries in one round trip. */
    public static <A, B> Uni<Tuple2<A, B>> run(ReactiveRedisDataSource redis, Query<A> a, Query<B> b) {
        return send(redis, List.of(a, b)).map(replies -> Tuple2.of(a.read(replies.get(0)), b.read(replies.get(1))));
    }

    /** Three queries in one round trip. */
    public static <A, B, C> Uni<Tuple3<A, B, C>> run(
            ReactiveRedisDataSource redis, Query<A> a, Query<B> b, Query<C> c) {
        return send(redis, List.of(a, b, c))
                .map(replies -> Tuple3.of(a.read(replies.get(0)), b.read(replies.get(1)), c.read(replies.get(2))));
    }

    /** Four queries in one round trip. */
    public static <A, B, C, D> Uni<Tuple4<A, B, C, D>> run(
            ReactiveRedisDataSource redis, Query<A> a, Query<B> b, Query<C> c, Query<D> d) {
        return send(redis, List.of(a, b, c, d))
                .map(replies -> Tuple4.of(
                        a.read(replies.get(0)),
                        b.read(replies.get(1)),
                        c.read(replies.get(2)),
                        d.read(replies.get(3))));
    }

    /** Five queries in one round trip. */
    public static <A, B, C, D, E> Uni<Tuple5<A, B, C, D, E>> run(
            ReactiveRedisDataSource redis, Query<A> a, Query<B> b, Query<C> c, Query<D> d, Query<E> e) {
        return send(redis, List.of(a, b, c, d, e))
                .map(replies -> Tuple5.of(
                        a.read(replies.get(0)),
                        b.read(replies.get(1)),
                        c.read(replies.get(2)),
                        d.read(replies.get(3)),
                        e.read(replies.get(4))));
    }

    /** The replies in the order of the queries; null for a query that needed no command. */
    private static Uni<List<Response>> send(ReactiveRedisDataSource redis, List<Query<?>> queries) {
        List<Request> requests = requests(queries, Query::request);
        if (requests.isEmpty()) {
            return Uni.createFrom().item(nulls(queries.size()));
        }
        return batch(redis, requests)
                .onFailure(LuaScript::isNoScript)
                .recoverWithUni(() -> batch(redis, requests(queries, Query::retryRequest)))
                .map(replies -> inOrder(queries, replies));
    }

    private static List<Request> requests(List<Query<?>> queries, Function<Query<?>, Request> request) {
        return queries.stream()
                .filter(query -> query.request() != null)
                .map(request)
                .filter(Objects::nonNull)
                .toList();
    }

    private static Uni<List<Response>> batch(ReactiveRedisDataSource redis, List<Request> requests) {
        return requests.size() == 1
                ? redis.getRedis().send(requests.get(0)).map(List::of)
                : redis.getRedis().batch(requests);
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
