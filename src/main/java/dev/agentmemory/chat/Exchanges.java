package dev.agentmemory.chat;

import dev.agentmemory.extraction.ExtractionJob;
import dev.agentmemory.extraction.ExtractionQueue;
import dev.agentmemory.problem.InvalidInputException;
import dev.agentmemory.redis.Pipeline;
import dev.agentmemory.redis.RedisFailures;
import dev.agentmemory.redis.RedisKeys;
import dev.agentmemory.redis.UserErasedException;
import dev.agentmemory.redis.UserGeneration;
import dev.agentmemory.working.AppendResult;
import dev.agentmemory.working.Message;
import dev.agentmemory.working.Role;
import dev.agentmemory.working.WorkingMemory;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Messages an agent appends to a session after calling its own LLM, and, when it asks, their fact extraction: the
 * messages and their extraction jobs are saved in one atomic step, as a chat turn saves its exchange, so an agent
 * that does not use {@code /chat} gets long-term memory too.
 */
@ApplicationScoped
public class Exchanges {

    private final ReactiveRedisDataSource redis;
    private final WorkingMemory workingMemory;
    private final UserGeneration generations;
    private final ExtractionQueue queue;

    public Exchanges(
            ReactiveRedisDataSource redis,
            WorkingMemory workingMemory,
            UserGeneration generations,
            ExtractionQueue queue) {
        this.redis = redis;
        this.workingMemory = workingMemory;
        this.generations = generations;
        this.queue = queue;
    }

    /**
     * Appends the messages (oldest first); with {@code extract}, queues the extraction of each exchange among them
     * (see {@link #exchanges}), then announces the user to the workers without waiting for it. The jobs carry the
     * user's generation, read first, as a chat turn's do: nothing is written, and no fact is stored later, once the
     * user has been forgotten ({@link UserErasedException}).
     */
    public Uni<AppendResult> append(String userId, String sessionId, List<Message> messages, boolean extract) {
        if (!extract) {
            return workingMemory.append(userId, sessionId, messages);
        }
        List<ExtractionJob> jobs = exchanges(userId, sessionId, messages);
        if (jobs.isEmpty()) {
            return Uni.createFrom()
                    .failure(new InvalidInputException(
                            "messages", "must hold a user message when extract is true: facts come from exchanges"));
        }
        return Pipeline.run(redis, generations.currentQuery(userId))
                .onFailure(RedisFailures::isUnavailable)
                .transform(RedisFailures::unavailable)
                .chain(generation -> {
                    if (UserGeneration.FORGETTING.equals(generation)) {
                        throw new UserErasedException();
                    }
                    List<Map<String, String>> entries = jobs.stream()
                            .map(job -> job.withGeneration(generation).toEntry())
                            .toList();
                    return workingMemory.appendWithJobs(
                            userId, sessionId, messages, generation, RedisKeys.jobs(userId), entries);
                })
                .invoke(appended -> queue.announceLater(userId, appended.jobsWaiting()))
                .map(WorkingMemory.AppendedWithJobs::result);
    }

    /**
     * The exchanges among appended messages: each user message starts one, and the assistant messages right after it
     * are its answer (none: an empty answer). System messages, and assistant messages before the first user message,
     * belong to no exchange.
     */
    static List<ExtractionJob> exchanges(String userId, String sessionId, List<Message> messages) {
        List<ExtractionJob> exchanges = new ArrayList<>();
        String user = null;
        StringBuilder answer = new StringBuilder();
        for (Message message : messages) {
            if (message.role() == Role.USER) {
                if (user != null) {
                    exchanges.add(new ExtractionJob(userId, sessionId, user, answer.toString()));
                }
                user = message.content();
                answer.setLength(0);
            } else if (message.role() == Role.ASSISTANT && user != null) {
                answer.append(answer.length() == 0 ? "" : "\n\n").append(message.content());
            }
        }
        if (user != null) {
            exchanges.add(new ExtractionJob(userId, sessionId, user, answer.toString()));
        }
        return exchanges;
    }
}
