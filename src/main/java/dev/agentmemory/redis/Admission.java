package dev.agentmemory.redis;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * At most {@code permits} Redis commands in flight at once; the others wait their turn, first come first served,
 * and are run on the context they came from.
 *
 * <p>Why a Redis Cluster needs it: the Vert.x cluster client takes a connection from <em>every</em> master's pool
 * for each command (and holds them all until the command is done). When more commands start at once than a pool
 * has connections, each gets some masters' connections and waits for the others', which the rest hold: under
 * load every command waited until its deadline and none ran. Letting in fewer commands than a pool has
 * connections keeps one connection of each pool free for what the client itself needs meanwhile (a {@code MOVED}
 * redirect, a slot-map refresh), so every command admitted gets all its connections.
 */
final class Admission {

    /** No limit: a single server, a replication or sentinel setup, where a command takes one connection. */
    static final Admission UNLIMITED = new Admission(Integer.MAX_VALUE, 0);

    private final int permits;
    private final int maxWaiting;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int running;

    /**
     * @param permits commands in flight at once
     * @param maxWaiting commands that may wait for a permit; beyond, {@link #enter} turns them away
     */
    Admission(int permits, int maxWaiting) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, was " + permits);
        }
        this.permits = permits;
        this.maxWaiting = maxWaiting;
    }

    /**
     * For a cluster client whose pools hold {@code poolSize} connections per node and let {@code poolWaiting}
     * requests wait for one ({@code quarkus.redis.max-pool-size}, {@code max-pool-waiting}): the same bound on
     * waiting, here.
     */
    static Admission forClusterPools(int poolSize, int poolWaiting) {
        return new Admission(Math.max(1, poolSize - 1), poolWaiting);
    }

    /**
     * Runs {@code command} now if a permit is free, else once one is, on the caller's context; the command must
     * call {@link #leave()} exactly once when it is done (or decides not to run).
     *
     * @return false, without running it, when {@code maxWaiting} commands wait already
     */
    boolean enter(Runnable command) {
        if (permits == Integer.MAX_VALUE) {
            command.run();
            return true;
        }
        Context context = Vertx.currentContext();
        Runnable onItsContext = context == null ? command : () -> context.runOnContext(ignored -> command.run());
        boolean now;
        synchronized (this) {
            now = running < permits;
            if (now) {
                running++;
            } else if (waiting.size() < maxWaiting) {
                waiting.add(onItsContext);
            } else {
                return false;
            }
        }
        if (now) {
            command.run();
        }
        return true;
    }

    /** Gives back a permit: the longest waiting command, if any, runs with it. */
    void leave() {
        if (permits == Integer.MAX_VALUE) {
            return;
        }
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    /** Commands waiting for a permit (for tests and metrics). */
    synchronized int waiting() {
        return waiting.size();
    }
}
