package dev.agentmemory.extraction;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.extraction.ExtractionQueue.Claim;
import dev.agentmemory.extraction.ExtractionQueue.Delivery;
import dev.agentmemory.llm.ExtractedFacts;
import dev.agentmemory.llm.FactExtraction;
import dev.agentmemory.llm.LlmHttpException;
import dev.agentmemory.redis.RedisFailures;
import dev.agentmemory.redis.UserErasedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * One round of a worker: claims up to {@code concurrency} ready users, takes up to {@code batch-size} jobs of each,
 * extracts their facts ({@code concurrency} LLM calls in flight) and stores them, then releases the users.
 *
 * <p>New jobs of one session share one call ({@code max-exchanges-per-call}, {@code max-chars-per-call}); a job on
 * a second attempt or later goes alone, so that a job that keeps failing cannot take others down with it. A job
 * is deleted only once all its facts are stored; a failure leaves it in the user's stream, and the user is taken
 * again after {@code claim-idle} (after {@code outage-backoff} when Redis failed). The attempt that reaches
 * {@code max-attempts} moves the job to the user's dead letters with its error. Jobs are delivered at least once:
 * remembering dedupes, so a job that runs twice stores nothing new.
 */
@ApplicationScoped
public class ExtractionRound {

    private static final Logger LOG = Logger.getLogger(ExtractionRound.class);

    /** Error text kept in the dead-letter entry: enough to diagnose, without a whole HTTP body. */
    private static final int MAX_ERROR_CHARS = 1000;

    private final ExtractionQueue queue;
    private final FactExtraction extractor;
    private final FactMemories facts;
    private final MemoryConfig.Extraction config;
    private final Counter jobsDone;
    private final Counter jobsFailed;
    private final Counter jobsDeadLettered;

    public ExtractionRound(
            ExtractionQueue queue,
            FactExtraction extractor,
            FactMemories facts,
            MemoryConfig config,
            MeterRegistry registry) {
        this.queue = queue;
        this.extractor = extractor;
        this.facts = facts;
        this.config = config.extraction();
        this.jobsDone = jobs(registry, "done");
        this.jobsFailed = jobs(registry, "failed");
        this.jobsDeadLettered = jobs(registry, "dead_lettered");
    }

    /**
     * Runs one round. Fails only when the users cannot be claimed (Redis); a failure with one user's jobs is that
     * user's retry.
     */
    public Uni<Outcome> run() {
        return queue.claim(config.concurrency()).chain(claims -> {
            if (claims.isEmpty()) {
                return Uni.createFrom().item(Outcome.IDLE);
            }
            return Multi.createFrom()
                    .iterable(claims)
                    .onItem()
                    .transformToUniAndMerge(this::take)
                    .collect()
                    .asList()
                    .chain(users -> extractAll(users).replaceWith(users))
                    .chain(this::releaseAll);
        });
    }

    private Uni<UserRound> take(Claim claim) {
        UserRound user = new UserRound(claim);
        return queue.take(claim.userId(), config.batchSize())
                .map(taken -> {
                    user.taken(taken.jobsInStream(), taken.jobs());
                    return user;
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    user.failed(failure);
                    return user;
                });
    }

