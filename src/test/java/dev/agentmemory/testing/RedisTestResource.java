package dev.agentmemory.testing;

import dev.agentmemory.redis.dev.EmbeddedRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real Redis every test talks to: a Redis Cluster when {@code REDIS_CLUSTER_HOSTS} is set (its nodes, as
 * {@code redis://host:port} separated by commas, as {@code quarkus.redis.hosts} takes them; the client type is then
 * {@code cluster}); else {@code REDIS_URL} when set; otherwise a {@code redis-server} started from the binary
 * bundled in the embedded-redis artifact, on a free loopback port. No Docker, no install step.
 *
 * <p>Under {@link QueryEngineProfile} it is a server with the search module instead (see {@link SearchModule});
 * under {@link ProxiedRedisProfile} always the embedded server, behind a proxy.
 */
@QuarkusTestResource(RedisTestResource.class)
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EmbeddedRedis embedded;
    private static volatile GatedRedisProxy proxy;
    /** What the application was given as {@code quarkus.redis.hosts}. */
    private static volatile String hosts;

    private boolean searchModule;
    private boolean proxied;

    @Override
    public void setContext(Context context) {
        searchModule = QueryEngineProfile.class.getName().equals(context.testProfile());
        proxied = ProxiedRedisProfile.class.getName().equals(context.testProfile());
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = configure();
        hosts = config.get("quarkus.redis.hosts");
        return config;
    }

    private Map<String, String> configure() {
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
        Optional<String> cluster = clusterHosts();
        if (cluster.isPresent()) {
            return Map.of("quarkus.redis.hosts", cluster.get(), "quarkus.redis.client-type", "cluster");
        }
        Optional<String> external = externalUrl();
        if (external.isPresent()) {
            return Map.of("quarkus.redis.hosts", external.get());
        }
        return startEmbedded(List.of());
    }

    /** {@code REDIS_CLUSTER_HOSTS}: the tests run against that Redis Cluster. */
    public static Optional<String> clusterHosts() {
        return env("REDIS_CLUSTER_HOSTS");
    }

    /** {@code REDIS_URL}: the tests run against that server. */
    public static Optional<String> externalUrl() {
        return env("REDIS_URL");
    }

    /**
     * The servers the application of the current test talks to, spoken to directly: every node of the cluster, or
     * the one server (embedded or {@code REDIS_URL}).
     */
    public static List<RedisNode> nodes() {
        Optional<String> cluster = clusterHosts();
        if (cluster.isPresent()) {
            RedisNode seed = java.util.Arrays.stream(cluster.get().split(","))
                    .map(host -> RedisNode.of(host.strip()))
                    .filter(RedisNode::answers)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No node of " + cluster.get() + " answers"));
            return seed.clusterNodes().stream()
                    .map(RedisNode.ClusterMember::node)
                    .toList();
        }
        return List.of(RedisNode.of(hosts));
    }

    /**
     * The keys matching the pattern on the server (on a cluster, on every master), by {@code SCAN}: the service's
     * client would scan one node of a cluster only.
     */
    public static List<String> keys(String pattern) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (RedisNode node : nodes()) {
            if (clusterHosts().isEmpty() || "master".equals(node.info("role"))) {
                keys.addAll(node.scan(pattern));
            }
        }
        return List.copyOf(keys);
    }

    private static Optional<String> env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
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
