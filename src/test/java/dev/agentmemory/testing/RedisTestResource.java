package dev.agentmemory.testing;

import dev.agentmemory.redis.dev.EmbeddedRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real Redis every test talks to: {@code REDIS_URL} when set, otherwise a {@code redis-server} started from
 * the binary bundled in the embedded-redis artifact, on a free loopback port. No Docker, no install step.
 */
@QuarkusTestResource(RedisTestResource.class)
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EmbeddedRedis embedded;

    @Override
    public Map<String, String> start() {
        String external = System.getenv("REDIS_URL");
        if (external != null && !external.isBlank()) {
            return Map.of("quarkus.redis.hosts", external);
        }
        embedded = EmbeddedRedis.start(List.of());
        return Map.of("quarkus.redis.hosts", embedded.url());
    }

    @Override
    public void stop() {
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
    }

    /** The server this resource started; empty when the tests run against {@code REDIS_URL}. */
    public static Optional<EmbeddedRedis> embedded() {
        return Optional.ofNullable(embedded);
    }
}
