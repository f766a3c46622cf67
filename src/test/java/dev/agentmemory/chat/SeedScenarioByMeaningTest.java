package dev.agentmemory.chat;

import static dev.agentmemory.testing.Memories.recallTexts;
import static dev.agentmemory.testing.Memories.store;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import dev.agentmemory.testing.TestTexts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The seed scenario without the preferences that every prompt carries: "Suggest a dinner for me." shares no word with
 * "User is vegetarian" or "User loves spicy food", and the user has thirty other memories; recall by meaning alone
 * must bring both into the turn.
 */
@QuarkusTest
@TestProfile(SeedScenarioByMeaningTest.NoPinnedPreferences.class)
class SeedScenarioByMeaningTest {

    public static class NoPinnedPreferences implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("memory.chat.max-preferences", "0");
        }
    }

    @Test
    void aDinnerQuestionRecallsTheDietaryFactsAmongThirtyOthers() {
        String user = "u-" + UUID.randomUUID();
        List<String> unrelated = TestTexts.lines("recall/unrelated-user-facts.txt");
        assertThat(unrelated).hasSizeGreaterThanOrEqualTo(30);
        unrelated.forEach(text -> store(user, text, "fact", null));
        OpenAiStub llm = OpenAiStubResource.stub();
        llm.reset();
        llm.replyToChat("Noted: vegetarian, and spicy is good.");
        llm.replyToExtraction("User is vegetarian", "preference", "User loves spicy food", "preference");

        chat(user, "a", "I'm vegetarian and I love spicy food.");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(recallTexts(user, null))
                .contains("User is vegetarian", "User loves spicy food"));

        llm.reset();
        llm.replyToChat("How about a spicy chickpea curry?");
        List<String> recalled = given().contentType(ContentType.JSON)
                .body(Map.of("message", "Suggest a dinner for me."))
                .post("/v1/users/" + user + "/sessions/b/chat")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("memories.text", String.class);

        assertThat(recalled).hasSizeLessThanOrEqualTo(5).contains("User is vegetarian", "User loves spicy food");
        assertThat(llm.chatRequests().get(0).getBodyAsString())
                .contains("User is vegetarian")
                .contains("User loves spicy food");
    }

    private static void chat(String user, String sessionId, String message) {
        given().contentType(ContentType.JSON)
                .body(Map.of("message", message))
                .post("/v1/users/" + user + "/sessions/" + sessionId + "/chat")
                .then()
                .statusCode(200);
    }
}
