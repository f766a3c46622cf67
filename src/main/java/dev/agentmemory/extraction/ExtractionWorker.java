package dev.agentmemory.extraction;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.redis.RedisFailures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Remembering in the background: each replica (when {@code memory.extraction.worker-enabled}) runs one loop of
 * {@link ExtractionRound rounds}. A round that finds no ready user is followed by a wait of {@code poll-interval};
 * a round that fails (Redis unreachable) by a wait of {@code outage-backoff}, doubling up to
 * {@code max-outage-backoff}. The loop also runs the {@link QueueSweep}: when it starts, once per
 * {@code sweep-interval} (on one replica at a time), and as soon as Redis answers again after a failure.
 */
@ApplicationScoped
public class ExtractionWorker {

    private static final Logger LOG = Logger.getLogger(ExtractionWorker.class);

    private final ExtractionRound round;
    private final QueueSweep sweep;
    private final MemoryConfig.Extraction config;
    private final Counter roundsFailed;

    private volatile boolean running;
    /** The loop waits (idle, or out of an outage) holding no job: stopping need not wait for it. */
    private volatile boolean waiting;
    /** A Redis call failed since the last sweep: announcements may have been lost. */
    private volatile boolean sweepDue;

    private volatile long nextSweep;
    private volatile Duration backoff;
    private Cancellable loop;
    private CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);

    public ExtractionWorker(ExtractionRound round, QueueSweep sweep, MemoryConfig config, MeterRegistry registry) {
        this.round = round;
        this.sweep = sweep;
        this.config = config.extraction();
        this.backoff = this.config.outageBackoff();
        this.roundsFailed = Counter.builder("memory.extraction.worker.errors")
                .description("Worker rounds that failed as a whole, e.g. Redis unreachable; the loop waits and goes on")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.workerEnabled()) {
            start();
        } else {
            LOG.info("Extraction worker disabled on this replica (memory.extraction.worker-enabled=false)");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts the background loop (at start-up when the worker is enabled); does nothing if it runs. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        sweepDue = true;
        CompletableFuture<Void> ended = new CompletableFuture<>();
        stopped = ended;
        loop = Multi.createBy()
                .repeating()
                .uni(this::step)
                .whilst(handled -> running)
                .onTermination()
                .invoke(() -> ended.complete(null))
                .subscribe()
                .with(handled -> {}, failure -> LOG.error("The extraction worker loop ended", failure));
        LOG.infof("Extraction worker started on queue {%s}", config.queue());
    }

    /**
     * Stops the loop after the round in hand, waiting up to {@code stop-timeout}; jobs still unfinished then stay in
     * their users' streams and are taken again once the lease ({@code claim-idle}) runs out. A loop that waits
     * (nothing to do, or Redis down) stops at once.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        if (waiting) {
            loop.cancel();
            stopped.complete(null);
            return;
        }
        try {
            stopped.get(config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf(
                    "Extraction worker did not finish its round in %s; its users are taken again after %s",
                    config.stopTimeout(), config.claimIdle());
            loop.cancel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.cancel();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never: the future is only ever completed normally
        }
    }

    /** Whether the loop is waiting (nothing to do, or Redis down), holding no user. */
    boolean isWaiting() {
        return running && waiting;
    }

    /** One round now, without waiting for anything (tests and tools); answers the jobs it handled. */
    public Uni<Integer> processAvailable() {
        return round.run().map(ExtractionRound.Outcome::jobs);
    }

    /** Sweeps for lost announcements now, whatever the lease; answers the users found with jobs. */
    public Uni<Integer> sweepNow() {
        return sweep.sweep(true);
    }

    /** A loop step that never fails: a sweep when due, a round, and the wait that follows an idle or failed one. */
    private Uni<Integer> step() {
        return sweepIfDue()
                .chain(round::run)
                .chain(outcome -> {
                    backoff = config.outageBackoff();
                    if (outcome.storeFailed()) {
                        sweepDue = true;
                    }
                    return outcome.jobs() == 0
                            ? pause(config.pollInterval(), 0)
                            : Uni.createFrom().item(outcome.jobs());
                })
                .onFailure()
                .recoverWithUni(failure -> {
                    roundsFailed.increment();
                    sweepDue = true;
                    Duration wait = backoff;
                    Duration doubled = wait.multipliedBy(2);
                    backoff = doubled.compareTo(config.maxOutageBackoff()) > 0 ? config.maxOutageBackoff() : doubled;
                    if (stopping()) {
                        LOG.debugf("Extraction worker, stopping: %s", ExtractionRound.describe(failure));
                    } else {
                        LOG.warnf("Extraction worker: %s; trying again in %s", ExtractionRound.describe(failure), wait);
                    }
                    return pause(wait, 0);
                });
    }

    /**
     * The sweep, forced after a failure, else when its interval has passed (the lease in Redis then decides which
     * replica runs it). A sweep that fails does not hold up the round: Redis down fails the round too (and the
     * sweep is tried again once it answers); any other failure is logged and the sweep waits for its next interval.
     */
    private Uni<Void> sweepIfDue() {
        long now = System.currentTimeMillis();
        boolean forced = sweepDue;
        if (!forced && now < nextSweep) {
            return Uni.createFrom().voidItem();
        }
        return sweep.sweep(forced)
                .invoke(found -> sweepDue = false)
                .onFailure()
                .recoverWithItem(failure -> {
                    sweepDue = RedisFailures.isUnavailable(failure);
                    if (!stopping()) {
                        LOG.warnf("Extraction queue sweep failed: %s", ExtractionRound.describe(failure));
                    }
                    return 0;
                })
                .invoke(found -> nextSweep = now + config.sweepInterval().toMillis())
                .replaceWithVoid();
    }

    /**
     * Whether the worker or the whole JVM is stopping. The JVM runs its shutdown hooks in no order, so a Redis
     * started in-process (dev mode's embedded server) may be gone before the application, and this worker, hear of
     * the stop: a failure then is the stop, not an outage worth a warning.
     */
    private boolean stopping() {
        if (!running) {
            return true;
        }
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true; // hooks can no longer be added: the JVM is exiting
        }
    }

    private Uni<Integer> pause(Duration wait, int handled) {
        return Uni.createFrom()
                .item(handled)
                .onItem()
                .delayIt()
                .by(wait)
                .onSubscription()
                .invoke(() -> waiting = true)
                .onTermination()
                .invoke(() -> waiting = false);
    }
}
