package dev.agentmemory.extraction;

import static dev.agentmemory.testing.Memories.recallTexts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.PendingMessage;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * A worker waiting for new jobs stops at once (a replica scaled down or rolled does not wait out its blocking
 * read), and a job that the abandoned read still receives is not lost: it stays pending and is reclaimed.
 */
@QuarkusTest
@TestProfile(IdleWorkerStopTest.LongReadProfile.class)
class IdleWorkerStopTest {

    /**
     * {@link ManualWorkerProfile} with a read that blocks far longer than the test waits for anything, and a stop
     * timeout longer still: a stop that waited for the read would return only once the read has ended.
     */
    public static class LongReadProfile extends ManualWorkerProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("memory.extraction.block", "20s");
            overrides.put("memory.extraction.stop-timeout", "60s");
            overrides.put("quarkus.redis.timeout", "60s");
            return overrides;
        }
    }

    @Inject
    ExtractionWorker worker;

    @Inject
    RedisDataSource redis;

    @Inject
    MemoryConfig config;

    @Test
    void idleWorkerStopsWithoutWaitingForItsReadAndLosesNoJob() {
        OpenAiStub llm = OpenAiStubResource.stub();
        llm.reset();
        StreamCommands<String, String, String> streams = redis.stream(String.class);
        String stream = config.extraction().stream();
        redis.key().del(stream);

        worker.start();
        try {
            poll().until(() -> blockedReads() == 1);
        } finally {
            worker.stop();
        }
        // stop() has returned while the worker's read is still blocked in Redis (for up to 20 s).
        assertThat(blockedReads()).isEqualTo(1);

        // A job enqueued now is delivered to the abandoned read: it stays pending, unprocessed, not lost.
        String user = "x-" + UUID.randomUUID();
        llm.replyToExtraction("User plays the cello", "fact");
        streams.xadd(stream, new ExtractionJob(user, "s1", "I play the cello.", "Noted.").toEntry());
        poll().untilAsserted(() -> assertThat(pending(streams))
                .singleElement()
                .satisfies(job -> assertThat(job.getConsumer()).isEqualTo(worker.consumer())));
        assertThat(blockedReads()).isZero();
        assertThat(recallTexts(user, null)).isEmpty();
        assertThat(llm.extractionRequests()).isEmpty();

        // The next loop reclaims it once claim-idle has passed (before its first read, which would block), and
        // stores its fact.
        poll().untilAsserted(() -> assertThat(pending(streams)).singleElement().satisfies(job -> assertThat(
                        job.getDurationSinceLastDelivery())
                .isGreaterThan(config.extraction().claimIdle())));
        worker.start();
        try {
            poll().untilAsserted(() -> assertThat(recallTexts(user, null)).containsExactly("User plays the cello"));
            poll().untilAsserted(() -> assertThat(pending(streams)).isEmpty());
        } finally {
            worker.stop();
        }
        assertThat(llm.extractionRequests()).hasSize(1);
    }

    /** Clients blocked in XREADGROUP, from CLIENT LIST. */
    private long blockedReads() {
        String clients = redis.execute("CLIENT", "LIST").toString();
        return Arrays.stream(clients.split("\n"))
                .filter(line -> line.contains(" cmd=xreadgroup"))
                .filter(line -> Arrays.stream(line.split(" "))
                        .anyMatch(field -> field.startsWith("flags=") && field.contains("b")))
                .count();
    }

    private List<PendingMessage> pending(StreamCommands<String, String, String> streams) {
        return streams.xpending(
                config.extraction().stream(), config.extraction().group(), StreamRange.of("-", "+"), 100);
    }

    private static ConditionFactory poll() {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50));
    }
}
