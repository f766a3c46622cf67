package dev.agentmemory.extraction;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.redis.LuaScript;
import dev.agentmemory.redis.Masters;
import dev.agentmemory.redis.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Finds jobs whose announcement was lost: a service that died between saving an exchange and announcing its user,
 * or an announcement lost with a failed-over primary. It scans every master for users' job streams
 * ({@code jobs:{*}}) and announces their users again (announcing a user already waiting is harmless).
 *
 * <p>The scan runs on each master through {@code extraction-sweep.lua}, routed there by a key of a slot that
 * master serves ({@link Masters}), so it needs no connection of its own. It walks
 * the whole keyspace, so it runs off the request path only, on one replica at a time ({@code {queue}:sweep} is its
 * lease, for {@code sweep-interval}): when a worker starts, after its Redis calls recover from a failure, and
 * once per interval.
 */
@ApplicationScoped
public class QueueSweep {

    private static final Logger LOG = Logger.getLogger(QueueSweep.class);
    private static final LuaScript SWEEP = LuaScript.load("extraction-sweep");

    /** Keys looked at per SCAN step: a step stays well under a millisecond of the node's time. */
    private static final int SCAN_COUNT = 1000;

    /** Users announced per script call. */
    private static final int ANNOUNCE_BATCH = 500;

    private final ReactiveRedisDataSource redis;
    private final ExtractionQueue queue;
    private final Masters masters;
    private final MemoryConfig.Extraction config;

    public QueueSweep(ReactiveRedisDataSource redis, ExtractionQueue queue, Masters masters, MemoryConfig config) {
        this.redis = redis;
        this.queue = queue;
        this.masters = masters;
        this.config = config.extraction();
    }

    /**
     * Sweeps unless another replica did within {@code sweep-interval} ({@code force}: regardless). Answers the
     * users found with jobs, or -1 when it did not run.
     */
    public Uni<Integer> sweep(boolean force) {
        Uni<Boolean> lease = redis.execute(
                        "SET",
                        queue.sharedKey("sweep"),
                        "1",
                        "NX",
                        "PX",
                        Long.toString(config.sweepInterval().toMillis()))
                .map(reply -> reply != null);
        return (force ? lease.replaceWith(true) : lease)
                .chain(won -> won ? sweepAll() : Uni.createFrom().item(-1));
    }

    private Uni<Integer> sweepAll() {
        return masters.routingKeys()
                .chain(keys -> Multi.createFrom()
                        .iterable(keys)
                        .onItem()
                        .transformToUniAndConcatenate(this::sweepNode)
                        .collect()
                        .asList())
                .chain(nodes -> {
                    int found = (int) nodes.stream().mapToLong(node -> node[0]).sum();
                    long dead = nodes.stream().mapToLong(node -> node[1]).sum();
                    LOG.debugf("Extraction queue sweep: %d users with jobs announced, %d dead letters", found, dead);
                    return queue.countedDeadLetters(dead).replaceWith(found);
                });
    }

    /**
     * Scans one node to the end, announcing the users found as it goes. Answers the users found and the dead letters
     * counted.
     */
    private Uni<long[]> sweepNode(String routingKey) {
        long[] found = {0, 0};
        String[] cursor = {"0"};
        return Multi.createBy()
                .repeating()
                .uni(() -> SWEEP.run(
                                redis,
                                List.of(routingKey),
                                List.of(cursor[0], Integer.toString(SCAN_COUNT), RedisKeys.JOBS_PATTERN))
                        .chain(reply -> {
                            cursor[0] = reply.get(0).toString();
                            found[1] += reply.get(1).toLong();
                            Set<String> users = users(reply);
                            found[0] += users.size();
                            return announce(users).replaceWith(cursor[0]);
                        }))
                .whilst(next -> !"0".equals(next))
                .collect()
                .last()
                .map(ignored -> found);
    }

    private Uni<Void> announce(Set<String> users) {
        List<String> all = new ArrayList<>(users);
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += ANNOUNCE_BATCH) {
            batches.add(all.subList(i, Math.min(all.size(), i + ANNOUNCE_BATCH)));
        }
        return Multi.createFrom()
                .iterable(batches)
                .onItem()
                .transformToUniAndConcatenate(queue::announceFound)
                .collect()
                .last()
                .replaceWithVoid();
    }

    private static Set<String> users(Response reply) {
        Set<String> users = new LinkedHashSet<>();
        for (int i = 2; i < reply.size(); i++) {
            String user = RedisKeys.userOfJobs(reply.get(i).toString());
            if (user != null) {
                users.add(user);
            }
        }
        return users;
    }
}
