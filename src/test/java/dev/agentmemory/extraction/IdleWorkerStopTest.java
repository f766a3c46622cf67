package dev.agentmemory.extraction;

import static dev.agentmemory.testing.Memories.recallTexts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * A worker waiting for work stops without waiting out its pause (a replica scaled down or rolled does not hang on
 * it), and holds no user when it has stopped: a job saved right after is there for the next worker.
 */
@QuarkusTest
@TestProfile(IdleWorkerStopTest.LongPauseProfile.class)
class IdleWorkerStopTest {

    /**
     * {@link ManualWorkerProfile} with an idle pause far longer than the test waits for anything, a stop timeout
     * longer still (a stop that waited for the pause would return only once it has ended), and a lease so long that
     * a user left claimed could not be taken again within the test.
     */
    public static class LongPauseProfile extends ManualWorkerProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("memory.extraction.poll-interval", "20s");
            overrides.put("memory.extraction.stop-timeout", "60s");
            overrides.put("memory.extraction.claim-idle", "10m");
            return overrides;
        }
    }

    @Inject
    ExtractionWorker worker;

    @Inject
    Jobs jobs;

    @Inject
    RedisDataSource redis;

    @Inject
    ExtractionQueue queue;

    @Test
    void waitingWorkerStopsWithoutWaitingOutItsPauseAndHoldsNoUser() {
        OpenAiStub llm = OpenAiStubResource.stub();
        llm.reset();
        jobs.clearQueue();

        worker.start();
        long stopping;
        try {
            poll().until(worker::isWaiting);
        } finally {
            stopping = System.nanoTime();
            worker.stop();
        }
        // Its 20 s pause was ended, not waited out.
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));

        // A job saved now is taken by nobody: its user waits in the ready set, held by no worker.
        String user = "x-" + UUID.randomUUID();
        llm.replyToExtraction("User plays the cello", "fact");
        jobs.save(user, "s1", "I play the cello.");
        assertThat(redis.hash(String.class).hgetall(queue.sharedKey("holder"))).isEmpty();

        // The next worker takes it at once (the lease is 10 minutes: no take-over is involved).
        worker.start();
        try {
            poll().untilAsserted(() -> assertThat(recallTexts(user, null)).containsExactly("User plays the cello"));
            poll().untilAsserted(() -> assertThat(jobs.keysOf(user)).isEmpty());
        } finally {
            worker.stop();
        }
        assertThat(llm.extractionRequests())
                .filteredOn(request -> request.getBodyAsString().contains("cello"))
                .hasSize(1);
    }

    private static ConditionFactory poll() {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50));
    }
}
