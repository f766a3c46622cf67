package dev.agentmemory.redis;

import io.vertx.core.AsyncResult;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A Redis client whose every command fails with {@link StoreUnavailableException} when no reply came within the
 * deadline ({@code quarkus.redis.timeout}), wherever the wait was: for a pooled connection, in the connection's
 * queue, or for a server that stopped answering. The Vert.x client bounds none of these by itself.
 *
 * <p>A command that timed out may still run later, once the server answers again (its bytes may already be on
 * the wire): every write the service makes is one atomic script, so such a write lands whole or not at all.
 *
 * <p>Commands pass an {@link Admission} first (on a Redis Cluster, fewer at once than a node's pool holds); the
 * deadline counts from the call, so the wait for admission is part of it, and a command whose deadline passed
 * while it waited is never sent.
 */
final class TimedRedis implements Redis {

    private final Redis delegate;
    private final Vertx vertx;
    private final long deadlineMillis;
    private final Admission admission;

    TimedRedis(Redis delegate, Vertx vertx, Duration deadline, Admission admission) {
        this.delegate = delegate;
        this.vertx = vertx;
        this.deadlineMillis = deadline.toMillis();
        this.admission = admission;
    }

    /** A connection holds its permit until it is closed. */
    @Override
    public Future<RedisConnection> connect() {
        Promise<RedisConnection> outcome = deadline();
        enter(outcome, () -> {
            if (outcome.future().isComplete()) {
                admission.leave();
                return;
            }
            delegate.connect().onComplete(result -> {
                if (result.failed()) {
                    admission.leave();
                    outcome.tryFail(result.cause());
                } else if (!outcome.tryComplete(new Connection(result.result()))) {
                    result.result().close();
                    admission.leave();
                }
            });
        });
        return outcome.future();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public Future<Response> send(Request command) {
        return admitted(() -> delegate.send(command));
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
        return admitted(() -> delegate.batch(commands));
    }

    /** The command once admitted, its permit given back when it answers; failed at the deadline either way. */
    private <T> Future<T> admitted(Supplier<Future<T>> command) {
        Promise<T> outcome = deadline();
        enter(outcome, () -> {
            if (outcome.future().isComplete()) {
                admission.leave();
                return;
            }
            command.get().onComplete(result -> {
                admission.leave();
                settle(outcome, result);
            });
        });
        return outcome.future();
    }

    /** Runs the command once admitted; fails the outcome at once when too many commands wait already. */
    private void enter(Promise<?> outcome, Runnable command) {
        if (!admission.enter(command)) {
            outcome.tryFail(new StoreUnavailableException(
                    new IllegalStateException("too many Redis commands waiting (quarkus.redis.max-pool-waiting)")));
        }
    }

    /** A promise that fails with {@link StoreUnavailableException} unless completed within the deadline. */
    private <T> Promise<T> deadline() {
        Promise<T> outcome = Promise.promise();
        long timer = vertx.setTimer(
                deadlineMillis,
                id -> outcome.tryFail(new StoreUnavailableException(
                        new TimeoutException("Redis did not answer within " + deadlineMillis + " ms"))));
        outcome.future().onComplete(ignored -> vertx.cancelTimer(timer));
        return outcome;
    }

    private <T> Future<T> bounded(Future<T> call) {
        if (call.isComplete()) {
            return call;
        }
        Promise<T> outcome = deadline();
        call.onComplete(result -> settle(outcome, result));
        return outcome.future();
    }

    /** Completes or fails the outcome as the call did, unless the deadline came first. */
    private static <T> void settle(Promise<T> outcome, AsyncResult<T> result) {
        if (result.succeeded()) {
            outcome.tryComplete(result.result());
        } else {
            outcome.tryFail(result.cause());
        }
    }

    /** A connection taken from the client (transactions, {@code withConnection}), bounded the same way. */
    private final class Connection implements RedisConnection {

        private final RedisConnection connection;
        private final AtomicBoolean closed = new AtomicBoolean();

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
            if (closed.compareAndSet(false, true)) {
                admission.leave();
            }
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
