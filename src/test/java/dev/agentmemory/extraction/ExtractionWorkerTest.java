package dev.agentmemory.extraction;

import static dev.agentmemory.testing.Memories.recallTexts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentmemory.extraction.ExtractionQueue.Claim;
import dev.agentmemory.redis.RedisKeys;
import dev.agentmemory.redis.dev.EmbeddedRedis;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import dev.agentmemory.testing.RedisTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The extraction worker against a real Redis and the stub LLM: jobs wait for a worker, a job processed twice
 * stores its facts once, failures are retried and end in the dead letters, no announcement is lost to a race or a
 * crash, and the loop outlives Redis.
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
    MeterRegistry registry;

    @Inject
    Jobs jobs;

    @Inject
    QueueMonitor monitor;

    OpenAiStub llm;
    StreamCommands<String, String, String> streams;

    @BeforeEach
    void emptyQueue() {
        llm = OpenAiStubResource.stub();
        llm.reset();
        streams = redis.stream(String.class);
        jobs.clearQueue();
    }

    @Test
    void jobEnqueuedWhileNoWorkerRunsIsProcessedWhenOneStarts() {
        String user = newUser();
        llm.replyToExtraction("User is vegetarian", "preference", "User lives in Lisbon", "fact");
        jobs.save(user, "s1", "I'm a vegetarian living in Lisbon.");
        assertThat(streams.xlen(RedisKeys.jobs(user))).isEqualTo(1);
        assertThat(jobs.ready()).containsExactly(user);

        worker.start();
        try {
            poll().untilAsserted(() -> assertThat(recallTexts(user, null))
                    .containsExactlyInAnyOrder("User is vegetarian", "User lives in Lisbon"));
            poll().untilAsserted(() -> assertThat(jobs.ready()).isEmpty());
        } finally {
            worker.stop();
        }
        assertThat(jobs.keysOf(user)).isEmpty();
        // One call for it (the worker's start-up sweep may find jobs other tests left, and take them too).
        assertThat(llm.extractionRequests())
                .filteredOn(request -> request.getBodyAsString().contains("Lisbon"))
                .hasSize(1);
    }

    @Test
    void userTakenOverAfterItsLeaseStoresItsFactsOnce() throws Exception {
        String user = newUser();
        llm.delayExtraction(500, "User plays the cello", "fact", "User loves spicy food", "preference");
        jobs.save(user, "s1", "I play the cello and I love spicy food.");

        // One worker takes the user and waits on the slow LLM; once its lease (claim-idle) has run out, a second
        // worker takes the user over, as it would from a crashed replica. Both finish the job.
        CompletableFuture<Integer> first = worker.processAvailable().subscribeAsCompletionStage();
        poll().until(() -> llm.extractionRequests().size() == 1);
        poll().until(() -> process() == 1);

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(llm.extractionRequests()).hasSize(2); // the job really ran twice
        assertThat(recallTexts(user, null)).containsExactlyInAnyOrder("User plays the cello", "User loves spicy food");
        assertThat(jobs.keysOf(user)).isEmpty();
        assertThat(jobs.ready()).isEmpty();
    }

    @Test
    void sameExchangeProcessedAgainStoresNothingNew() {
        String user = newUser();
        llm.replyToExtraction("User has two cats", "fact");
        jobs.save(user, "s1", "I have two cats.");
        assertThat(process()).isEqualTo(1);
        jobs.save(user, "s1", "I have two cats.");
        assertThat(process()).isEqualTo(1);

        assertThat(recallTexts(user, null)).containsExactly("User has two cats");
        assertThat(jobs.keysOf(user)).isEmpty();
    }

    @Test
    void waitingExchangesOfOneSessionShareOneCall() {
        String alice = newUser();
        String bob = newUser();
        llm.replyToExtraction("User keeps bees", "fact");
        jobs.save(alice, "s1", "I keep bees.");
        jobs.save(bob, "s1", "Bob's secret message.");
        jobs.save(alice, "s1", "Two hives, actually.");
        jobs.save(alice, "s2", "Another session of mine.");
        jobs.save(alice, "s1", "They make honey in June.");

        assertThat(process()).isEqualTo(5);

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
        assertThat(jobs.keysOf(alice)).isEmpty();
        assertThat(jobs.keysOf(bob)).isEmpty();
    }

    @Test
    void exchangeArrivingWithinTheLingerJoinsTheCall() {
        String user = newUser();
        llm.replyToExtraction("User grows tomatoes", "fact");
        jobs.save(user, "s1", "I grow tomatoes.", Duration.ofSeconds(1));

        // Announced with a linger: not ready yet, so the next exchange of the session joins it.
        assertThat(process()).isZero();
        jobs.save(user, "s1", "Cherry ones, on the balcony.", Duration.ofSeconds(1));

        poll().until(() -> process() == 2);
        assertThat(llm.extractionRequests()).singleElement().satisfies(request -> assertThat(request.getBodyAsString())
                .containsSubsequence("I grow tomatoes.", "Cherry ones, on the balcony."));
        assertThat(jobs.keysOf(user)).isEmpty();
    }

    @Test
    void exchangesOfAFailedSharedCallAreRetriedEachOnItsOwn() {
        String user = newUser();
        llm.replyToExtractionRaw("not json");
        jobs.save(user, "s1", "I live in Oslo.");
        jobs.save(user, "s1", "I work as a pilot.");

        assertThat(process()).isEqualTo(2);
        assertThat(llm.extractionRequests()).hasSize(1);
        assertThat(streams.xlen(RedisKeys.jobs(user))).isEqualTo(2);
        assertThat(redis.hash(String.class).hvals(RedisKeys.jobAttempts(user))).containsExactly("1", "1");

        // Taken again after claim-idle, each job is a retry and gets a call of its own.
        llm.reset();
        llm.replyToExtraction("User lives in Oslo", "fact");
        poll().until(() -> process() == 2);
        assertThat(llm.extractionRequests()).hasSize(2).allSatisfy(request -> assertThat(request.getBodyAsString())
                .doesNotContain("Exchange 1"));
        assertThat(recallTexts(user, null)).containsExactly("User lives in Oslo");
        assertThat(jobs.keysOf(user)).isEmpty();
    }

    @Test
    void jobFailingMaxAttemptsTimesIsDeadLettered() {
        String user = newUser();
        llm.failExtraction(500);
        String id = jobs.save(user, "s1", "I run marathons.");

        poll().until(() -> {
            process();
            return streams.xlen(RedisKeys.deadJobs(user)) > 0;
        });

        List<StreamMessage<String, String, String>> dead =
                streams.xrange(RedisKeys.deadJobs(user), StreamRange.of("-", "+"));
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
        assertThat(redis.key().exists(RedisKeys.jobs(user), RedisKeys.jobAttempts(user)))
                .isZero();
        assertThat(jobs.ready()).isEmpty();
        assertThat(recallTexts(user, null)).isEmpty();
    }

    @Test
    void jobWhoseWorkersKeepDyingIsDeadLetteredWithoutAnotherCall() {
        String user = newUser();
        String id = jobs.save(user, "s1", "I collect stamps.");
        // Three workers took the job and died before finishing it (each take counts an attempt).
        for (int i = 0; i < 3; i++) {
            queue.take(user, 10).await().atMost(Duration.ofSeconds(5));
        }

        assertThat(process()).isEqualTo(1);

        assertThat(streams.xrange(RedisKeys.deadJobs(user), StreamRange.of("-", "+")))
                .singleElement()
                .satisfies(entry -> assertThat(entry.payload())
                        .containsEntry("jobId", id)
                        .containsEntry("attempts", "3")
                        .containsEntry("error", "No result after 3 attempts"));
        assertThat(llm.extractionRequests()).isEmpty();
    }

    @Test
    void deadLettersAreCappedPerUser() {
        String user = newUser();
        llm.failExtraction(500);
        for (int i = 0; i < 5; i++) {
            jobs.save(user, "s" + i, "Exchange number " + i + ".");
        }

        poll().until(() -> {
            process();
            return !redis.key().exists(RedisKeys.jobs(user));
        });

        // memory.extraction.dead-letter-cap is 2 in this profile: the last two given up are kept.
        assertThat(streams.xlen(RedisKeys.deadJobs(user))).isEqualTo(2);
        assertThat(registry.counter("memory.extraction.jobs", "outcome", "dead_lettered")
                        .count())
                .isGreaterThanOrEqualTo(5);
    }

    @Test
    void unparseableReplyIsAFailedAttemptNotZeroFacts() {
        String user = newUser();
        llm.replyToExtractionRaw("not json");
        String id = jobs.save(user, "s1", "I live in Oslo.");

        assertThat(process()).isEqualTo(1);

        // Still to do after one attempt, nothing stored.
        assertThat(redis.hash(String.class).hgetall(RedisKeys.jobAttempts(user)))
                .isEqualTo(Map.of(id, "1"));
        assertThat(recallTexts(user, null)).isEmpty();

        // A reply with no facts list is no better than prose.
        llm.reset();
        llm.replyToExtractionRaw("{\"items\":[]}");
        poll().until(() -> process() == 1);
        assertThat(redis.hash(String.class).hgetall(RedisKeys.jobAttempts(user)))
                .isEqualTo(Map.of(id, "2"));

        assertThat(llm.extractionRequests()).hasSize(1); // one call per attempt: a bad reply is not retried at once

        // The next attempt gets a proper reply and remembers.
        llm.reset();
        llm.replyToExtraction("User lives in Oslo", "fact");
        poll().until(() -> process() == 1);
        assertThat(recallTexts(user, null)).containsExactly("User lives in Oslo");
        assertThat(jobs.keysOf(user)).isEmpty();
    }

    @Test
    void jobSavedWhileAWorkerDrainsTheUserIsNotOrphaned() {
        String user = newUser();
        llm.replyToExtraction("User sails", "fact");
        String first = jobs.save(user, "s1", "I sail.");

        // A worker claims the user and finishes its only job...
        Claim claim = queue.claim(10).await().atMost(Duration.ofSeconds(5)).stream()
                .filter(c -> c.userId().equals(user))
                .findFirst()
                .orElseThrow();
        queue.take(user, 10).await().atMost(Duration.ofSeconds(5));
        long left = queue.done(user, List.of(first)).await().atMost(Duration.ofSeconds(5));
        assertThat(left).isZero();
        // ...a turn saves a new exchange and announces it before the worker releases the user...
        jobs.save(user, "s1", "Mostly on lakes.");
        // ...and the release, which saw no job left, keeps the user because of that announcement.
        queue.release(claim, left, null).await().atMost(Duration.ofSeconds(5));
        assertThat(jobs.ready()).containsExactly(user);

        poll().until(() -> process() == 1);
        assertThat(llm.extractionRequests()).singleElement().satisfies(request -> assertThat(request.getBodyAsString())
                .contains("Mostly on lakes."));
        assertThat(jobs.ready()).isEmpty();
    }

    @Test
    void releaseByAWorkerWhoseLeaseRanOutChangesNothing() {
        String user = newUser();
        jobs.save(user, "s1", "I knit.");
        Claim stale = queue.claim(10).await().atMost(Duration.ofSeconds(5)).get(0);
        // The lease (claim-idle, 100 ms here) runs out and another worker claims the user.
        poll().until(() ->
                !queue.claim(10).await().atMost(Duration.ofSeconds(5)).isEmpty());

        queue.release(stale, 0, null).await().atMost(Duration.ofSeconds(5));

        assertThat(jobs.ready()).containsExactly(user);
        assertThat(redis.hash(String.class).hget(queue.sharedKey("holder"), user))
                .isNotNull();
    }

    @Test
    void jobWhoseAnnouncementWasLostIsFoundByTheSweep() {
        String user = newUser();
        llm.replyToExtraction("User speaks Basque", "fact");
        // The service died between saving the exchange and announcing it.
        jobs.saveWithoutAnnouncement(user, "s1", "I speak Basque.");
        assertThat(process()).isZero();

        assertThat(worker.sweepNow().await().atMost(Duration.ofSeconds(10))).isGreaterThanOrEqualTo(1);

        poll().untilAsserted(() -> {
            process();
            assertThat(recallTexts(user, null)).containsExactly("User speaks Basque");
        });
        assertThat(jobs.keysOf(user)).isEmpty();
    }

    @Test
    void backlogAndDeadLettersAreMeasuredAndABacklogPastTheThresholdIsWarnedAbout() {
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(String.valueOf(record.getMessage()));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(QueueMonitor.class.getName());
        logger.addHandler(capture);
        try {
            String user = newUser();
            for (int i = 0; i < 6; i++) {
                jobs.save(user, "s1", "Exchange " + i + ".");
            }
            monitor.read().await().atMost(Duration.ofSeconds(5));

            // backlog-warning is 5 in this profile: 6 waiting jobs are warned about, and kept.
            assertThat(gauge("memory.extraction.backlog.jobs")).isEqualTo(6);
            assertThat(gauge("memory.extraction.backlog.users")).isEqualTo(1);
            assertThat(warnings).anySatisfy(warning -> assertThat(warning).contains("Extraction backlog"));
            assertThat(streams.xlen(RedisKeys.jobs(user))).isEqualTo(6);

            // Given up on, they are counted as dead letters: the 2 kept (dead-letter-cap).
            llm.failExtraction(500);
            poll().until(() -> {
                process();
                return !redis.key().exists(RedisKeys.jobs(user));
            });
            monitor.read().await().atMost(Duration.ofSeconds(5));
            assertThat(gauge("memory.extraction.dead.letters")).isEqualTo(2);
            assertThat(gauge("memory.extraction.backlog.jobs")).isZero();
        } finally {
            logger.removeHandler(capture);
        }
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void workerOutlivesARedisRestart() {
        assumeTrue(
                RedisTestResource.embedded().isPresent(),
                "Skipped: the tests run against an external server this test cannot stop");
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
            // The restarted server is empty; a job saved now is extracted without any set-up step.
            poll().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                jobs.save(user, "s1", "I speak Finnish.");
                return true;
            });
            poll().untilAsserted(() -> assertThat(recallTexts(user, null)).containsExactly("User speaks Finnish"));
        } finally {
            worker.stop();
        }
    }

    private int process() {
        return worker.processAvailable().await().atMost(Duration.ofSeconds(10));
    }

    private double workerErrors() {
        return registry.counter("memory.extraction.worker.errors").count();
    }

    private static String newUser() {
        return "x-" + UUID.randomUUID();
    }

    private static ConditionFactory poll() {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50));
    }
}
