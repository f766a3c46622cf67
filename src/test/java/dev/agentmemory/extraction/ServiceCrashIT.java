package dev.agentmemory.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentmemory.bench.perf.ServiceProcess;
import dev.agentmemory.testing.CodeWordBurst;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.RedisTestResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged application killed ({@code kill -9}) during a burst of chat turns whose extraction is slow, then
 * started again on the same Redis: every exchange that was saved has its facts stored, each exactly once, and
 * nothing else is stored. The jobs of the killed process are in Redis (in the users' streams, their users held by
 * a lease that runs out), never in the process.
 */
class ServiceCrashIT {

    private final RedisTestResource redis = new RedisTestResource();
    private OpenAiStub llm;
    private Map<String, String> env;

    @BeforeEach
    void startDependencies() {
        Map<String, String> redisConfig = redis.start();
        llm = OpenAiStub.started();
        llm.replyToChat("Noted.");
        llm.replyToExtractionWithCodeWords(1500);
        env = new HashMap<>();
        env.put("QUARKUS_REDIS_HOSTS", redisConfig.get("quarkus.redis.hosts"));
        if (redisConfig.containsKey("quarkus.redis.client-type")) {
            env.put("QUARKUS_REDIS_CLIENT_TYPE", redisConfig.get("quarkus.redis.client-type"));
        }
        env.put("QUARKUS_LANGCHAIN4J_OPENAI_BASE_URL", llm.baseUrl());
        env.put("QUARKUS_LANGCHAIN4J_OPENAI_API_KEY", "test-key");
        // A killed worker's users are taken again once its lease ends: short here, above the 1.5 s extraction.
        env.put("MEMORY_EXTRACTION_CLAIM_IDLE", "4s");
        // A queue of its own: on a shared Redis (REDIS_URL, a cluster), the packaged application other integration
        // tests keep running has a worker too, which would claim these users for its own, longer lease.
        env.put("MEMORY_EXTRACTION_QUEUE", "crash-it-" + UUID.randomUUID());
        env.put("MEMORY_AUTH_ENABLED", "false");
    }

    @AfterEach
    void stopDependencies() {
        llm.stop();
        redis.stop();
    }

    @Test
    void everySavedExchangeIsExtractedOnceAfterTheServiceIsKilledMidBurst() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "crash-it"));
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target", "quarkus-app", "quarkus-run.jar").toString());

        ServiceProcess first = ServiceProcess.start("service", command, env, logs.resolve("first.log"));
        CodeWordBurst burst = new CodeWordBurst(first.baseUrl(), 12, 8).start();
        try {
            // Killed once turns have been saved and extraction calls are under way (they take 1.5 s each).
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() ->
                            burst.answered() >= 24 && !llm.extractionRequests().isEmpty());
        } finally {
            first.kill();
        }
        burst.stop();
        // Jobs were waiting (or under way) when it died: they are in their users' streams.
        assertThat(RedisTestResource.keys("jobs:{burst-*}")).isNotEmpty();
        int savedBeforeRestart;
        try (ServiceProcess second = ServiceProcess.start("service", command, env, logs.resolve("second.log"))) {
            burst.readFrom(second.baseUrl());
            savedBeforeRestart = burst.saved();
            burst.awaitEverySavedExchangeExtractedOnce(Duration.ofSeconds(60));
        }
        System.out.printf(
                "ServiceCrashIT: %d turns answered and %d failed around the kill; %d exchanges saved, each extracted"
                        + " once after the restart%n",
                burst.answered(), burst.failed(), savedBeforeRestart);
        assertThat(savedBeforeRestart).isGreaterThanOrEqualTo(24);
    }
}
