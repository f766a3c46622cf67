package dev.agentmemory.bench.perf;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator: {@code clients} callers, each sending its next request as soon as the previous
 * one has been answered in full, first for a warm-up that is not recorded, then for the measured window.
 * Latencies go into an HdrHistogram (microsecond resolution, up to a minute); failures are counted by their
 * reason (see {@link WrongAnswer}).
 */
public final class LoadDriver {

    private LoadDriver() {}

    /**
     * What one measured window produced.
     *
     * @param failures the failed calls by reason, in the order of the reasons
     */
    public record Result(
            long completed,
            long failed,
            Map<String, Long> failures,
            double seconds,
            double[] cpuMillis,
            Histogram latencies) {

        public double perSecond() {
            return completed / seconds;
        }

        /** CPU time the {@code process}-th measured process used per completed request during the window. */
        public double cpuMillisEach(int process) {
            return completed == 0 ? Double.NaN : cpuMillis[process] / completed;
        }

        public double p50Millis() {
            return latencies.getValueAtPercentile(50) / 1000.0;
        }

        public double p99Millis() {
            return latencies.getValueAtPercentile(99) / 1000.0;
        }
    }

    /**
     * A wrong answer: the call's future fails with it when the answer came but is not the expected one. Its message
     * is the failure's reason in the breakdown, so it should name the kind of answer (status, event), not one
     * particular request.
     */
    public static final class WrongAnswer extends RuntimeException {

        public WrongAnswer(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The reason a call failed: a wrong answer's own, or the exception's type and message. */
    static String reason(Throwable failure) {
        if (failure instanceof WrongAnswer) {
            return failure.getMessage();
        }
        return failure.getMessage() == null
                ? failure.getClass().getName()
                : failure.getClass().getName() + ": " + failure.getMessage();
    }

    /**
     * Runs the load.
     *
     * @param cpuMillis the CPU time used so far by each process whose cost is measured, read as the window opens
     *     and closes
     * @param call sends one request for the given client number; its future fails for a wrong answer
     */
    public static Result run(
            int clients, Duration warmUp, Duration window, Supplier<double[]> cpuMillis, IntFunction<Future<?>> call)
            throws InterruptedException {
        Histogram latencies = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(1), 3);
        AtomicLong completed = new AtomicLong();
        Map<String, LongAdder> failed = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long measureTo = measureFrom + window.toNanos();
        CountDownLatch done = new CountDownLatch(clients);
        for (int client = 0; client < clients; client++) {
            loop(client, call, measureFrom, measureTo, latencies, completed, failed, done);
        }
        sleepUntil(measureFrom);
        double[] cpuBefore = cpuMillis.get();
        sleepUntil(measureTo);
        double[] cpuAfter = cpuMillis.get();
        double[] cpuUsed = new double[cpuAfter.length];
        for (int i = 0; i < cpuUsed.length; i++) {
            cpuUsed[i] = cpuAfter[i] - cpuBefore[i];
        }
        if (!done.await(warmUp.plus(window).toSeconds() + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Load did not finish: requests hang");
        }
        Map<String, Long> failures = new TreeMap<>();
        failed.forEach((reason, count) -> failures.put(reason, count.sum()));
        long failedCount = failures.values().stream().mapToLong(Long::longValue).sum();
        return new Result(completed.get(), failedCount, failures, window.toNanos() / 1e9, cpuUsed, latencies);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static void loop(
            int client,
            IntFunction<Future<?>> call,
            long measureFrom,
            long measureTo,
            Histogram latencies,
            AtomicLong completed,
            Map<String, LongAdder> failed,
            CountDownLatch done) {
        long sent = System.nanoTime();
        if (sent >= measureTo) {
            done.countDown();
            return;
        }
        call.apply(client).onComplete(outcome -> {
            long answered = System.nanoTime();
            if (sent >= measureFrom && answered <= measureTo) {
                if (outcome.succeeded()) {
                    latencies.recordValue(Math.max(1, (answered - sent) / 1000));
                    completed.incrementAndGet();
                } else {
                    failed.computeIfAbsent(reason(outcome.cause()), reason -> new LongAdder())
                            .increment();
                }
            }
            loop(client, call, measureFrom, measureTo, latencies, completed, failed, done);
        });
    }
}
