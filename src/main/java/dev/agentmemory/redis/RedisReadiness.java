package dev.agentmemory.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while Redis answers a {@code PING} through the service's own client, so within the same deadline as
 * every request ({@code quarkus.redis.timeout}, see {@link RedisDataSourceProducer}): when requests start
 * answering 503, readiness turns DOWN with them. (Quarkus' own Redis check is turned off: it waits on another
 * client.)
 */
@Readiness
@ApplicationScoped
public class RedisReadiness implements AsyncHealthCheck {

    private static final String NAME = "Redis";

    private final ReactiveRedisDataSource redis;

    public RedisReadiness(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("PING")
                .map(reply -> HealthCheckResponse.up(NAME))
                .onFailure()
                .recoverWithItem(failure -> HealthCheckResponse.named(NAME)
                        .down()
                        .withData("reason", String.valueOf(failure.getMessage()))
                        .build());
    }
}
