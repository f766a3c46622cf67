package dev.agentmemory.extraction;

import dev.agentmemory.redis.Pipeline;
import dev.agentmemory.redis.RedisKeys;
import dev.agentmemory.redis.UserGeneration;
import dev.agentmemory.working.Message;
import dev.agentmemory.working.Role;
import dev.agentmemory.working.WorkingMemory;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Extraction jobs for tests: saved as a chat turn saves them, and the queue's keys as Redis holds them. */
@ApplicationScoped
public class Jobs {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final WorkingMemory workingMemory;
    private final ExtractionQueue queue;
    private final RedisDataSource redis;
    private final ReactiveRedisDataSource reactive;
    private final UserGeneration generations;

    public Jobs(
            WorkingMemory workingMemory,
            ExtractionQueue queue,
            RedisDataSource redis,
            ReactiveRedisDataSource reactive,
            UserGeneration generations) {
        this.workingMemory = workingMemory;
        this.queue = queue;
        this.redis = redis;
        this.reactive = reactive;
        this.generations = generations;
    }

    /** Saves an exchange with its job and announces the user, ready at once; answers the job's id. */
    public String save(String user, String session, String message) {
        return save(user, session, message, Duration.ZERO);
    }

    /** As {@link #save(String, String, String)}, the user ready after {@code linger}. */
    public String save(String user, String session, String message, Duration linger) {
        String id = saveWithoutAnnouncement(user, session, message);
        long waiting = redis.stream(String.class).xlen(RedisKeys.jobs(user));
        queue.announce(user, waiting, linger).await().atMost(WAIT);
        return id;
    }

    /**
     * Saves an exchange with its job, as a chat turn does (with the user's generation, read first), and stops there
     * (as a service that died then).
     */
    public String saveWithoutAnnouncement(String user, String session, String message) {
        String generation =
                Pipeline.run(reactive, generations.currentQuery(user)).await().atMost(WAIT);
        ExtractionJob job = new ExtractionJob(user, session, message, "Noted.", generation);
        workingMemory
                .appendWithJob(
                        user,
                        session,
                        List.of(Message.now(Role.USER, message), Message.now(Role.ASSISTANT, "Noted.")),
                        generation,
                        RedisKeys.jobs(user),
                        job.toEntry(),
                        null)
                .await()
                .atMost(WAIT);
        return redis.stream(String.class)
                .xrevrange(RedisKeys.jobs(user), StreamRange.of("+", "-"), 1)
                .get(0)
                .id();
    }

    /** The users in the ready set. */
    public List<String> ready() {
        return redis.sortedSet(String.class).zrange(queue.sharedKey("ready"), 0, -1);
    }

    /**
     * What the queue holds for the user: its job stream and attempts if they exist, and its entries in the shared
     * hashes; empty once all its jobs are done and it has been released.
     */
    public List<String> keysOf(String user) {
        List<String> held = new ArrayList<>();
        for (String key : List.of(RedisKeys.jobs(user), RedisKeys.jobAttempts(user))) {
            if (redis.key().exists(key)) {
                held.add(key);
            }
        }
        for (String part : List.of("version", "holder", "backlog")) {
            if (redis.hash(String.class).hexists(queue.sharedKey(part), user)) {
                held.add(queue.sharedKey(part) + " " + user);
            }
        }
        if (ready().contains(user)) {
            held.add(queue.sharedKey("ready") + " " + user);
        }
        return held;
    }

    /** Empties the queue's shared keys (the tests of one profile share a server). */
    public void clearQueue() {
        redis.key()
                .del(
                        queue.sharedKey("ready"),
                        queue.sharedKey("version"),
                        queue.sharedKey("holder"),
                        queue.sharedKey("backlog"),
                        queue.sharedKey("dead-letters"),
                        queue.sharedKey("sweep"));
    }
}
