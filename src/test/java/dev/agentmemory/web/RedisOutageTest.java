package dev.agentmemory.web;

import static dev.agentmemory.testing.Api.append;
import static dev.agentmemory.testing.Api.message;
import static dev.agentmemory.testing.Api.session;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentmemory.redis.dev.EmbeddedRedis;
import dev.agentmemory.testing.Api;
import dev.agentmemory.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Redis stops mid-test: clients get 503 + Retry-After; Redis comes back: the service serves again by itself. */
@QuarkusTest
class RedisOutageTest {

    @Test
    void answers503WhileRedisIsDownAndRecoversWithoutRestart() {
        assumeTrue(
                RedisTestResource.embedded().isPresent(),
                "Skipped: REDIS_URL points at an external server this test cannot stop");
        EmbeddedRedis redis = RedisTestResource.embedded().orElseThrow();
        append("outage-user", "s1", message("user", "before")).statusCode(200);

        redis.stop();
        try {
            Api.assertProblem(session("outage-user", "s1"), 503)
                    .header("Retry-After", notNullValue())
                    .body("type", equalTo("urn:agent-memory:problem:store-unavailable"));
            Api.assertProblem(append("outage-user", "s1", message("user", "during")), 503)
                    .header("Retry-After", equalTo("2"));
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            redis.restart();
        }

        // The restarted server is empty (no persistence); what matters is that requests succeed again.
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> session("outage-user", "s1").statusCode(200));
        append("outage-user", "s1", message("user", "after")).statusCode(200).body("size", equalTo(1));
        given().get("/q/health/ready").then().statusCode(200);
    }
}
