package dev.agentmemory.extraction;

import static dev.agentmemory.testing.Memories.recallTexts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.redis.dev.EmbeddedRedis;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import dev.agentmemory.testing.RedisTestResource;
import dev.agentmemory.working.Message;
import dev.agentmemory.working.Role;
import dev.agentmemory.working.WorkingMemory;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.PendingMessage;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The extraction worker against a real Redis and the stub LLM: jobs wait for a worker, a job processed twice
 * stores its facts once, failures are retried and end in the dead-letter stream, and the loop outlives Redis.
 */
@QuarkusTest
@TestProfile(ManualWorkerProfile.class)
class ExtractionWorkerTest {

    @Inject
    ExtractionWorker worker;

    @Inject
    ExtractionQueue queue;

    @Inject
    RedisDataSource redis;

    @Inject
    MemoryConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    WorkingMemory workingMemory;

    OpenAiStub llm;
    StreamCommands<String, String, String> streams;

    @BeforeEach
    void emptyQueue() {
        llm = OpenAiStubResource.stub();
        llm.reset();
        streams = redis.stream(String.class);
        redis.key().del(stream(), deadLetters());
        queue.ensureGroup().await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void jobEnqueuedWhileNoWorkerRunsIsProcessedWhenOneStarts() {
        String user = newUser();
        llm.replyToExtraction("User is vegetarian", "preference", "User lives in Lisbon", "fact");
        // As a chat turn does: the exchange saved and its job enqueued in one step.
        ExtractionJob job = new ExtractionJob(user, "s1", "I'm a vegetarian living in Lisbon.", "Noted.");
        workingMemory
                .append(
                        user,
                        "s1",
                        List.of(
                                Message.now(Role.USER, job.userMessage()),
                                Message.now(Role.ASSISTANT, job.assistantMessage())),
                        stream(),
                        job.toEntry())
                .await()
                .atMost(Duration.ofSeconds(5));
        assertThat(pending()).isEmpty();
        assertThat(streams.xlen(stream())).isEqualTo(1);

        worker.start();
        try {
            poll().untilAsserted(() -> assertThat(recallTexts(user, null))
                    .containsExactlyInAnyOrder("User is vegetarian", "User lives in Lisbon"));
            poll().untilAsserted(() -> assertThat(streams.xlen(stream())).isZero());
        } finally {
            worker.stop();
        }
        assertThat(pending()).isEmpty();
        assertThat(streams.xrange(deadLetters(), StreamRange.of("-", "+"))).isEmpty();
        assertThat(llm.extractionRequests()).hasSize(1);
    }

    @Test
    void jobReclaimedWhileStillRunningStoresItsFactsOnce() throws Exception {
        String user = newUser();
        llm.delayExtraction(500, "User plays the cello", "fact", "User loves spicy food", "preference");
        String id = enqueue(user, "I play the cello and I love spicy food.");

        // Consumer a takes the job and waits on the slow LLM; once the job has been idle for claim-idle,
        // consumer b takes it over, as it would from a crashed replica. Both finish it.
        CompletableFuture<Integer> first = worker.processAvailable("worker-a").subscribeAsCompletionStage();
        poll().until(() -> pending().stream()
                .anyMatch(p -> p.getMessageId().equals(id)
                        && p.getDurationSinceLastDelivery().toMillis() > 150));
        int second = worker.processAvailable("worker-b").await().atMost(Duration.ofSeconds(10));

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(second).isEqualTo(1);
        assertThat(llm.extractionRequests()).hasSize(2); // the job really ran twice
        assertThat(recallTexts(user, null)).containsExactlyInAnyOrder("User plays the cello", "User loves spicy food");
        assertThat(streams.xlen(stream())).isZero();
        assertThat(pending()).isEmpty();
    }

    @Test
    void sameExchangeProcessedAgainByAnotherWorkerStoresNothingNew() {
        String user = newUser();
        llm.replyToExtraction("User has two cats", "fact");
        enqueue(user, "I have two cats.");
        assertThat(process("worker-a")).isEqualTo(1);
        enqueue(user, "I have two cats.");
        assertThat(process("worker-b")).isEqualTo(1);

        assertThat(recallTexts(user, null)).containsExactly("User has two cats");
        assertThat(streams.xlen(stream())).isZero();
    }

    @Test
    void waitingExchangesOfOneSessionShareOneCall() {
        String alice = newUser();
        String bob = newUser();
        llm.replyToExtraction("User keeps bees", "fact");
        enqueue(alice, "s1", "I keep bees.");
        enqueue(bob, "s1", "Bob's secret message.");
        enqueue(alice, "s1", "Two hives, actually.");
        enqueue(alice, "s2", "Another session of mine.");
        enqueue(alice, "s1", "They make honey in June.");

        assertThat(process("worker-a")).isEqualTo(5);

        // One call per session: alice's three s1 exchanges together, oldest first; her s2 and bob's apart.
        List<String> requests = llm.extractionRequests().stream()
                .map(request -> request.getBodyAsString())
                .toList();
        assertThat(requests).hasSize(3);
        assertThat(requests)
                .filteredOn(body -> body.contains("I keep bees."))
                .singleElement()
                .satisfies(body -> assertThat(body)
                        .containsSubsequence(
                                "Exchange 1 of 3", "I keep bees.",
                                "Exchange 2 of 3", "Two hives, actually.",
                                "Exchange 3 of 3", "They make honey in June.")
                        .doesNotContain("Another session of mine.")
                        .doesNotContain("Bob's secret message."));
        assertThat(requests)
                .filteredOn(body -> body.contains("Bob's secret message."))
                .singleElement()
                .satisfies(body -> assertThat(body).doesNotContain("bees").doesNotContain("Exchange 1"));
        assertThat(recallTexts(alice, null)).containsExactly("User keeps bees");
        assertThat(recallTexts(bob, null)).containsExactly("User keeps bees");
        assertThat(streams.xlen(stream())).isZero();
        assertThat(pending()).isEmpty();
    }

    @Test
    void exchangeArrivingWithinTheLingerJoinsTheCall() throws Exception {
        String user = newUser();
        llm.replyToExtraction("User grows tomatoes", "fact");
        enqueue(user, "s1", "I grow tomatoes.");

        CompletableFuture<Integer> round = worker.processAvailable("worker-a", null, Duration.ofMillis(600))
                .subscribeAsCompletionStage();
        Thread.sleep(100);
        enqueue(user, "s1", "Cherry ones, on the balcony.");

        assertThat(round.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(llm.extractionRequests()).singleElement().satisfies(request -> assertThat(request.getBodyAsString())
                .containsSubsequence("I grow tomatoes.", "Cherry ones, on the balcony."));
        assertThat(streams.xlen(stream())).isZero();
    }

    @Test
    void exchangesOfAFailedSharedCallAreRetriedEachOnItsOwn() {
        String user = newUser();
        llm.replyToExtractionRaw("not json");
        String first = enqueue(user, "s1", "I live in Oslo.");
        String second = enqueue(user, "s1", "I work as a pilot.");

        assertThat(process("worker-a")).isEqualTo(2);
        assertThat(llm.extractionRequests()).hasSize(1);
        assertThat(pending()).extracting(PendingMessage::getMessageId).containsExactlyInAnyOrder(first, second);

        // Reclaimed after claim-idle, each job is a retry and gets a call of its own.
        llm.reset();
        llm.replyToExtraction("User lives in Oslo", "fact");
        poll().until(() -> process("worker-a") == 2);
        assertThat(llm.extractionRequests()).hasSize(2).allSatisfy(request -> assertThat(request.getBodyAsString())
                .doesNotContain("Exchange 1"));
        assertThat(recallTexts(user, null)).containsExactly("User lives in Oslo");
        assertThat(pending()).isEmpty();
    }

    @Test
    void jobFailingMaxAttemptsTimesIsDeadLettered() {
        String user = newUser();
        llm.failExtraction(500);
        String id = enqueue(user, "I run marathons.");

        poll().until(() -> {
            process("worker-a");
            return streams.xlen(deadLetters()) > 0;
        });

        List<StreamMessage<String, String, String>> dead = streams.xrange(deadLetters(), StreamRange.of("-", "+"));
        assertThat(dead).singleElement().satisfies(entry -> assertThat(entry.payload())
                .containsEntry("userId", user)
                .containsEntry("sessionId", "s1")
                .containsEntry("user", "I run marathons.")
                .containsEntry("assistant", "Noted.")
                .containsEntry("jobId", id)
                .containsEntry("attempts", "3")
                .hasEntrySatisfying("error", error -> assertThat(error).startsWith("HTTP 500 ")));
        // 3 attempts of one request each: retries go through the queue only.
        assertThat(llm.extractionRequests()).hasSize(3);
        assertThat(streams.xlen(stream())).isZero();
        assertThat(pending()).isEmpty();
        assertThat(recallTexts(user, null)).isEmpty();
    }

    @Test
    void unparseableReplyIsAFailedAttemptNotZeroFacts() {
        String user = newUser();
        llm.replyToExtractionRaw("not json");
        String id = enqueue(user, "I live in Oslo.");

        assertThat(process("worker-a")).isEqualTo(1);

        // Still to do: pending after one delivery, nothing stored.
        assertThat(pending())
                .singleElement()
                .satisfies(p -> assertThat(p.getMessageId()).isEqualTo(id))
                .satisfies(p -> assertThat(p.getDeliveryCount()).isEqualTo(1));
        assertThat(recallTexts(user, null)).isEmpty();

        // A reply with no facts list is no better than prose.
        llm.reset();
        llm.replyToExtractionRaw("{\"items\":[]}");
        poll().until(() -> process("worker-a") == 1);
        assertThat(pending()).singleElement().satisfies(p -> assertThat(p.getDeliveryCount())
                .isEqualTo(2));

        assertThat(llm.extractionRequests()).hasSize(1); // one call per attempt: a bad reply is not retried at once

        // The next attempt gets a proper reply and remembers.
        llm.reset();
        llm.replyToExtraction("User lives in Oslo", "fact");
        poll().until(() -> process("worker-a") == 1);
        assertThat(recallTexts(user, null)).containsExactly("User lives in Oslo");
        assertThat(pending()).isEmpty();
        assertThat(streams.xlen(deadLetters())).isZero();
    }

    @Test
    void workerOutlivesARedisRestart() {
        assumeTrue(
                RedisTestResource.embedded().isPresent(),
                "Skipped: REDIS_URL points at an external server this test cannot stop");
        EmbeddedRedis server = RedisTestResource.embedded().orElseThrow();
        String user = newUser();
        llm.replyToExtraction("User speaks Finnish", "fact");

        worker.start();
        try {
            double errorsBefore = workerErrors();
            server.stop();
            try {
                // The loop fails while Redis is down, waits and tries again (and again).
                poll().until(() -> workerErrors() >= errorsBefore + 2);
            } finally {
                server.restart();
            }
            // The restarted server is empty: the worker must create its group again before it can read.
            poll().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                if (streams.xlen(stream()) == 0) {
                    enqueue(user, "I speak Finnish.");
                }
                assertThat(recallTexts(user, null)).containsExactly("User speaks Finnish");
            });
        } finally {
            worker.stop();
        }
    }

    private String enqueue(String user, String message) {
        return enqueue(user, "s1", message);
    }

    private String enqueue(String user, String session, String message) {
        return streams.xadd(stream(), new ExtractionJob(user, session, message, "Noted.").toEntry());
    }

    private int process(String consumer) {
        return worker.processAvailable(consumer).await().atMost(Duration.ofSeconds(10));
    }

    private List<PendingMessage> pending() {
        return streams.xpending(stream(), config.extraction().group(), StreamRange.of("-", "+"), 100);
    }

    private double workerErrors() {
        return registry.counter("memory.extraction.worker.errors").count();
    }

    private String stream() {
        return config.extraction().stream();
    }

    private String deadLetters() {
        return config.extraction().deadLetterStream();
    }

    private static String newUser() {
        return "x-" + UUID.randomUUID();
    }

    private static ConditionFactory poll() {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50));
    }
}
