package dev.agentmemory.chat;

import static dev.agentmemory.testing.Memories.store;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.testing.GatedRedisProxy;
import dev.agentmemory.testing.OpenAiStubResource;
import dev.agentmemory.testing.ProxiedRedisProfile;
import dev.agentmemory.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * History load and recall run concurrently: a proxy in front of Redis holds back every reply until it has seen
 * the history read, the recall and the preference listing of the turn. A service that waited for one reply
 * before sending the next command would leave the gate to its time-out.
 */
@QuarkusTest
@TestProfile(ProxiedRedisProfile.class)
class ParallelPreparationTest {

    /**
     * Opens several pooled connections first: a connection opened while the gate is armed could not finish its
     * handshake (its replies are held too), which would stall the test for reasons of its own.
     */
    static void warmConnectionPool(String user) {
        java.util.List<java.util.concurrent.CompletableFuture<Void>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(java.util.concurrent.CompletableFuture.runAsync(() ->
                    given().get("/v1/users/" + user + "/memories?q=warm").then().statusCode(200)));
        }
        calls.forEach(java.util.concurrent.CompletableFuture::join);
    }

    @Test
    void historyAndRecallAreInFlightTogether() {
        String user = "u-" + UUID.randomUUID();
        store(user, "User is vegetarian", "preference", null);
        OpenAiStubResource.stub().reset();
        OpenAiStubResource.stub().replyToChat("Noted.");
        GatedRedisProxy proxy = RedisTestResource.proxy();
        warmConnectionPool(user);

        // The markers are key names only these commands carry: the session LIST (history read), the index
        // stats (recall) and, twice, the index prefix (recall and preference listing both pass it).
        proxy.arm(3_000, "chat:{" + user + "}:s1", "idx:{" + user + "}:stats");
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "What do I eat?"))
                .post("/v1/users/" + user + "/sessions/s1/chat")
                .then()
                .statusCode(200);

        assertThat(proxy.openedByCommands())
                .as("the recall was sent before the history read was answered")
                .isTrue();
    }
}
