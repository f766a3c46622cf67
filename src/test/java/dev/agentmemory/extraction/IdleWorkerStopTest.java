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
 * A worker waiting for new jobs stops without waiting out its blocking read (a replica scaled down or rolled does
 * not hang on it), and the read it ends takes no job: one enqueued right after is there for the next worker.
 */
@QuarkusTest
@TestProfile(IdleWorkerStopTest.LongReadProfile.class)
class IdleWorkerStopTest {

    /**
     * {@link ManualWorkerProfile} with a read that blocks far longer than the test waits for anything, a stop
     * timeout longer still (a stop that waited for the read would return only once the read has ended), and a
     * claim-idle so long that a job taken by a read and left pending could not be reclaimed within the test.
     */
    public static class LongReadProfile extends ManualWorkerProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("memory.extraction.block", "20s");
            overrides.put("memory.extraction.stop-timeout", "60s");
            overrides.put("memory.extraction.claim-idle", "10m");
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
    void waitingWorkerStopsWithoutWaitingOutItsReadAndTakesNoJob() {
        OpenAiStub llm = OpenAiStubResource.stub();
        llm.reset();
        StreamCommands<String, String, String> streams = redis.stream(String.class);
        String stream = config.extraction().stream();
        redis.key().del(stream);

        worker.start();
        long stopping;
        try {
            poll().until(() -> blockedReads() == 1);
        } finally {
            stopping = System.nanoTime();
            worker.stop();
        }
        // Its 20 s read was ended, not waited out (nor left behind in Redis).
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));
        assertThat(blockedReads()).isZero();

        // A job enqueued now is delivered to nobody: it waits in the stream, not in a pending list.
        String user = "x-" + UUID.randomUUID();
        llm.replyToExtraction("User plays the cello", "fact");
        streams.xadd(stream, new ExtractionJob(user, "s1", "I play the cello.", "Noted.").toEntry());
        assertThat(pending(streams)).isEmpty();

        // The next worker reads it at once (claim-idle is 10 minutes: no reclaim is involved) and stores its fact.
        worker.start();
        try {
            poll().untilAsserted(() -> assertThat(recallTexts(user, null)).containsExactly("User plays the cello"));
            poll().untilAsserted(() -> assertThat(streams.xlen(stream)).isZero());
        } finally {
            worker.stop();
        }
        assertThat(pending(streams)).isEmpty();
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
