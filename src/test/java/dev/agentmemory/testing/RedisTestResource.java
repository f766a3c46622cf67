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
 *
 * <p>Under {@link QueryEngineProfile} it is a server with the search module instead (see {@link SearchModule}).
 */
@QuarkusTestResource(RedisTestResource.class)
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EmbeddedRedis embedded;
    private static volatile GatedRedisProxy proxy;
    private boolean searchModule;
    private boolean proxied;

    @Override
    public void setContext(Context context) {
        searchModule = QueryEngineProfile.class.getName().equals(context.testProfile());
        proxied = ProxiedRedisProfile.class.getName().equals(context.testProfile());
    }

    @Override
    public Map<String, String> start() {
        if (searchModule) {
            Optional<String> url = SearchModule.url();
            if (url.isPresent()) {
                return Map.of("quarkus.redis.hosts", url.get());
            }
            List<String> settings = SearchModule.modulePath()
                    .map(path -> List.of("loadmodule " + path.toAbsolutePath()))
                    .orElse(List.of());
            return startEmbedded(settings);
        }
        if (proxied) {
            startEmbedded(List.of());
            try {
                proxy = new GatedRedisProxy(embedded.port());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return Map.of("quarkus.redis.hosts", proxy.url());
        }
        String external = System.getenv("REDIS_URL");
        if (external != null && !external.isBlank()) {
            return Map.of("quarkus.redis.hosts", external);
        }
        return startEmbedded(List.of());
    }

    private static Map<String, String> startEmbedded(List<String> settings) {
        embedded = EmbeddedRedis.start(settings);
        return Map.of("quarkus.redis.hosts", embedded.url());
    }

    @Override
    public void stop() {
        if (proxy != null) {
            try {
                proxy.close();
            } catch (java.io.IOException e) {
                // already closed
            }
            proxy = null;
        }
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
    }

    /** The proxy in front of Redis under {@link ProxiedRedisProfile}. */
    public static GatedRedisProxy proxy() {
        return proxy;
    }

    /** The server this resource started; empty when the tests run against an external server. */
    public static Optional<EmbeddedRedis> embedded() {
        return Optional.ofNullable(embedded);
    }
}
