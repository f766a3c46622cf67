package dev.agentmemory.redis;

import dev.agentmemory.config.MemoryConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@link ReactiveRedisDataSource} every bean of the service injects: the one Quarkus configures, over a
 * client whose commands fail with {@link StoreUnavailableException} after {@code quarkus.redis.timeout}
 * ({@link TimedRedis}). That setting bounds only the blocking API in Quarkus; here it bounds every reactive
 * call too, in one place, so a request waiting on a stalled Redis answers 503 at the deadline, whatever the
 * connection pool is doing. On a Redis Cluster the commands go over a few shared, pipelined cluster connections
 * ({@link ClusterConnections}), without which the cluster client stalls under concurrent load.
 *
 * <p>It is built with Quarkus' own data source implementation, the class Quarkus itself creates for the default
 * client, around the wrapped client.
 */
@Singleton
public class RedisDataSourceProducer {

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    ReactiveRedisDataSource timed(
            Vertx vertx,
            Redis redis,
            @ConfigProperty(name = "quarkus.redis.timeout") Duration timeout,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType,
            @ConfigProperty(name = "quarkus.redis.max-pool-size", defaultValue = "6") int poolSize,
            MemoryConfig config) {
        // Each shared cluster connection holds a pooled connection per node; one more per node stays free for the
        // client's own redirects and slot-map reads.
        int shared = Math.max(1, Math.min(config.store().clusterConnections(), poolSize - 1));
        io.vertx.redis.client.Redis client = "cluster".equalsIgnoreCase(clientType)
                ? new ClusterConnections(redis.getDelegate(), shared)
                : redis.getDelegate();
        Redis timed = Redis.newInstance(new TimedRedis(client, vertx.getDelegate(), timeout));
        return new ReactiveRedisDataSourceImpl(vertx, timed, RedisAPI.api(timed));
    }
}
