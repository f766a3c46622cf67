package dev.agentmemory.working;

import static dev.agentmemory.testing.Api.append;
import static dev.agentmemory.testing.Api.message;
import static dev.agentmemory.testing.Api.session;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.agentmemory.redis.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The user's session registry ({@code sessions:{user}}, read when the user is forgotten) does not grow with
 * sessions that are gone: a deleted session leaves it at once, an expired one with the next append.
 */
@QuarkusTest
@TestProfile(SessionRegistryGrowthTest.ShortSessions.class)
class SessionRegistryGrowthTest {

    /** Sessions that expire within the test. */
    public static class ShortSessions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("memory.session.ttl", "3s");
        }
    }

    @Inject
    RedisDataSource redis;

    @Test
    void registryListsNeitherDeletedNorExpiredSessions() {
        String user = "registry-" + UUID.randomUUID();
        IntStream.range(0, 30)
                .forEach(i -> append(user, "s" + i, message("user", "hi")).statusCode(200));
        IntStream.range(0, 5).forEach(i -> given().delete("/v1/users/" + user + "/sessions/s" + i)
                .then()
                .statusCode(204));

        // Every live session is listed, no deleted one (a slow machine may let the first ones expire already).
        List<String> live = IntStream.range(5, 30)
                .mapToObj(i -> "s" + i)
                .filter(id -> redis.key().exists(RedisKeys.session(user, id)))
                .toList();
        assertThat(live).isNotEmpty();
        assertThat(registry(user)).containsAll(live).doesNotContain("s0", "s1", "s2", "s3", "s4");
        assertThat(registry(user).size()).isLessThanOrEqualTo(25);

        // Once the 25 have expired, the next append leaves the registry with its own session only.
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> session(user, "s29").body("ttlSeconds", equalTo(0)));
        append(user, "fresh", message("user", "hello again")).statusCode(200);
        assertThat(registry(user)).containsExactly("fresh");
        assertThat(redis.key().pttl(RedisKeys.sessions(user))).isPositive();
    }

    private List<String> registry(String user) {
        return redis.sortedSet(String.class).zrange(RedisKeys.sessions(user), 0, -1);
    }
}
