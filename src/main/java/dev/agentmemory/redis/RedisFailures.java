package dev.agentmemory.redis;

import io.vertx.core.VertxException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Tells a Redis outage (a retryable 503 for the client) from a command error (a bug, which should surface as
 * one).
 */
public final class RedisFailures {

    /** Error replies a healthy-but-busy server gives: loading, failing over, or busy with a slow script. */
    private static final List<String> TRANSIENT_REPLIES =
            List.of("LOADING", "BUSY", "MASTERDOWN", "READONLY", "CLUSTERDOWN", "TRYAGAIN", "NOREPLICAS");

    private RedisFailures() {}

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof ClosedChannelException
                    || t instanceof TimeoutException
                    || t instanceof IOException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null) {
                if (TRANSIENT_REPLIES.stream().anyMatch(message::startsWith)) {
                    return true;
                }
                // The client's own failures (a connection closed under a command, a full pool, no node of a cluster
                // reachable): a VertxException, or Vert.x's NoStackTraceThrowable.
                boolean client =
                        t instanceof VertxException || t.getClass().getName().startsWith("io.vertx.");
                String text = message.toLowerCase(java.util.Locale.ROOT);
                if (client && (text.contains("closed") || text.contains("connect") || text.contains("pool"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** For {@code .onFailure(RedisFailures::isUnavailable).transform(RedisFailures::unavailable)}. */
    public static Throwable unavailable(Throwable failure) {
        return failure instanceof StoreUnavailableException ? failure : new StoreUnavailableException(failure);
    }
}
