package dev.agentmemory.extraction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import dev.agentmemory.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The queue keeps nothing of work that is done: after many chat turns of several users and sessions, once the
 * worker has extracted them, no job stream, attempt count or shared-key entry of those users is left, and the
 * only keys of a user are its sessions, its session registry, its generation, and its memories with their index.
 */
@QuarkusTest
class QueueGrowthTest {

    @Inject
    Jobs jobs;

    @Test
    void extractedTurnsLeaveNoQueueState() {
        OpenAiStub llm = OpenAiStubResource.stub();
        llm.reset();
        llm.replyToChat("Noted.");
        llm.replyToExtractionWithCodeWords(0);
        List<String> users =
                List.of("growth-" + UUID.randomUUID(), "growth-" + UUID.randomUUID(), "growth-" + UUID.randomUUID());
        int turn = 0;
        for (String user : users) {
            for (int session = 0; session < 4; session++) {
                for (int i = 0; i < 5; i++, turn++) {
                    given().contentType(ContentType.JSON)
                            .body(Map.of("message", "My code word is w" + turn + "x."))
                            .post("/v1/users/" + user + "/sessions/s" + session + "/chat")
                            .then()
                            .statusCode(200);
                }
            }
        }

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() ->
                        users.forEach(user -> assertThat(jobs.keysOf(user)).isEmpty()));
        for (String user : users) {
            List<String> keys = RedisTestResource.keys("*{" + user + "}*");
            assertThat(keys)
                    .allMatch(key -> key.startsWith("chat:")
                            || key.startsWith("sessions:")
                            || key.startsWith("gen:")
                            || key.startsWith("mem:")
                            || key.startsWith("idx:"));
            assertThat(keys).filteredOn(key -> key.startsWith("chat:")).hasSize(4);
            assertThat(keys).filteredOn(key -> key.startsWith("mem:")).hasSize(20);
        }
    }
}
