package dev.agentmemory.extraction;

import dev.agentmemory.config.MemoryConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The extraction queue's figures as metrics, read every {@code metrics-interval} on every replica (one small
 * script): {@code memory_extraction_backlog_jobs}, {@code memory_extraction_backlog_users},
 * {@code memory_extraction_backlog_wait_seconds} (how long the most overdue user has been waiting beyond its
 * time) and {@code memory_extraction_dead_letters}. When the backlog reaches {@code backlog-warning} jobs it logs
 * a warning at every reading until it is below again; readiness does not change (a backlog is no reason to stop
 * taking requests) and no job is ever dropped.
 */
@ApplicationScoped
public class QueueMonitor {

    private static final Logger LOG = Logger.getLogger(QueueMonitor.class);

    private final ExtractionQueue queue;
    private final MemoryConfig.Extraction config;
    private final AtomicLong jobs = new AtomicLong();
    private final AtomicLong users = new AtomicLong();
    private final AtomicLong waitSeconds = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private volatile boolean over;
    private Cancellable readings;

    public QueueMonitor(ExtractionQueue queue, MemoryConfig config, MeterRegistry registry) {
        this.queue = queue;
        this.config = config.extraction();
        gauge(registry, "memory.extraction.backlog.jobs", "Extraction jobs waiting, as last seen", jobs);
        gauge(registry, "memory.extraction.backlog.users", "Users with extraction jobs waiting", users);
        gauge(
                registry,
                "memory.extraction.backlog.wait.seconds",
                "How long the most overdue user's jobs have waited beyond their time",
                waitSeconds);
        gauge(
                registry,
                "memory.extraction.dead.letters",
                "Extraction jobs given up and kept as dead letters",
                deadLetters);
    }

    void onStart(@Observes StartupEvent event) {
        readings = Multi.createFrom()
                .ticks()
                .every(config.metricsInterval())
                .onOverflow()
                .drop()
                .onItem()
                .transformToUniAndConcatenate(
                        tick -> queue.stats().invoke(this::record).onFailure().recoverWithNull())
                .subscribe()
                .with(ignored -> {}, failure -> LOG.warn("Extraction queue metrics stopped", failure));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (readings != null) {
            readings.cancel();
        }
    }

    /** Reads the figures now (tests); the periodic reading does the same. */
    public io.smallrye.mutiny.Uni<ExtractionQueue.QueueStats> read() {
        return queue.stats().invoke(this::record);
    }

    private void record(ExtractionQueue.QueueStats stats) {
        jobs.set(stats.jobsWaiting());
        users.set(stats.usersWaiting());
        deadLetters.set(stats.deadLetters());
        long overdue = stats.firstReadyAt() == null ? 0 : System.currentTimeMillis() - stats.firstReadyAt();
        waitSeconds.set(Math.max(0, overdue / 1000));
        if (stats.jobsWaiting() >= config.backlogWarning()) {
            over = true;
            LOG.warnf(
                    "Extraction backlog: %d jobs of %d users waiting (warning at %d, memory.extraction.backlog-warning);"
                            + " the oldest has waited %d s beyond its time. Add workers (replicas, or"
                            + " memory.extraction.concurrency), or check the LLM. No job is dropped.",
                    stats.jobsWaiting(), stats.usersWaiting(), config.backlogWarning(), waitSeconds.get());
        } else if (over) {
            over = false;
            LOG.infof("Extraction backlog back to %d jobs", stats.jobsWaiting());
        }
    }

    private static void gauge(MeterRegistry registry, String name, String description, AtomicLong value) {
        Gauge.builder(name, value, AtomicLong::doubleValue)
                .description(description)
                .register(registry);
    }
}
