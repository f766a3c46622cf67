package dev.agentmemory.chat;

import static dev.agentmemory.testing.Memories.recallTexts;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The whole loop: a fact said in one session is extracted in the background, remembered, and recalled into the
 * prompt of a later session that shares no word with it.
 */
@QuarkusTest
class SeedScenarioTest {

    @Test
    void factsFromOneSessionReachThePromptOfTheNext() {
        String user = "u-" + UUID.randomUUID();
        OpenAiStub llm = OpenAiStubResource.stub();
        llm.reset();
        llm.replyToChat("Noted: vegetarian, and spicy is good.");
        llm.replyToExtraction("User is vegetarian", "preference", "User loves spicy food", "preference");

        chat(user, "a", "I'm vegetarian and I love spicy food.");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(recallTexts(user, null))
                .containsExactlyInAnyOrder("User is vegetarian", "User loves spicy food"));

        llm.reset();
        llm.replyToChat("How about a spicy chickpea curry?");
        chat(user, "b", "Suggest a dinner for me.");

        String prompt = llm.chatRequests().get(0).getBodyAsString();
        assertThat(prompt).contains("User is vegetarian").contains("User loves spicy food");
        assertThat(prompt).doesNotContain("I'm vegetarian and I love spicy food."); // a new session: no history
    }

    private static void chat(String user, String sessionId, String message) {
        given().contentType(ContentType.JSON)
                .body(Map.of("message", message))
                .post("/v1/users/" + user + "/sessions/" + sessionId + "/chat")
                .then()
                .statusCode(200);
    }
}
