package dev.agentmemory.chat;

import static dev.agentmemory.testing.Api.assertProblem;
import static dev.agentmemory.testing.Api.session;
import static dev.agentmemory.testing.Memories.store;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.agentmemory.redis.RedisKeys;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import dev.agentmemory.testing.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JSON chat turn against the stub LLM: prompt contents, saved history, enqueued job, failure modes. */
@QuarkusTest
class ChatTurnTest {

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

    static ValidatableResponse chat(String user, String sessionId, String message) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("message", message))
                .post("/v1/users/" + user + "/sessions/" + sessionId + "/chat")
                .then();
    }

    @Test
    void answersSavesTheExchangeAndEnqueuesExtraction() {
        String user = newUser();
        llm.replyToChat("Hello ", "there!");

        chat(user, "s1", "Hi!")
                .statusCode(200)
                .body("reply", equalTo("Hello there!"))
                .body("memories", empty());

        session(user, "s1")
                .body("messages.role", contains("user", "assistant"))
                .body("messages.content", contains("Hi!", "Hello there!"));
        assertThat(jobsOf(user)).singleElement().satisfies(job -> {
            assertThat(job)
                    .containsEntry("sessionId", "s1")
                    .containsEntry("user", "Hi!")
                    .containsEntry("assistant", "Hello there!");
        });
    }

    /** The extraction jobs of this user waiting in its job stream. */
    List<Map<String, String>> jobsOf(String user) {
        return redis.stream(String.class)
                .xrange(RedisKeys.jobs(user), io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"))
                .stream()
                .map(m -> m.payload())
                .toList();
    }

    @Test
    void promptCarriesHistoryRecallAndPreferences() {
        String user = newUser();
        store(user, "User is vegetarian", "preference", null);
        store(user, "User loves spicy food", "preference", null);
        store(user, "User's dentist appointment is on Friday", "event", null);
        llm.replyToChat("First answer.");
        chat(user, "s1", "What should I plant in my garden?").statusCode(200);

        llm.reset();
        llm.replyToChat("Try a spicy lentil curry.");
        chat(user, "s1", "Suggest a dinner for me.")
                .statusCode(200)
                .body("memories.text", hasItem("User is vegetarian"))
                .body("memories.text", hasItem("User loves spicy food"));

        String prompt = llm.chatRequests().get(0).getBodyAsString();
        assertThat(prompt)
                .contains("User is vegetarian")
                .contains("User loves spicy food")
                .contains("What should I plant in my garden?")
                .contains("First answer.")
                .contains("Suggest a dinner for me.");
        // The preferences open the list of what is known, before what recall found for the message.
        assertThat(prompt.indexOf("User loves spicy food")).isLessThan(prompt.indexOf("What should I plant"));
    }

    @Test
    void recallForTheMessageReachesThePrompt() {
        String user = newUser();
        store(user, "User's dentist appointment is on Friday", "event", null);
        llm.replyToChat("Friday.");

        chat(user, "s1", "When is my dentist appointment?")
                .statusCode(200)
                .body("memories.text", contains("User's dentist appointment is on Friday"));
        assertThat(llm.chatRequests().get(0).getBodyAsString()).contains("User's dentist appointment is on Friday");
    }

    @Test
    void serverErrorFromTheLlmIs503AndNothingIsSaved() {
        String user = newUser();
        llm.failChat(500, Map.of());

        assertProblem(chat(user, "s1", "Hello?"), 503)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("type", equalTo("urn:agent-memory:problem:llm-unavailable"));
        session(user, "s1").body("messages", empty());
        // Bounded retries: the first attempt and memory.llm.max-retries more.
        assertThat(llm.chatRequests()).hasSize(3);
    }

    @Test
    void completionWithoutAnyChoiceIs503AndNothingIsSaved() {
        String user = newUser();
        llm.replyToChatWithoutChoices();

        assertProblem(chat(user, "s1", "Hello?"), 503)
                .body("type", equalTo("urn:agent-memory:problem:llm-unavailable"))
                .body("detail", org.hamcrest.Matchers.containsString("no choice"));
        session(user, "s1").body("messages", empty());
        assertThat(jobsOf(user)).isEmpty();
    }

    @Test
    void connectionClosedBeforeTheReplyIsRetried() {
        String user = newUser();
        llm.dropFirstChatConnection("Back again.");

        chat(user, "s1", "Hello?").statusCode(200).body("reply", equalTo("Back again."));
        assertThat(llm.chatRequests()).hasSize(2);
    }

    @Test
    void scriptsForgottenByRedisAreLoadedAgain() {
        String user = newUser();
        llm.replyToChat("Fine.");
        store(user, "User is vegetarian", "preference", null);
        RedisTestResource.nodes().forEach(node -> node.command("SCRIPT", "FLUSH")); // every node of a cluster

        chat(user, "s1", "What do I eat?").statusCode(200).body("memories.text", contains("User is vegetarian"));
        session(user, "s1").body("messages.content", contains("What do I eat?", "Fine."));
    }

    @Test
    void rateLimitHonoursRetryAfterThenGivesUp() {
        String user = newUser();
        llm.failChat(429, Map.of("Retry-After", "1"));

        assertProblem(chat(user, "s1", "Hello?"), 503).header("Retry-After", equalTo("1"));
        session(user, "s1").body("messages", empty());
        assertThat(llm.chatRequests()).hasSize(3);
    }

    @Test
    void rateLimitLongerThanWeWaitFailsAtOnce() {
        String user = newUser();
        llm.failChat(429, Map.of("Retry-After", "120"));

        assertProblem(chat(user, "s1", "Hello?"), 503).header("Retry-After", equalTo("120"));
        assertThat(llm.chatRequests()).hasSize(1);
    }

    @Test
    void slowLlmTimesOutAs503() {
        String user = newUser();
        llm.delayChat(5_000, "too late");

        assertProblem(chat(user, "s1", "Hello?"), 503)
                .body("type", equalTo("urn:agent-memory:problem:llm-unavailable"));
        session(user, "s1").body("messages", empty());
    }

    @Test
    void badInputIs400() {
        assertProblem(
                        given().contentType(ContentType.JSON)
                                .body("{\"message\":\"  \"}")
                                .post("/v1/users/u1/sessions/s1/chat")
                                .then(),
                        400)
                .body("field", equalTo("message"));
        assertProblem(
                        given().contentType(ContentType.JSON)
                                .body("{}")
                                .post("/v1/users/u1/sessions/s1/chat/stream")
                                .then(),
                        400)
                .body("field", equalTo("message"));
        assertProblem(
                        given().urlEncodingEnabled(false)
                                .contentType(ContentType.JSON)
                                .body("{\"message\":\"hi\"}")
                                .post("/v1/users/a%7Db/sessions/s1/chat")
                                .then(),
                        400)
                .body("field", equalTo("userId"));
    }
}
