package dev.agentmemory.chat;

import static dev.agentmemory.testing.Api.session;
import static dev.agentmemory.testing.Memories.recall;
import static dev.agentmemory.testing.Memories.store;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.agentmemory.testing.AdminApiKey;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A chat turn through the packaged application against the stub OpenAI server: the recalled memory reaches the
 * prompt, the reply comes back plain and streamed, and the exchange is saved to the session.
 */
@QuarkusIntegrationTest
@ExtendWith(AdminApiKey.class)
class ChatTurnIT {

    OpenAiStub llm;

    @BeforeEach
    void resetStub() {
        llm = OpenAiStubResource.stub();
        llm.reset();
    }

    @Test
    void aTurnRecallsAnswersAndSavesTheExchange() {
        String user = "u-" + UUID.randomUUID();
        store(user, "User is vegetarian", "preference", null);
        llm.replyToChat("Try a ", "lentil curry.");

        given().contentType(ContentType.JSON)
                .body(Map.of("message", "Suggest a dinner for me."))
                .post("/v1/users/" + user + "/sessions/s1/chat")
                .then()
                .statusCode(200)
                .body("reply", equalTo("Try a lentil curry."))
                .body("memories.text", contains("User is vegetarian"));

        assertThat(llm.chatRequests()).singleElement().satisfies(request -> assertThat(request.getBodyAsString())
                .contains("User is vegetarian")
                .contains("Suggest a dinner for me."));
        session(user, "s1")
                .statusCode(200)
                .body("messages.content", contains("Suggest a dinner for me.", "Try a lentil curry."));
    }

    @Test
    void theFactsOfATurnAreRememberedInTheBackground() {
        String user = "u-" + UUID.randomUUID();
        llm.replyToChat("Noted!");
        llm.replyToExtraction("User is allergic to peanuts", "fact");

        given().contentType(ContentType.JSON)
                .body(Map.of("message", "I am allergic to peanuts."))
                .post("/v1/users/" + user + "/sessions/s1/chat")
                .then()
                .statusCode(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> recall(user, "peanuts")
                .statusCode(200)
                .body("memories.text", contains("User is allergic to peanuts"))
                .body("memories[0].source", equalTo("s1")));
    }

    @Test
    void aStreamedTurnSendsMemoriesTokensAndDone() {
        String user = "u-" + UUID.randomUUID();
        llm.replyToChat("Hello ", "there!");

        given().contentType(ContentType.JSON)
                .accept("text/event-stream")
                .body(Map.of("message", "Hi!"))
                .post("/v1/users/" + user + "/sessions/s1/chat/stream")
                .then()
                .statusCode(200)
                .body(containsString("event:memories"))
                .body(containsString("event:token"))
                .body(containsString("event:done"))
                .body(containsString("Hello there!"));
    }
}
