package dev.agentmemory.extraction;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.llm.ExtractedFacts;
import dev.agentmemory.llm.ExtractedFacts.Fact;
import dev.agentmemory.llm.FactExtraction;
import dev.agentmemory.llm.LlmHttpException;
import dev.agentmemory.longterm.MemoryService;
import dev.agentmemory.longterm.Remembered;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Remembering in the background: takes extraction jobs from the stream, asks {@link FactExtraction} for the facts
 * of their exchanges and stores them as long-term memories. New jobs of one session read in the same round share
 * one LLM call ({@code max-exchanges-per-call}), so a busy session or a backlog costs a call per few exchanges.
 *
 * <p>Each replica runs one loop (when {@code memory.extraction.worker-enabled}) as its own consumer of the shared
 * group. A round first reclaims jobs left pending for {@code claim-idle} (a failed attempt, or a replica that died
 * mid-job), else reads new ones, blocking up to {@code block}. A job is acknowledged and deleted only once all its
 * facts are stored; any failure (LLM error, unparseable reply, Redis) leaves it pending for a later attempt, and
 * the attempt that reaches {@code max-attempts} moves it to the dead-letter stream with its error. Jobs are
 * delivered at least once: storing goes through {@link MemoryService#remember}, whose dedupe makes a second run
 * of the same job store nothing new.
 */
@ApplicationScoped
public class ExtractionWorker {

    private static final Logger LOG = Logger.getLogger(ExtractionWorker.class);

    /** Where a scan of the pending list starts, and what {@code XAUTOCLAIM} answers once it has seen it all. */
    private static final String PENDING_START = "0-0";

    /** How long stopping waits for Redis to end the loop's blocking read early. */
    private static final Duration UNBLOCK_TIMEOUT = Duration.ofSeconds(1);

    /** Error text kept in the dead-letter entry: enough to diagnose, without a whole HTTP body. */
    private static final int MAX_ERROR_CHARS = 1000;

    private final ExtractionQueue queue;
    private final FactExtraction extractor;
    private final MemoryService memories;
    private final MemoryConfig.Extraction config;
    private final MemoryConfig.LongTerm longTerm;
    private final Pattern kindPattern;
    private final String consumer = consumerName();
    private final Map<String, String> reclaimCursors = new ConcurrentHashMap<>();

    private final Counter jobsDone;
    private final Counter jobsFailed;
    private final Counter jobsDeadLettered;
    private final Counter factsStored;
    private final Counter factsKnown;
    private final Counter roundsFailed;

    private volatile boolean groupReady;
    private volatile boolean running;
    /** The loop waits out a Redis outage, holding no jobs: stopping need not wait for it. */
    private volatile boolean backingOff;
    /** Client id of the connection on which the loop waits for new jobs, while it does. */
    private volatile Long waitingClient;

    private volatile Duration backoff;
    private Cancellable loop;
    private CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);

    public ExtractionWorker(
            ExtractionQueue queue,
            FactExtraction extractor,
            MemoryService memories,
            MemoryConfig config,
            MeterRegistry registry) {
        this.queue = queue;
        this.extractor = extractor;
        this.memories = memories;
        this.config = config.extraction();
        this.longTerm = config.longTerm();
        this.kindPattern = Pattern.compile(longTerm.kindPattern());
        this.backoff = this.config.outageBackoff();
        this.jobsDone = jobs(registry, "done");
        this.jobsFailed = jobs(registry, "failed");
        this.jobsDeadLettered = jobs(registry, "dead_lettered");
        this.factsStored = facts(registry, "stored");
        this.factsKnown = facts(registry, "duplicate");
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

    /** This replica's consumer name in the group. */
    public String consumer() {
        return consumer;
    }

    /** Starts the background loop (at start-up when the worker is enabled); does nothing if it runs. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        CompletableFuture<Void> ended = new CompletableFuture<>();
        stopped = ended;
        loop = Multi.createBy()
                .repeating()
                .uni(this::round)
                .whilst(handled -> running)
                .onTermination()
                .invoke(() -> ended.complete(null))
                .subscribe()
                .with(handled -> {}, failure -> LOG.error("The extraction worker loop ended", failure));
        LOG.infof("Extraction worker %s started on stream %s, group %s", consumer, config.stream(), config.group());
    }

    /**
     * Stops the loop after the round in hand, waiting up to {@code stop-timeout}; jobs still unfinished then stay
     * pending and are reclaimed later. A loop waiting for new jobs does not wait out its blocking read: the read is
     * ended as if it had timed out ({@code CLIENT UNBLOCK}), taking no job. One waiting out a Redis outage stops at
     * once.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        if (backingOff) {
            loop.cancel();
            backingOff = false;
            return;
        }
        Long client = waitingClient;
        if (client != null) {
            try {
                queue.unblock(client).await().atMost(UNBLOCK_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.debugf("Extraction worker %s could not end its read early (%s); waiting for it", consumer, e);
            }
        }
        try {
            stopped.get(config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf(
                    "Extraction worker %s did not finish its round in %s; its jobs will be reclaimed",
                    consumer, config.stopTimeout());
            loop.cancel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.cancel();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never: the future is only ever completed normally
        }
    }

    /**
     * One round for {@code consumer} without waiting for new jobs, nor for more to join them; see
     * {@link #processAvailable(String, Duration, Duration)}.
     */
    public Uni<Integer> processAvailable(String consumer) {
        return processAvailable(consumer, null, Duration.ZERO);
    }

    /**
     * One round as {@code consumer}: reclaims stale jobs, or else reads new ones (waiting up to {@code block},
     * {@code null} for no wait; when fewer than a batch came, once more when the oldest is {@code linger} old, so
     * that the next exchanges of a busy session join it in one call), and handles them. Answers how many jobs it
     * handled, whatever their outcome. The background loop repeats this with the configured {@code block} and
     * {@code linger}; it fails only when Redis does.
     */
    public Uni<Integer> processAvailable(String consumer, Duration block, Duration linger) {
        return ready().chain(() -> deliveries(consumer, block, linger))
                .chain(this::handleAll)
                .onFailure(failure -> ExtractionQueue.hasReply(failure, "NOGROUP"))
                .invoke(() -> groupReady = false); // the stream was deleted (or Redis restarted empty)
    }

    private Uni<Void> ready() {
        return groupReady ? Uni.createFrom().voidItem() : queue.ensureGroup().invoke(() -> groupReady = true);
    }

    private Uni<List<Delivery>> deliveries(String consumer, Duration block, Duration linger) {
        return queue.reclaim(consumer, reclaimCursors.getOrDefault(consumer, PENDING_START))
                .chain(claimed -> {
                    reclaimCursors.put(consumer, claimed.getId());
                    if (!claimed.getMessages().isEmpty()) {
                        return Uni.createFrom().item(Delivery.all(claimed.getMessages(), true));
                    }
                    return read(consumer, block)
                            .chain(messages -> lingered(consumer, messages, linger))
                            .map(messages -> Delivery.all(messages, false));
                });
    }

    /** New jobs; a blocking read ({@code block} not null) leaves its client id for {@link #stop()} to unblock. */
    private Uni<List<StreamMessage<String, String, String>>> read(String consumer, Duration block) {
        if (block == null) {
            return queue.read(consumer, null, config.batchSize());
        }
        return queue.read(consumer, block, config.batchSize(), id -> waitingClient = id)
                .onTermination()
                .invoke(() -> waitingClient = null);
    }

    /**
     * New jobs, with those that arrived until the oldest was {@code linger} old, when the first read did not fill
     * a batch. The wait is counted from the oldest job's enqueue time (its stream id), so a backlog is not held.
     */
    private Uni<List<StreamMessage<String, String, String>>> lingered(
            String consumer, List<StreamMessage<String, String, String>> first, Duration linger) {
        if (first.isEmpty() || first.size() >= config.batchSize() || linger.isZero()) {
            return Uni.createFrom().item(first);
        }
        long age = System.currentTimeMillis() - enqueuedAt(first.get(0).id());
        long wait = linger.toMillis() - age;
        if (wait <= 0) {
            return Uni.createFrom().item(first);
        }
        return Uni.createFrom()
                .voidItem()
                .onItem()
                .delayIt()
                .by(Duration.ofMillis(wait))
                .chain(() -> queue.read(consumer, null, config.batchSize() - first.size()))
                .map(more -> {
                    List<StreamMessage<String, String, String>> all = new ArrayList<>(first);
                    all.addAll(more);
                    return all;
                });
    }

    /** A stream id starts with the epoch milliseconds at which Redis added the entry. */
    private static long enqueuedAt(String id) {
        int dash = id.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Uni<Integer> handleAll(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom()
                .iterable(calls(deliveries))
                .onItem()
                .transformToUni(call -> call.size() == 1 ? handle(call.get(0)) : handleTogether(call))
                .merge(config.concurrency())
                .collect()
                .asList()
                .map(outcomes -> deliveries.size());
    }

    /**
     * The deliveries as LLM calls: new jobs of one session go together, oldest first, up to
     * {@code max-exchanges-per-call} exchanges and {@code max-chars-per-call} characters per call; a reclaimed job
     * (a retry) or a malformed one goes alone, so that a job that keeps failing cannot take others down with it.
     */
    private List<List<Delivery>> calls(List<Delivery> deliveries) {
        List<List<Delivery>> calls = new ArrayList<>();
        Map<List<String>, List<Delivery>> open = new HashMap<>();
        Map<List<String>, Integer> openChars = new HashMap<>();
        for (Delivery delivery : deliveries) {
            ExtractionJob job = delivery.job();
            if (delivery.reclaimed() || !job.isComplete()) {
                calls.add(List.of(delivery));
                continue;
            }
            List<String> session = List.of(job.userId(), job.sessionId());
            List<Delivery> call = open.get(session);
            int chars = openChars.getOrDefault(session, 0) + job.chars();
            if (call == null || call.size() >= config.maxExchangesPerCall() || chars > config.maxCharsPerCall()) {
                call = new ArrayList<>();
                calls.add(call);
                open.put(session, call);
                chars = job.chars();
            }
            call.add(delivery);
            openChars.put(session, chars);
        }
        return calls;
    }

    /**
     * New jobs of one session in one extraction call. They succeed together (acknowledged together once every
     * fact is stored) or fail together: each then stays pending and is retried on its own once reclaimed.
     */
    private Uni<Outcome> handleTogether(List<Delivery> call) {
        List<ExtractionJob> jobs = call.stream().map(Delivery::job).toList();
        return extract(jobs)
                .chain(facts -> remember(jobs.get(0), facts))
                .chain(() -> queue.done(call.stream().map(Delivery::id).toList()))
                .invoke(() -> jobsDone.increment(call.size()))
                .replaceWith(Outcome.DONE)
                .onFailure()
                .recoverWithUni(failure -> Multi.createFrom()
                        .iterable(call)
                        .onItem()
                        .transformToUniAndConcatenate(delivery -> failed(delivery, 1, failure))
                        .collect()
                        .last());
    }

    private Uni<Outcome> handle(Delivery delivery) {
        return attempt(delivery).chain(attempt -> {
            if (attempt == 0) {
                return Uni.createFrom().item(Outcome.GONE); // finished by another consumer meanwhile
            }
            if (attempt > config.maxAttempts()) {
                return giveUp(delivery, attempt - 1, "No result after " + (attempt - 1) + " attempts");
            }
            ExtractionJob job = delivery.job();
            if (!job.isComplete()) {
                return giveUp(delivery, attempt, "Malformed job: it needs userId, sessionId, user and assistant");
            }
            return extract(List.of(job))
                    .chain(facts -> remember(job, facts))
                    .chain(() -> queue.done(List.of(delivery.id())))
                    .invoke(() -> jobsDone.increment())
                    .replaceWith(Outcome.DONE)
                    .onFailure()
                    .recoverWithUni(failure -> failed(delivery, attempt, failure));
        });
    }

    /** A new job is on its first delivery; a reclaimed one has the count the pending list keeps. */
    private Uni<Integer> attempt(Delivery delivery) {
        return delivery.reclaimed()
                ? queue.deliveries(delivery.id())
                : Uni.createFrom().item(1);
    }

    /** The facts of these exchanges of one session, in one LLM call (the extractor fails a reply without a list). */
    private Uni<List<Fact>> extract(List<ExtractionJob> jobs) {
        return extractor.extract(ExtractionJob.transcript(jobs)).map(ExtractedFacts::facts);
    }

    /**
     * Stores the facts one after the other, so two alike facts of one reply are deduped against each other; they
     * belong to the job's user, with its session as their source.
     */
    private Uni<Void> remember(ExtractionJob job, List<Fact> facts) {
        List<Fact> usable = facts.stream()
                .filter(fact ->
                        fact != null && fact.text() != null && !fact.text().isBlank())
                .map(fact -> new Fact(fact.text().strip(), kind(fact.kind())))
                .filter(fact -> fact.text().length() <= longTerm.maxTextChars())
                .toList();
        if (usable.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom()
                .iterable(usable)
                .onItem()
                .transformToUniAndConcatenate(
                        fact -> memories.remember(job.userId(), fact.text(), fact.kind(), null, job.sessionId()))
                .invoke(this::count)
                .collect()
                .last()
                .replaceWithVoid();
    }

    /** The model's kind when it is a valid one, lower-cased; the default kind otherwise. */
    private String kind(String kind) {
        if (kind == null) {
            return longTerm.defaultKind();
        }
        String normalised = kind.strip().toLowerCase(Locale.ROOT);
        return kindPattern.matcher(normalised).matches() ? normalised : longTerm.defaultKind();
    }

    private void count(Remembered remembered) {
        (remembered.created() ? factsStored : factsKnown).increment();
    }

    private Uni<Outcome> failed(Delivery delivery, int attempt, Throwable failure) {
        jobsFailed.increment();
        String error = describe(failure);
        if (attempt >= config.maxAttempts()) {
            return giveUp(delivery, attempt, error);
        }
        LOG.warnf(
                "Extraction job %s failed (attempt %d of %d), retried after %s: %s",
                delivery.id(), attempt, config.maxAttempts(), config.claimIdle(), error);
        return Uni.createFrom().item(Outcome.FAILED);
    }

    private Uni<Outcome> giveUp(Delivery delivery, int attempts, String error) {
        return queue.deadLetter(delivery.id(), attempts, error)
                .map(moved -> {
                    if (moved) {
                        jobsDeadLettered.increment();
                        LOG.errorf(
                                "Extraction job %s moved to %s after %d attempts: %s",
                                delivery.id(), config.deadLetterStream(), attempts, error);
                    }
                    return Outcome.DEAD_LETTERED;
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf(
                            "Extraction job %s stays pending, it could not be dead-lettered: %s",
                            delivery.id(), describe(failure));
                    return Outcome.FAILED;
                });
    }

    /** A loop round that never fails: a failure (Redis unreachable) is logged and waited out, longer each time. */
    private Uni<Integer> round() {
        return processAvailable(consumer, config.block(), config.linger())
                .invoke(() -> backoff = config.outageBackoff())
                .onFailure()
                .recoverWithUni(failure -> {
                    roundsFailed.increment();
                    Duration wait = backoff;
                    Duration doubled = wait.multipliedBy(2);
                    backoff = doubled.compareTo(config.maxOutageBackoff()) > 0 ? config.maxOutageBackoff() : doubled;
                    LOG.warnf("Extraction worker %s: %s; trying again in %s", consumer, describe(failure), wait);
                    return Uni.createFrom()
                            .item(0)
                            .onItem()
                            .delayIt()
                            .by(wait)
                            .onSubscription()
                            .invoke(() -> backingOff = true)
                            .onTermination()
                            .invoke(() -> backingOff = false);
                });
    }

    /** The failure as one line for a log or the dead-letter entry, with the HTTP status of a failed LLM call. */
    private static String describe(Throwable failure) {
        String status = "";
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LlmHttpException http) {
                status = "HTTP " + http.status() + " ";
                break;
            }
        }
        String text = status + failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
    }

    /** Unique per process, readable in {@code XINFO CONSUMERS}: host (the pod name on Kubernetes) and a nonce. */
    private static String consumerName() {
        byte[] nonce = new byte[4];
        new SecureRandom().nextBytes(nonce);
        String host = System.getenv().getOrDefault("HOSTNAME", "replica");
        return host + "-" + HexFormat.of().formatHex(nonce);
    }

    private static Counter jobs(MeterRegistry registry, String outcome) {
        return Counter.builder("memory.extraction.jobs")
                .description("Extraction jobs handled, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    private static Counter facts(MeterRegistry registry, String outcome) {
        return Counter.builder("memory.extraction.facts")
                .description("Facts extracted and remembered: stored as new, or a duplicate of a known memory")
                .tag("outcome", outcome)
                .register(registry);
    }

    private enum Outcome {
        DONE,
        FAILED,
        DEAD_LETTERED,
        GONE
    }

    /** A job as delivered to a consumer; {@code reclaimed} when taken over by {@code XAUTOCLAIM}. */
    private record Delivery(String id, ExtractionJob job, boolean reclaimed) {

        static List<Delivery> all(List<StreamMessage<String, String, String>> messages, boolean reclaimed) {
            return messages.stream()
                    .map(m -> new Delivery(m.id(), ExtractionJob.fromEntry(m.payload()), reclaimed))
                    .toList();
        }
    }
}
