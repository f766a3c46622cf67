package dev.agentmemory.chat;

import static dev.agentmemory.testing.Api.append;
import static dev.agentmemory.testing.Api.assertProblem;
import static dev.agentmemory.testing.Api.message;
import static dev.agentmemory.testing.Api.session;
import static dev.agentmemory.testing.Api.sessionPath;
import static dev.agentmemory.testing.Memories.recallTexts;
import static dev.agentmemory.testing.Memories.store;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.redis.RedisKeys;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent that calls its own LLM: {@code …/prompt} answers exactly what a chat turn would send, and
 * {@code …/messages} with {@code "extract": true} gives its exchanges long-term memory as a chat turn does.
 */
@QuarkusTest
class AgentApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RedisDataSource redis;

    OpenAiStub llm;

    @BeforeEach
    void resetStub() {
        llm = OpenAiStubResource.stub();
        llm.reset();
    }

    static String newUser() {
        return "u-" + UUID.randomUUID();
    }

    static ValidatableResponse prompt(String user, String sessionId, String message) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("message", message))
                .post(sessionPath(user, sessionId) + "/prompt")
                .then();
    }

    static ValidatableResponse appendAndExtract(String user, String sessionId, Map<?, ?>... messages) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("messages", List.of(messages), "extract", true))
                .post(sessionPath(user, sessionId) + "/messages")
                .then();
    }

    @Test
    void promptIsExactlyWhatTheChatTurnSendsAndSavesNothing() throws Exception {
        String user = newUser();
        store(user, "User is vegetarian", "preference", null);
        store(user, "User's dentist appointment is on Friday", "event", null);
        store(user, "User plays the cello", "fact", null);
        append(user, "s1", message("user", "Hello!"), message("assistant", "Hi, how can I help?"))
                .statusCode(200);

        JsonPath prompt = prompt(user, "s1", "When is my dentist appointment?")
                .statusCode(200)
                .body("messages.role", contains("system", "user", "assistant", "user"))
                .body("messages[3].content", equalTo("When is my dentist appointment?"))
                .extract()
                .jsonPath();
        assertThat(prompt.getString("messages[0].content"))
                .contains("User is vegetarian")
                .contains("User's dentist appointment is on Friday")
                .doesNotContain("cello");
        assertThat(prompt.getList("memories.text", String.class))
                .containsExactlyInAnyOrder("User is vegetarian", "User's dentist appointment is on Friday");
        assertThat(prompt.getList("memories.id", String.class)).doesNotContainNull();
        // Nothing saved, no model called.
        session(user, "s1").body("messages", org.hamcrest.Matchers.hasSize(2));
        assertThat(llm.chatRequests()).isEmpty();

        llm.replyToChat("On Friday.");
        ChatTurnTest.chat(user, "s1", "When is my dentist appointment?").statusCode(200);
        assertThat(sentMessages(llm.chatRequests().get(0).getBodyAsString()))
                .isEqualTo(prompt.getList("messages", Map.class));
    }

    @Test
    void promptOfAnUnknownUserIsTheSystemPromptAndTheMessage() {
        prompt(newUser(), "s1", "Hi there")
                .statusCode(200)
                .body("messages.role", contains("system", "user"))
                .body(
                        "messages[0].content",
                        org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("What you know about the user")))
                .body("memories", org.hamcrest.Matchers.empty());
    }

    @Test
    void promptNamesItsBadInput() {
        assertProblem(prompt(newUser(), "s1", " "), 400).body("field", equalTo("message"));
        assertProblem(prompt("bad user", "s1", "Hi"), 400).body("field", equalTo("userId"));
    }

    @Test
    void extractTrueStoresTheFactsOfTheExchangeAndThePromptHoldsThem() {
        String user = newUser();
        llm.replyToExtraction("User is allergic to peanuts", "preference");

        appendAndExtract(
                        user,
                        "s1",
                        message("user", "I'm allergic to peanuts, by the way."),
                        message("assistant", "Thanks, I'll keep that in mind."))
                .statusCode(200)
                .body("appended", equalTo(2))
                .body("size", equalTo(2));

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(
                        () -> assertThat(recallTexts(user, null)).containsExactly("User is allergic to peanuts"));
        String transcript = llm.extractionRequests().get(0).getBodyAsString();
        assertThat(transcript)
                .contains("I'm allergic to peanuts, by the way.")
                .contains("Thanks, I'll keep that in mind.");

        JsonPath prompt = prompt(user, "s2", "What snack should I buy?")
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(prompt.getString("messages[0].content")).contains("User is allergic to peanuts");
        assertThat(prompt.getList("memories.source", String.class)).containsExactly("s1");
    }

    @Test
    void withoutExtractNoJobIsQueued() {
        String user = newUser();
        append(user, "s1", message("user", "I live in Lisbon."), message("assistant", "Nice!"))
                .statusCode(200);
        given().contentType(ContentType.JSON)
                .body(Map.of("messages", List.of(message("user", "I like jazz.")), "extract", false))
                .post(sessionPath(user, "s1") + "/messages")
                .then()
                .statusCode(200);

        assertThat(redis.key().exists(RedisKeys.jobs(user))).isFalse();
        session(user, "s1").body("messages", org.hamcrest.Matchers.hasSize(3));
    }

    @Test
    void extractWithoutAUserMessageIs400AndAppendsNothing() {
        String user = newUser();

        assertProblem(appendAndExtract(user, "s1", message("assistant", "Anything else?")), 400)
                .body("field", equalTo("messages"));
        session(user, "s1").body("messages", org.hamcrest.Matchers.empty());
    }

    @Test
    void extractMustBeABoolean() {
        assertProblem(
                        given().contentType(ContentType.JSON)
                                .body(Map.of("messages", List.of(message("user", "Hi")), "extract", "yes please"))
                                .post(sessionPath(newUser(), "s1") + "/messages")
                                .then(),
                        400)
                .body("field", equalTo("extract"));
    }

    /** The messages of a chat-completions request, as role and content. */
    private static List<Map<String, Object>> sentMessages(String body) throws Exception {
        List<Map<String, Object>> messages = new ArrayList<>();
        for (JsonNode line : JSON.readTree(body).get("messages")) {
            messages.add(Map.of(
                    "role",
                    line.get("role").asText(),
                    "content",
                    line.get("content").asText()));
        }
        return messages;
    }
}
