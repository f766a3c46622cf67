package dev.agentmemory.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reaching every master of a Redis Cluster (or the one server) through the service's own client, for the background
 * walks of the whole keyspace (the extraction queue's sweep, the vector backfill). A script is routed to a master by
 * a key of a slot that master serves ({@code CLUSTER SLOTS}), so no connection of its own is needed.
 */
@ApplicationScoped
public class Masters {

    private static final LuaScript SCAN = LuaScript.load("keys-scan");

    /** Routes to the one server of a Redis that is not a cluster (any key would). */
    private static final String SINGLE = "node-0";

    private final ReactiveRedisDataSource redis;

    public Masters(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /**
     * One key per master, each in a slot that master serves: from {@code CLUSTER SLOTS} on a cluster; on a single
     * Redis (which refuses the command) one key, any.
     */
    public Uni<List<String>> routingKeys() {
        return redis.execute("CLUSTER", "SLOTS")
                .map(Masters::routingKeys)
                .onFailure(failure ->
                        failure.getMessage() != null && failure.getMessage().contains("cluster support disabled"))
                .recoverWithItem(List.of(SINGLE));
    }

    /**
     * The keys of the given type matching the pattern, on every master, one SCAN step ({@code count} keys looked at)
     * per item: a step stays short on the node, and the caller handles each before the next is asked. A key may come
     * twice (SCAN's guarantee); one that exists for the whole walk comes at least once.
     */
    public Multi<List<String>> scan(String pattern, String type, int count) {
        return routingKeys().onItem().transformToMulti(keys -> Multi.createFrom()
                .iterable(keys)
                .onItem()
                .transformToMultiAndConcatenate(key -> scanNode(key, pattern, type, count)));
    }

    private Multi<List<String>> scanNode(String routingKey, String pattern, String type, int count) {
        String[] cursor = {"0"};
        return Multi.createBy()
                .repeating()
                .uni(() -> SCAN.run(
                                redis, List.of(routingKey), List.of(cursor[0], Integer.toString(count), pattern, type))
                        .map(reply -> {
                            cursor[0] = reply.get(0).toString();
                            List<String> keys = new ArrayList<>(reply.size() - 1);
                            for (int i = 1; i < reply.size(); i++) {
                                keys.add(reply.get(i).toString());
                            }
                            return keys;
                        }))
                .whilst(keys -> !"0".equals(cursor[0]));
    }

    static List<String> routingKeys(Response slots) {
        Map<String, List<int[]>> ranges = new LinkedHashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            Response range = slots.get(i);
            Response master = range.get(2);
            String node = master.get(0).toString() + ":" + master.get(1).toString();
            ranges.computeIfAbsent(node, n -> new ArrayList<>())
                    .add(new int[] {range.get(0).toInteger(), range.get(1).toInteger()});
        }
        List<String> keys = new ArrayList<>(ranges.size());
        ranges.values().forEach(served -> keys.add(keyIn(served)));
        return keys;
    }

    /** A key whose slot is in one of the ranges: a few tries on average (a master serves a third of the slots). */
    private static String keyIn(List<int[]> served) {
        for (int i = 0; ; i++) {
            String key = "node-" + i;
            int slot = HashSlot.of(key);
            for (int[] range : served) {
                if (slot >= range[0] && slot <= range[1]) {
                    return key;
                }
            }
        }
    }
}
