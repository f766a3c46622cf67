package dev.agentmemory.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A Redis Cluster client that sends every command over a few long-lived cluster connections, pipelined, instead of
 * taking a connection per command.
 *
 * <p>Why: the Vert.x cluster client's {@code send} takes a connection of <em>every</em> master from the pools for each
 * command and holds them all until that command is done. Under concurrent load each command then held some masters'
 * connections while waiting for the others' (every command waited until its deadline: 0 chat turns per second at
 * 16 clients); and one master that stopped answering (paused, partitioned) held every command's connections, so the
 * requests of users on the healthy masters failed with it. Here a cluster connection keeps one connection per node
 * and each command goes down the one of its slot's master, behind the commands already sent there: a stalled master
 * delays only the commands for its own slots.
 *
 * <p>A cluster connection that fails (a node closed its connection: a restart, a failover) is dropped and the next
 * command opens a new one, which learns the cluster's slots again. Commands that time out do not drop it: the node
 * may only be slow, and its answers come back in order.
 */
final class ClusterConnections implements Redis {

    private static final Logger LOG = Logger.getLogger(ClusterConnections.class);

    private final Redis cluster;
    private final AtomicReferenceArray<Future<RedisConnection>> shared;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param cluster the Vert.x cluster client, whose pools the connections come from
     * @param count cluster connections to spread the commands over (each holds one connection per node)
     */
    ClusterConnections(Redis cluster, int count) {
        this.cluster = cluster;
        this.shared = new AtomicReferenceArray<>(Math.max(1, count));
    }

    @Override
    public Future<Response> send(Request command) {
        return over(connection -> connection.send(command));
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
        return over(connection -> connection.batch(commands));
    }

    /** A connection of its own, for the caller to close (transactions): not shared. */
    @Override
    public Future<RedisConnection> connect() {
        return cluster.connect();
    }

    @Override
    public void close() {
        for (int i = 0; i < shared.length(); i++) {
            Future<RedisConnection> connection = shared.getAndSet(i, null);
            if (connection != null) {
                connection.onSuccess(RedisConnection::close);
            }
        }
        cluster.close();
    }

    private <T> Future<T> over(Function<RedisConnection, Future<T>> command) {
        int slot = Math.floorMod(next.getAndIncrement(), shared.length());
        Future<RedisConnection> connection = connection(slot);
        return connection.compose(command).onFailure(failure -> {
            if (broken(failure)) {
                drop(slot, connection);
            }
        });
    }

    /** The shared connection in this slot, opened when there is none (or the last one failed to open). */
    private Future<RedisConnection> connection(int slot) {
        while (true) {
            Future<RedisConnection> current = shared.get(slot);
            if (current != null && !current.failed()) {
                return current;
            }
            Promise<RedisConnection> opening = Promise.promise();
            if (shared.compareAndSet(slot, current, opening.future())) {
                cluster.connect().onComplete(opened -> {
                    if (opened.succeeded()) {
                        RedisConnection connection = opened.result();
                        connection.exceptionHandler(failure -> drop(slot, opening.future()));
                        connection.endHandler(ended -> drop(slot, opening.future()));
                    }
                    opening.handle(opened);
                });
                return opening.future();
            }
        }
    }

    private void drop(int slot, Future<RedisConnection> connection) {
        if (shared.compareAndSet(slot, connection, null)) {
            LOG.debugf("Shared Redis Cluster connection %d dropped; the next command opens a new one", slot);
            connection.onSuccess(RedisConnection::close);
        }
    }

    /**
     * Whether a failure means the connection is unusable (closed under the command, a node unreachable), as opposed
     * to an error reply of the server (a script error, {@code NOSCRIPT}, a command refused), after which it is fine.
     */
    private static boolean broken(Throwable failure) {
        return !(failure instanceof io.vertx.redis.client.impl.types.ErrorType) && RedisFailures.isUnavailable(failure);
    }
}
