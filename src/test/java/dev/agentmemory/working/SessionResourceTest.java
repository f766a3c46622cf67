package dev.agentmemory.working;

import static dev.agentmemory.testing.Api.append;
import static dev.agentmemory.testing.Api.message;
import static dev.agentmemory.testing.Api.session;
import static dev.agentmemory.testing.Api.sessionPath;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.agentmemory.redis.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SessionResourceTest {

    @Inject
    RedisDataSource redis;

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @Test
    void unknownSessionIsEmptyNotAnError() {
        session(id("u"), id("s")).statusCode(200).body("messages", empty()).body("ttlSeconds", equalTo(0));
    }

    @Test
    void appendsAreReadBackInOrderWithRoleAndTime() {
        String user = id("u");
        String sessionId = id("s");
        append(user, sessionId, message("system", "Be brief."), message("user", "Hi"))
                .statusCode(200)
                .body("appended", equalTo(2))
                .body("size", equalTo(2));
        append(user, sessionId, message("assistant", "Hello!")).statusCode(200).body("size", equalTo(3));

        session(user, sessionId)
                .statusCode(200)
                .body("messages.role", contains("system", "user", "assistant"))
                .body("messages.content", contains("Be brief.", "Hi", "Hello!"))
                .body("messages[0].at", notNullValue());
    }

    @Test
    void keepsOnlyTheNewestMessagesUpToTheCap() {
        String user = id("u");
        String sessionId = id("s");
        for (int i = 0; i < 25; i++) {
            append(user, sessionId, message("user", "m" + i)).statusCode(200);
        }
        List<String> contents = session(user, sessionId)
                .statusCode(200)
                .body("messages", hasSize(20))
                .extract()
                .jsonPath()
                .getList("messages.content", String.class);
        assertThat(contents).first().isEqualTo("m5");
        assertThat(contents).last().isEqualTo("m24");
    }

    @Test
    void ttlIsSetAndRefreshedOnEveryAppend() {
        String user = id("u");
        String sessionId = id("s");
        String key = RedisKeys.session(user, sessionId);
        append(user, sessionId, message("user", "one")).statusCode(200).body("ttlSeconds", equalTo(3600));
        assertThat(redis.key().pttl(key)).isBetween(3_590_000L, 3_600_000L);

        // Bring the session close to expiry, then append: the clock starts again.
        redis.key().pexpire(key, 5_000);
        assertThat(redis.key().pttl(key)).isLessThanOrEqualTo(5_000L);
        append(user, sessionId, message("assistant", "two")).statusCode(200);
        assertThat(redis.key().pttl(key)).isBetween(3_590_000L, 3_600_000L);
        session(user, sessionId).body("ttlSeconds", equalTo(3600));
    }

    @Test
    void expiredSessionReadsEmpty() {
        String user = id("u");
        String sessionId = id("s");
        append(user, sessionId, message("user", "soon gone")).statusCode(200);
        // An expiry time in the past: Redis expires the key at once, exactly as when its TTL runs out.
        redis.key().pexpireat(RedisKeys.session(user, sessionId), System.currentTimeMillis() - 1_000);

        session(user, sessionId).statusCode(200).body("messages", empty()).body("ttlSeconds", equalTo(0));
    }

    @Test
    void deleteDropsTheSession() {
        String user = id("u");
        String sessionId = id("s");
        append(user, sessionId, message("user", "hello")).statusCode(200);

        given().delete(sessionPath(user, sessionId)).then().statusCode(204);
        session(user, sessionId).body("messages", empty());
        assertThat(redis.key().exists(RedisKeys.session(user, sessionId))).isFalse();
        // Idempotent.
        given().delete(sessionPath(user, sessionId)).then().statusCode(204);
    }

    @Test
    void oneUsersSessionIsUnreachableThroughAnotherUsersPath() {
        String alice = id("alice");
        String bob = id("bob");
        String shared = "same-session-id";
        append(alice, shared, message("user", "alice's secret")).statusCode(200);

        session(bob, shared).statusCode(200).body("messages", empty());
        given().delete(sessionPath(bob, shared)).then().statusCode(204);
        append(bob, shared, message("user", "bob's message")).statusCode(200).body("size", equalTo(1));

        session(alice, shared).body("messages.content", contains("alice's secret"));
        session(bob, shared).body("messages.content", contains("bob's message"));
    }

    @Test
    void clientSuppliedTimeIsKept() {
        String user = id("u");
        String sessionId = id("s");
        given().contentType("application/json")
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"then\",\"at\":\"2024-03-01T10:15:30Z\"}]}")
                .post(sessionPath(user, sessionId) + "/messages")
                .then()
                .statusCode(200);
        session(user, sessionId).body("messages[0].at", equalTo("2024-03-01T10:15:30Z"));
    }
}
