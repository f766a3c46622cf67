package dev.agentmemory.extraction;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * No background worker (the tests drive it: {@link ExtractionWorker#processAvailable}, {@code start()},
 * {@code stop()}), and timings small enough for a test: a user is held for 100 ms (a failed job is retried 100 ms
 * later) and a job given up after 3 attempts; 2 dead letters kept per user; a backlog of 5 jobs warned about.
 */
public class ManualWorkerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "memory.extraction.worker-enabled", "false",
                "memory.extraction.claim-idle", "100ms",
                "memory.extraction.max-attempts", "3",
                "memory.extraction.poll-interval", "100ms",
                "memory.extraction.dead-letter-cap", "2",
                "memory.extraction.backlog-warning", "5",
                "memory.extraction.outage-backoff", "100ms",
                "memory.extraction.max-outage-backoff", "500ms");
    }
}
