package dev.agentmemory.chat;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.extraction.ExtractionJob;
import dev.agentmemory.extraction.ExtractionQueue;
import dev.agentmemory.llm.LanguageModel;
import dev.agentmemory.longterm.Memory;
import dev.agentmemory.longterm.MemoryService;
import dev.agentmemory.longterm.Recall;
import dev.agentmemory.redis.Pipeline;
import dev.agentmemory.redis.RedisFailures;
import dev.agentmemory.redis.RedisKeys;
import dev.agentmemory.redis.UserErasedException;
import dev.agentmemory.redis.UserGeneration;
import dev.agentmemory.working.Message;
import dev.agentmemory.working.Role;
import dev.agentmemory.working.WorkingMemory;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple5;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One chat turn: load the history and recall memories in one Redis round trip, ask the LLM, then save the
 * exchange and enqueue its fact extraction in one atomic Redis step (the second round trip). The reply never waits for extraction. When the LLM
 * fails, nothing is saved.
 */
@ApplicationScoped
public class ChatService {

    private final ReactiveRedisDataSource redis;
    private final WorkingMemory workingMemory;
    private final MemoryService memories;
    private final LanguageModel llm;
    private final ExtractionQueue queue;
    private final UserGeneration generations;
    private final TurnRecords records;
    private final MemoryConfig config;

    public ChatService(
            ReactiveRedisDataSource redis,
            WorkingMemory workingMemory,
            MemoryService memories,
            LanguageModel llm,
            ExtractionQueue queue,
            UserGeneration generations,
            TurnRecords records,
            MemoryConfig config) {
        this.redis = redis;
        this.workingMemory = workingMemory;
        this.memories = memories;
        this.llm = llm;
        this.queue = queue;
        this.generations = generations;
        this.records = records;
        this.config = config;
    }

    /** A turn answered as a whole. */
    public Uni<ChatReply> chat(String userId, String sessionId, String message) {
        return chat(userId, sessionId, message, null);
    }

    /**
     * A turn answered as a whole, its record ({@link IdempotentChat}) saved with its exchange when {@code receipt}
     * is not null.
     */
    Uni<ChatReply> chat(String userId, String sessionId, String message, TurnReceipt receipt) {
        return prepare(userId, sessionId, message).chain(turn -> llm.complete(turn.prompt())
                .map(reply -> new ChatReply(reply, turn.memories()))
                .call(reply -> save(userId, sessionId, message, reply, turn.generation(), receipt)));
    }

    /**
     * A turn streamed: the recalled memories first, then the reply's text deltas as they arrive, then the whole
     * reply once it is saved. A client that goes away mid-stream cancels the turn: nothing is saved, so the
     * history never holds half an exchange.
     */
    public Multi<ChatEvent> stream(String userId, String sessionId, String message) {
        return stream(userId, sessionId, message, null);
    }

    /** A turn streamed, its record saved with its exchange when {@code receipt} is not null. */
    Multi<ChatEvent> stream(String userId, String sessionId, String message, TurnReceipt receipt) {
        return prepare(userId, sessionId, message).onItem().transformToMulti(turn -> {
            StringBuilder reply = new StringBuilder();
            Multi<ChatEvent> tokens =
                    llm.stream(turn.prompt()).invoke(reply::append).map(ChatEvent::token);
            Multi<ChatEvent> done = Uni.createFrom()
                    .deferred(() -> save(
                                    userId,
                                    sessionId,
                                    message,
                                    new ChatReply(reply.toString(), turn.memories()),
                                    turn.generation(),
                                    receipt)
                            .replaceWith(ChatEvent.done(reply.toString())))
                    .toMulti();
            return Multi.createBy()
                    .concatenating()
                    .streams(Multi.createFrom().item(ChatEvent.memories(turn.memories())), tokens, done);
        });
    }

    /**
     * What a turn would send the LLM for this message, without calling it and without saving anything: for an agent
     * that calls its own LLM (and then appends the exchange). The same preparation as {@link #chat}, so the two never
     * differ.
     *
     * @param sessionId the session whose history goes into the prompt; null for none
     */
    public Uni<MemoryPrompt> prompt(String userId, String sessionId, String message) {
        return prepare(userId, sessionId, message).map(turn -> new MemoryPrompt(turn.prompt(), turn.memories()));
    }

    /**
     * History, recall for the message, the user's preferences and the user's generation: the reads go together in one
     * pipeline (the history, the recall's lexical candidates and vector sync, the preferences, the generation) while
     * the message is embedded, so the turn waits for one Redis round trip, plus at most one for the vector search,
     * before it calls the LLM. A user being forgotten gets no turn (and no LLM call).
     */
    private Uni<TurnContext> prepare(String userId, String sessionId, String message) {
        MemoryConfig.Chat chat = config.chat();
        return memories.index()
                .chain(index -> {
                    Recall.Plan recall = memories.recallPlan(index, userId, message, Set.of(), chat.recallLimit());
                    return recall.run(
                            Pipeline.run(
                                    redis,
                                    workingMemory.historyQuery(userId, sessionId),
                                    recall.lexical(),
                                    recall.vectorSync(),
                                    index.newestQuery(userId, Set.of("preference"), chat.maxPreferences()),
                                    generations.currentQuery(userId)),
                            Tuple5::getItem2,
                            Tuple5::getItem3);
                })
                .onFailure(RedisFailures::isUnavailable)
                .transform(RedisFailures::unavailable)
                .map(context -> {
                    String generation = context.getItem1().getItem5();
                    if (UserGeneration.FORGETTING.equals(generation)) {
                        throw new UserErasedException();
                    }
                    List<Message> history = context.getItem1().getItem1();
                    List<Memory> preferences = context.getItem1().getItem4();
                    List<Memory> recalled = context.getItem2();
                    return new TurnContext(
                            Prompt.build(chat.systemPrompt(), preferences, recalled, history, message),
                            union(preferences, recalled),
                            generation);
                });
    }

    /**
     * Saves the exchange and its extraction job (and the turn's record, for a turn sent with an
     * {@code Idempotency-Key}) in one atomic step (in the user's hash slot), then announces the
     * user to the workers without waiting for it: a lost announcement is found by the queue's sweep. Nothing is saved
     * when the user was forgotten while the turn ran ({@link UserErasedException}).
     */
    private Uni<Void> save(
            String userId, String sessionId, String message, ChatReply reply, String generation, TurnReceipt receipt) {
        ExtractionJob job = new ExtractionJob(userId, sessionId, message, reply.reply(), generation);
        return workingMemory
                .appendWithJob(
                        userId,
                        sessionId,
                        List.of(Message.now(Role.USER, message), Message.now(Role.ASSISTANT, reply.reply())),
                        generation,
                        RedisKeys.jobs(userId),
                        job.toEntry(),
                        receipt == null ? null : records.receipt(receipt, reply))
                .invoke(jobs -> queue.announceLater(userId, jobs))
                .replaceWithVoid();
    }

    private static List<Memory> union(List<Memory> preferences, List<Memory> recalled) {
        Map<String, Memory> all = new LinkedHashMap<>();
        recalled.forEach(m -> all.putIfAbsent(m.id(), m));
        preferences.forEach(m -> all.putIfAbsent(m.id(), m));
        return all.values().stream().collect(Collectors.toUnmodifiableList());
    }
}