    private Uni<Void> extractAll(List<UserRound> users) {
        List<Call> calls = new ArrayList<>();
        users.forEach(user -> calls.addAll(calls(user)));
        if (calls.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom()
                .iterable(calls)
                .onItem()
                .transformToUni(this::handle)
                .merge(config.concurrency())
                .collect()
                .last()
                .replaceWithVoid();
    }

    /**
     * The user's jobs as LLM calls: new jobs of one session go together, oldest first, up to
     * {@code max-exchanges-per-call} exchanges and {@code max-chars-per-call} characters per call; a retried, an
     * exhausted or a malformed job goes alone.
     */
    private List<Call> calls(UserRound user) {
        List<Call> calls = new ArrayList<>();
        Map<String, List<Delivery>> open = new HashMap<>();
        Map<String, Integer> openChars = new HashMap<>();
        for (Delivery delivery : user.jobs) {
            ExtractionJob job = delivery.job();
            if (delivery.attempt() > 1 || !job.isComplete()) {
                calls.add(new Call(user, List.of(delivery)));
                continue;
            }
            List<Delivery> call = open.get(job.sessionId());
            int chars = openChars.getOrDefault(job.sessionId(), 0) + job.chars();
            if (call == null || call.size() >= config.maxExchangesPerCall() || chars > config.maxCharsPerCall()) {
                call = new ArrayList<>();
                calls.add(new Call(user, call));
                open.put(job.sessionId(), call);
                chars = job.chars();
            }
            call.add(delivery);
            openChars.put(job.sessionId(), chars);
        }
        return calls;
    }

    /**
     * One extraction call. Its jobs succeed together (deleted together once every fact is stored) or fail together:
     * each then stays in the stream and is retried on its own.
     */
    private Uni<Void> handle(Call call) {
        UserRound user = call.user();
        if (call.jobs().size() == 1) {
            Delivery only = call.jobs().get(0);
            if (only.attempt() > config.maxAttempts()) {
                // Taken more often than allowed without an outcome: its workers died while it ran.
                return giveUp(user, only, "No result after " + (only.attempt() - 1) + " attempts");
            }
            if (!only.job().isComplete()) {
                return giveUp(user, only, "Malformed job: it needs userId, sessionId, user and assistant");
            }
        }
        List<ExtractionJob> jobs = call.jobs().stream().map(Delivery::job).toList();
        return extractor
                .extract(ExtractionJob.transcript(jobs))
                .map(ExtractedFacts::facts)
                .chain(found -> facts.remember(jobs.get(0), found))
                // The user was forgotten after these jobs were saved: they are done, with nothing to store.
                .onFailure(UserErasedException.class)
                .recoverWithNull()
                .chain(() -> queue.done(
                        user.userId(), call.jobs().stream().map(Delivery::id).toList()))
                .invoke(left -> {
                    user.left(left);
                    jobsDone.increment(call.jobs().size());
                })
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(failure -> failed(call, failure));
    }

    private Uni<Void> failed(Call call, Throwable failure) {
        String error = describe(failure);
        return Multi.createFrom()
                .iterable(call.jobs())
                .onItem()
                .transformToUniAndConcatenate(delivery -> {
                    jobsFailed.increment();
                    if (delivery.attempt() >= config.maxAttempts()) {
                        return giveUp(call.user(), delivery, error);
                    }
                    call.user().failed(failure);
                    LOG.warnf(
                            "Extraction job %s of user %s failed (attempt %d of %d), retried after %s: %s",
                            delivery.id(),
                            call.user().userId(),
                            delivery.attempt(),
                            config.maxAttempts(),
                            retryAfter(failure),
                            error);
                    return Uni.createFrom().voidItem();
                })
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> giveUp(UserRound user, Delivery delivery, String error) {
        int attempts = Math.min(delivery.attempt(), config.maxAttempts());
        return queue.deadLetter(user.userId(), delivery.id(), attempts, error)
                .invoke(left -> {
                    if (left != null) {
                        user.left(left);
                        jobsDeadLettered.increment();
                        LOG.errorf(
                                "Extraction job %s of user %s moved to the dead letters after %d attempts: %s",
                                delivery.id(), user.userId(), attempts, error);
                    }
                })
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(failure -> {
                    user.failed(failure);
                    LOG.warnf(
                            "Extraction job %s stays in the queue, it could not be dead-lettered: %s",
                            delivery.id(), describe(failure));
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Outcome> releaseAll(List<UserRound> users) {
        return Multi.createFrom()
                .iterable(users)
                .onItem()
                .transformToUniAndMerge(user -> queue.release(
                                user.claim,
                                user.left.get(),
                                user.failure.get() == null ? null : retryAfter(user.failure.get()))
                        .replaceWith(true)
                        .onFailure()
                        .recoverWithItem(failure -> {
                            // The lease runs out by itself: another worker takes the user then.
                            LOG.warnf("Could not release extraction user %s: %s", user.userId(), describe(failure));
                            user.failed(failure);
                            return false;
                        }))
                .collect()
                .asList()
                .map(released -> new Outcome(
                        users.stream().mapToInt(user -> user.jobs.size()).sum(),
                        users.stream().anyMatch(UserRound::storeFailed)));
    }

    /** A failing Redis is retried soon (a restart, a failover); anything else after {@code claim-idle}. */
    private Duration retryAfter(Throwable failure) {
        return RedisFailures.isUnavailable(failure) ? config.outageBackoff() : config.claimIdle();
    }

    /** The failure as one line for a log or the dead-letter entry, with the HTTP status of a failed LLM call. */
    static String describe(Throwable failure) {
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

    private static Counter jobs(MeterRegistry registry, String outcome) {
        return Counter.builder("memory.extraction.jobs")
                .description("Extraction jobs handled, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    /**
     * What a round did.
     *
     * @param jobs jobs handled, whatever their outcome
     * @param storeFailed whether a Redis call failed during the round (announcements may have been lost with it)
     */
    public record Outcome(int jobs, boolean storeFailed) {
        static final Outcome IDLE = new Outcome(0, false);
    }

    /** One claimed user during a round: its jobs, the jobs its stream still holds, its first failure. */
    private static final class UserRound {
        private final Claim claim;
        private List<Delivery> jobs = List.of();
        /** The smallest count seen: with no new announcement the stream only shrinks during the round. */
        private final AtomicLong left = new AtomicLong(1);

        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        UserRound(Claim claim) {
            this.claim = claim;
        }

        String userId() {
            return claim.userId();
        }

        void taken(long inStream, List<Delivery> taken) {
            left.set(inStream);
            jobs = taken;
        }

        void left(long inStream) {
            left.accumulateAndGet(inStream, Math::min);
        }

        void failed(Throwable cause) {
            failure.compareAndSet(null, cause);
        }

        boolean storeFailed() {
            Throwable cause = failure.get();
            return cause != null && RedisFailures.isUnavailable(cause);
        }
    }

    private record Call(UserRound user, List<Delivery> jobs) {}
}
