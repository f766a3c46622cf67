package dev.agentmemory.redis;

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
 * connection pool is doing. On a Redis Cluster it also admits fewer commands at once than a node's pool holds
 * ({@link Admission}), without which the cluster client stalls under concurrent load.
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
            @ConfigProperty(name = "quarkus.redis.max-pool-waiting", defaultValue = "24") int poolWaiting) {
        Admission admission = "cluster".equalsIgnoreCase(clientType)
                ? Admission.forClusterPools(poolSize, poolWaiting)
                : Admission.UNLIMITED;
        Redis timed = Redis.newInstance(new TimedRedis(redis.getDelegate(), vertx.getDelegate(), timeout, admission));
        return new ReactiveRedisDataSourceImpl(vertx, timed, RedisAPI.api(timed));
    }
}
