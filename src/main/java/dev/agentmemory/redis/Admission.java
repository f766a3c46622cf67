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
    static final Admission UNLIMITED = new Admission(Integer.MAX_VALUE);

    private final int permits;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int running;

    Admission(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, was " + permits);
        }
        this.permits = permits;
    }

    /** For a cluster client whose pools hold {@code poolSize} connections per node. */
    static Admission forClusterPools(int poolSize) {
        return new Admission(Math.max(1, poolSize - 1));
    }

    /**
     * Runs {@code command} now if a permit is free, else once one is, on the caller's context; the command must
     * call {@link #leave()} exactly once when it is done (or decides not to run).
     */
    void enter(Runnable command) {
        if (permits == Integer.MAX_VALUE) {
            command.run();
            return;
        }
        Context context = Vertx.currentContext();
        Runnable onItsContext = context == null ? command : () -> context.runOnContext(ignored -> command.run());
        boolean now;
        synchronized (this) {
            now = running < permits;
            if (now) {
                running++;
            } else {
                waiting.add(onItsContext);
            }
        }
        if (now) {
            command.run();
        }
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
