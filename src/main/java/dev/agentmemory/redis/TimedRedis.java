package dev.agentmemory.redis;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A Redis client whose every command fails with {@link StoreUnavailableException} when no reply came within the
 * deadline ({@code quarkus.redis.timeout}), wherever the wait was: for a pooled connection, in the connection's
 * queue, or for a server that stopped answering. The Vert.x client bounds none of these by itself.
 *
 * <p>A command that timed out may still run later, once the server answers again (its bytes may already be on
 * the wire): every write the service makes is one atomic script, so such a write lands whole or not at all.
 */
final class TimedRedis implements Redis {

    private final Redis delegate;
    private final Vertx vertx;
    private final long deadlineMillis;

    TimedRedis(Redis delegate, Vertx vertx, Duration deadline) {
        this.delegate = delegate;
        this.vertx = vertx;
        this.deadlineMillis = deadline.toMillis();
    }

    @Override
    public Future<RedisConnection> connect() {
        return bounded(delegate.connect()).map(connection -> new Connection(connection));
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public Future<Response> send(Request command) {
        return bounded(delegate.send(command));
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
        return bounded(delegate.batch(commands));
    }

    private <T> Future<T> bounded(Future<T> call) {
        if (call.isComplete()) {
            return call;
        }
        Promise<T> outcome = Promise.promise();
        long timer = vertx.setTimer(
                deadlineMillis,
                id -> outcome.tryFail(new StoreUnavailableException(
                        new TimeoutException("Redis did not answer within " + deadlineMillis + " ms"))));
        call.onComplete(result -> {
            vertx.cancelTimer(timer);
            if (result.succeeded()) {
                outcome.tryComplete(result.result());
            } else {
                outcome.tryFail(result.cause());
            }
        });
        return outcome.future();
    }

    /** A connection taken from the client (transactions, {@code withConnection}), bounded the same way. */
    private final class Connection implements RedisConnection {

        private final RedisConnection connection;

        Connection(RedisConnection connection) {
            this.connection = connection;
        }

        @Override
        public Future<Response> send(Request command) {
            return bounded(connection.send(command));
        }

        @Override
        public Future<List<Response>> batch(List<Request> commands) {
            return bounded(connection.batch(commands));
        }

        @Override
        public Future<Void> close() {
            return connection.close();
        }

        @Override
        public boolean pendingQueueFull() {
            return connection.pendingQueueFull();
        }

        @Override
        public RedisConnection exceptionHandler(Handler<Throwable> handler) {
            connection.exceptionHandler(handler);
            return this;
        }

        @Override
        public RedisConnection handler(Handler<Response> handler) {
            connection.handler(handler);
            return this;
        }

        @Override
        public RedisConnection pause() {
            connection.pause();
            return this;
        }

        @Override
        public RedisConnection resume() {
            connection.resume();
            return this;
        }

        @Override
        public RedisConnection fetch(long amount) {
            connection.fetch(amount);
            return this;
        }

        @Override
        public RedisConnection endHandler(Handler<Void> handler) {
            connection.endHandler(handler);
            return this;
        }
    }
}
