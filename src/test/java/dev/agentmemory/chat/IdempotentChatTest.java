package dev.agentmemory.chat;

import static dev.agentmemory.testing.Api.assertProblem;
import static dev.agentmemory.testing.Api.session;
import static dev.agentmemory.testing.Memories.store;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.agentmemory.redis.RedisKeys;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import dev.agentmemory.testing.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chat turns sent with an {@code Idempotency-Key}: a retry gets the first turn's reply without a second LLM call or a
 * second saved exchange, waits for a first attempt still running, runs the turn when the first attempt failed, and
 * replays a streamed turn as events.
 */
@QuarkusTest
class IdempotentChatTest {

    private static final Pattern EVENT = Pattern.compile("(?m)^event:\\s*(\\w+)\\s*$");

    @Inject
    RedisDataSource redis;

    OpenAiStub llm;

    @BeforeEach
    void resetStub() {
        llm = OpenAiStubResource.stub();
        llm.reset();
    }

    @Test
    void retryGetsTheFirstReplyWithoutASecondLlmCallOrSavedExchange() {
        String user = newUser();
        store(user, "User is vegetarian", "preference", null);
        llm.replyToChat("Try a ", "lentil curry.");

        chat(user, "s1", "k-1", "Suggest a dinner.")
                .statusCode(200)
                .body("reply", equalTo("Try a lentil curry."))
                .body("memories.text", contains("User is vegetarian"));
        llm.reset();
        llm.replyToChat("Something else entirely.");
        chat(user, "s1", "k-1", "Suggest a dinner.")
                .statusCode(200)
                .body("reply", equalTo("Try a lentil curry."))
                .body("memories.text", contains("User is vegetarian"));

        assertThat(llm.chatRequests()).isEmpty();
        session(user, "s1").body("messages.content", contains("Suggest a dinner.", "Try a lentil curry."));
        assertThat(redis.stream(String.class).xlen(RedisKeys.jobs(user))).isLessThanOrEqualTo(1);
        // Another key, or the same key in another session, is another turn.
        chat(user, "s1", "k-2", "Suggest a dinner.").statusCode(200).body("reply", equalTo("Something else entirely."));
        chat(user, "s2", "k-1", "Suggest a dinner.").statusCode(200).body("reply", equalTo("Something else entirely."));
    }

    @Test
    void retryWhileTheFirstAttemptRunsWaitsForItsReply() {
        String user = newUser();
        llm.delayChat(1500, "A slow reply.");

        CompletableFuture<String> first = CompletableFuture.supplyAsync(() ->
                chat(user, "s1", "k-1", "Hello?").statusCode(200).extract().path("reply"));
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !llm.chatRequests().isEmpty());
        chat(user, "s1", "k-1", "Hello?").statusCode(200).body("reply", equalTo("A slow reply."));

        assertThat(first.join()).isEqualTo("A slow reply.");
        assertThat(llm.chatRequests()).hasSize(1);
        session(user, "s1").body("messages.content", contains("Hello?", "A slow reply."));
    }

    @Test
    void retryAfterAFailedTurnRunsIt() {
        String user = newUser();
        llm.failChat(500, Map.of());
        assertProblem(chat(user, "s1", "k-1", "Hello?"), 503);
        session(user, "s1").body("messages", org.hamcrest.Matchers.empty());

        llm.reset();
        llm.replyToChat("Hello!");
        chat(user, "s1", "k-1", "Hello?").statusCode(200).body("reply", equalTo("Hello!"));
        session(user, "s1").body("messages.content", contains("Hello?", "Hello!"));
    }

    @Test
    void streamedTurnIsReplayedAsEventsAndAnsweredAsJson() {
        String user = newUser();
        llm.replyToChat("Hi ", "there!");

        List<String> first = events(stream(user, "s1", "k-1", "Hello?").statusCode(200));
        List<String> again = events(stream(user, "s1", "k-1", "Hello?").statusCode(200));

        assertThat(first).startsWith("memories").endsWith("done").contains("token");
        assertThat(again).containsExactly("memories", "token", "done");
        stream(user, "s1", "k-1", "Hello?").body(org.hamcrest.Matchers.containsString("Hi there!"));
        chat(user, "s1", "k-1", "Hello?").statusCode(200).body("reply", equalTo("Hi there!"));
        assertThat(llm.chatRequests()).hasSize(1);
        session(user, "s1").body("messages.content", contains("Hello?", "Hi there!"));
    }

    @Test
    void keySentAgainWithAnotherMessageIsRefused() {
        String user = newUser();
        llm.replyToChat("Fine.");
        chat(user, "s1", "k-1", "First message.").statusCode(200);

        assertProblem(chat(user, "s1", "k-1", "Another message."), 422)
                .body("type", equalTo("urn:agent-memory:problem:idempotency-key-reused"))
                .body("field", equalTo("Idempotency-Key"));
        assertThat(llm.chatRequests()).hasSize(1);
    }

    @Test
    void invalidKeyIsABadRequestNamingTheHeader() {
        assertProblem(chat(newUser(), "s1", "not a key!", "Hello?"), 400).body("field", equalTo("Idempotency-Key"));
        assertProblem(stream(newUser(), "s1", "{braces}", "Hello?"), 400).body("field", equalTo("Idempotency-Key"));
        assertThat(llm.chatRequests()).isEmpty();
    }

    @Test
    void forgettingTheUserForgetsItsTurnRecords() {
        String user = newUser();
        llm.replyToChat("Noted.");
        chat(user, "s1", "k-1", "Hello?").statusCode(200);
        assertThat(RedisTestResource.keys("turn*{" + user + "}*")).hasSize(2); // the record and the user's registry

        given().delete("/v1/users/" + user).then().statusCode(204);

        assertThat(RedisTestResource.keys("*{" + user + "}*")).isEmpty();
    }

    private static ValidatableResponse chat(String user, String session, String key, String message) {
        return given().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(Map.of("message", message))
                .post("/v1/users/" + user + "/sessions/" + session + "/chat")
                .then();
    }

    private static ValidatableResponse stream(String user, String session, String key, String message) {
        return given().contentType(ContentType.JSON)
                .accept("text/event-stream")
                .header("Idempotency-Key", key)
                .body(Map.of("message", message))
                .post("/v1/users/" + user + "/sessions/" + session + "/chat/stream")
                .then();
    }

    private static List<String> events(ValidatableResponse response) {
        List<String> names = new ArrayList<>();
        Matcher matcher = EVENT.matcher(response.extract().asString());
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static String newUser() {
        return "idem-" + UUID.randomUUID();
    }
}
