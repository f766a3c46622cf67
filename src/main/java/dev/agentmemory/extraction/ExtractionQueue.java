package dev.agentmemory.extraction;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.redis.LuaScript;
import dev.agentmemory.redis.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The extraction jobs in Redis. Each user's jobs are a stream in the user's own hash slot ({@code jobs:{user}}),
 * written by the chat turn in the step that saves the exchange, so the queue works unchanged on Redis Cluster.
 * Workers find users with jobs through a shared ready set ({@code {queue}:ready}, under the queue's own hash tag):
 * the turn announces the user right after its save, a worker claims ready users (holding each for a lease), takes
 * their jobs, and releases them. Every step that must be atomic is one script on one slot; see the scripts'
 * headers for their contracts, and {@link QueueSweep} for announcements that were lost.
 */
@ApplicationScoped
public class ExtractionQueue {

    private static final Logger LOG = Logger.getLogger(ExtractionQueue.class);

    private static final LuaScript ANNOUNCE = LuaScript.load("extraction-announce");
    private static final LuaScript CLAIM = LuaScript.load("extraction-claim");
    private static final LuaScript TAKE = LuaScript.load("extraction-take");
    private static final LuaScript DONE = LuaScript.load("extraction-done");
    private static final LuaScript DEAD_LETTER = LuaScript.load("extraction-dead-letter");
    private static final LuaScript RELEASE = LuaScript.load("extraction-release");
    private static final LuaScript STATS = LuaScript.load("extraction-stats");

    private final ReactiveRedisDataSource redis;
    private final MemoryConfig.Extraction config;
    private final String ready;
    private final String version;
    private final String holder;
    private final String seq;
    private final String backlog;
    private final String deadLetters;

    public ExtractionQueue(ReactiveRedisDataSource redis, MemoryConfig config) {
        this.redis = redis;
        this.config = config.extraction();
        String queue = this.config.queue();
        this.ready = RedisKeys.queue(queue, "ready");
        this.version = RedisKeys.queue(queue, "version");
        this.holder = RedisKeys.queue(queue, "holder");
        this.seq = RedisKeys.queue(queue, "seq");
        this.backlog = RedisKeys.queue(queue, "backlog");
        this.deadLetters = RedisKeys.queue(queue, "dead-letters");
    }

    /** A key of the queue's shared state, e.g. {@code ready}: for the sweep's lease and for tests. */
    public String sharedKey(String part) {
        return RedisKeys.queue(config.queue(), part);
    }

    /**
     * Tells the workers that the user has jobs, {@code linger} from now at the earliest (a user already announced
     * keeps its turn). Must come after the jobs are saved: see {@code extraction-release.lua} for why.
     *
     * @param jobs jobs waiting in the user's stream, for the backlog metric
     */
    public Uni<Void> announce(String userId, long jobs) {
        return announce(userId, jobs, config.linger());
    }

    /** {@link #announce(String, long)} with another delay than {@code linger}. */
    public Uni<Void> announce(String userId, long jobs, Duration delay) {
        return ANNOUNCE.run(redis, sharedKeys(), List.of(millis(delay), userId, Long.toString(jobs)))
                .replaceWithVoid();
    }

    /**
     * {@link #announce} in the background: the caller does not wait for it (a chat turn's reply should not wait
     * on a second Redis node), and a failure is only logged: the sweep finds the jobs.
     */
    public void announceLater(String userId, long jobs) {
        announce(userId, jobs)
                .subscribe()
                .with(
                        done -> {},
                        failure -> LOG.warnf(
                                "Extraction jobs of user %s not announced (%s); the queue's sweep will find them",
                                userId, failure.getMessage()));
    }

    /** Announces users found with jobs (the sweep), ready at once; their number of jobs is not known. */
    public Uni<Integer> announceFound(Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<String> args = new ArrayList<>(1 + 2 * userIds.size());
        args.add("0");
        userIds.forEach(user -> {
            args.add(user);
            args.add("");
        });
        return ANNOUNCE.run(redis, sharedKeys(), args).map(Response::toInteger);
    }

    /** Claims up to {@code count} ready users for one worker, each for {@code claim-idle}. */
    public Uni<List<Claim>> claim(int count) {
        return CLAIM.run(
                        redis,
                        List.of(ready, version, holder, seq),
                        List.of(Integer.toString(count), millis(config.claimIdle())))
                .map(reply -> {
                    List<Claim> claims = new ArrayList<>(reply.size() / 3);
                    for (int i = 0; i + 2 < reply.size(); i += 3) {
                        claims.add(new Claim(
                                reply.get(i).toString(),
                                reply.get(i + 1).toString(),
                                reply.get(i + 2).toString()));
                    }
                    return claims;
                });
    }

    /** The user's oldest jobs, up to {@code count}, each with its attempt (counted now). */
    public Uni<Taken> take(String userId, int count) {
        return TAKE.run(
                        redis,
                        List.of(RedisKeys.jobs(userId), RedisKeys.jobAttempts(userId)),
                        List.of(Integer.toString(count)))
                .map(reply -> {
                    List<Delivery> jobs = new ArrayList<>(reply.size() / 3);
                    for (int i = 1; i + 2 < reply.size(); i += 3) {
                        jobs.add(new Delivery(
                                reply.get(i).toString(),
                                ExtractionJob.fromEntry(fields(reply.get(i + 2))),
                                reply.get(i + 1).toInteger()));
                    }
                    return new Taken(reply.get(0).toLong(), jobs);
                });
    }

    /** The jobs are done: deleted with their attempt counts, in one step. Answers the jobs left to the user. */
    public Uni<Long> done(String userId, List<String> ids) {
        return DONE.run(redis, List.of(RedisKeys.jobs(userId), RedisKeys.jobAttempts(userId)), ids)
                .map(Response::toLong);
    }

    /**
     * Gives up on a job: moves it, with its last error, to the user's dead letters (see
     * {@code extraction-dead-letter.lua}). Answers the jobs left to the user, or null when the job was no longer
     * there.
     */
    public Uni<Long> deadLetter(String userId, String id, int attempts, String error) {
        return DEAD_LETTER
                .run(
                        redis,
                        List.of(RedisKeys.jobs(userId), RedisKeys.jobAttempts(userId), RedisKeys.deadJobs(userId)),
                        List.of(id, Integer.toString(attempts), error, Integer.toString(config.deadLetterCap())))
                .chain(reply -> {
                    if (reply == null) {
                        return Uni.createFrom().nullItem();
                    }
                    long left = reply.get(1).toLong();
                    long added = reply.get(0).toLong();
                    if (added == 0) {
                        return Uni.createFrom().item(left);
                    }
                    // The dead-letter count for the metric, in the shared slot: not atomic with the move (a
                    // crash in between is corrected by the next sweep).
                    return redis.value(Long.class).incrby(deadLetters, added).replaceWith(left);
                });
    }

    /**
     * Releases a claimed user after its round: taken again after {@code retryAfter} when something failed (null:
     * nothing did), at once when jobs are left, else removed from the ready set unless it was announced meanwhile.
     */
    public Uni<Void> release(Claim claim, long jobsLeft, Duration retryAfter) {
        return RELEASE.run(
                        redis,
                        List.of(ready, version, holder, backlog),
                        List.of(
                                claim.userId(),
                                claim.token(),
                                claim.version(),
                                Long.toString(jobsLeft),
                                retryAfter == null ? "0" : millis(retryAfter),
                                millis(config.linger())))
                .replaceWithVoid();
    }

    /** The queue's figures: users and jobs waiting, how overdue the most overdue user is, dead letters held. */
    public Uni<QueueStats> stats() {
        return STATS.run(redis, List.of(ready, backlog, deadLetters), List.of()).map(reply -> {
            Response oldest = reply.get(2);
            return new QueueStats(
                    reply.get(0).toLong(),
                    reply.get(1).toLong(),
                    oldest == null ? null : Long.parseLong(oldest.toString()),
                    reply.get(3).toLong());
        });
    }

    /** Sets the dead-letter count, as a complete sweep counted it. */
    public Uni<Void> countedDeadLetters(long held) {
        return redis.value(Long.class).set(deadLetters, held);
    }

    private List<String> sharedKeys() {
        return List.of(ready, version, seq, backlog);
    }

    private static Map<String, String> fields(Response pairs) {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            fields.put(pairs.get(i).toString(), pairs.get(i + 1).toString());
        }
        return fields;
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }

    /**
     * A user held by one worker: the version of its announcement when claimed, and the token of this claim.
     */
    public record Claim(String userId, String version, String token) {}

    /** Jobs taken from a user's stream, and how many the stream held. */
    public record Taken(long jobsInStream, List<Delivery> jobs) {}

    /** A job as taken by a worker: its stream id, its fields, and which attempt this is (1 the first time). */
    public record Delivery(String id, ExtractionJob job, int attempt) {}

    /**
     * The queue's figures.
     *
     * @param usersWaiting users in the ready set (held by a worker included)
     * @param jobsWaiting jobs waiting, as last seen by an announcement or a release
     * @param firstReadyAt epoch ms from which the first user of the ready set may be taken, or null when none
     * @param deadLetters dead-lettered jobs held
     */
    public record QueueStats(long usersWaiting, long jobsWaiting, Long firstReadyAt, long deadLetters) {}
}
