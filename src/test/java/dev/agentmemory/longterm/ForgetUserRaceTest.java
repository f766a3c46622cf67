package dev.agentmemory.longterm;

import static dev.agentmemory.testing.Memories.recallTexts;
import static dev.agentmemory.testing.Memories.store;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.extraction.ExtractionWorker;
import dev.agentmemory.extraction.Jobs;
import dev.agentmemory.extraction.ManualWorkerProfile;
import dev.agentmemory.redis.UserGeneration;
import dev.agentmemory.testing.Api;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import dev.agentmemory.testing.RedisTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forgetting a user holds: after {@code DELETE /v1/users/{id}} returns, nothing of the user comes back, not from the
 * extraction jobs that were pending, nor from one that was running, nor from its retry, nor from a chat turn that was
 * waiting for the LLM; no key of the user is left ({@code SCAN}). The worker is driven by the test.
 */
@QuarkusTest
@TestProfile(ManualWorkerProfile.class)
class ForgetUserRaceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ExtractionWorker worker;

    @Inject
    Jobs jobs;

    @Inject
    RedisDataSource redis;

    @Inject
    UserGeneration generations;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URL base;

    OpenAiStub llm;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void reset() {
        llm = OpenAiStubResource.stub();
        llm.reset();
        jobs.clearQueue();
    }

    @Test
    void pendingJobsThenForgetThenTheWorkerDrainsAndNoKeyOfTheUserIsLeft() {
        String user = newUser();
        store(user, "User likes green tea", "preference", null);
        jobs.save(user, "s1", "I live in Porto.");
        jobs.save(user, "s1", "I have a dog called Pixel.");
        jobs.save(user, "s2", "I work as a nurse.");
        assertThat(keysOf(user)).isNotEmpty();

        given().delete("/v1/users/" + user).then().statusCode(204);
        llm.replyToExtraction("User lives in Porto", "fact", "User has a dog called Pixel", "fact");
        drain();

        assertThat(keysOf(user)).isEmpty();
        assertThat(jobs.keysOf(user)).isEmpty();
        assertThat(recallTexts(user, null)).isEmpty();
        assertThat(llm.extractionRequests()).isEmpty(); // the forget took the jobs before any worker did
    }

    @Test
    void aJobRunningWhileTheUserIsForgottenStoresNothing() throws Exception {
        String user = newUser();
        double storedBefore = factsStored();
        llm.delayExtraction(3_000, "User plays the cello", "fact");
        jobs.save(user, "s1", "I play the cello.");

        // The worker has taken the job and waits for the model when the user is forgotten.
        CompletableFuture<Integer> round = worker.processAvailable().subscribeAsCompletionStage();
        poll().until(() -> llm.extractionRequests().size() == 1);
        given().delete("/v1/users/" + user).then().statusCode(204);
        assertThat(round)
                .as("the job was still running when the forget returned")
                .isNotDone();

        assertThat(round.get(20, TimeUnit.SECONDS)).isEqualTo(1);
        drain();
        assertThat(keysOf(user)).isEmpty();
        assertThat(recallTexts(user, null)).isEmpty();
        assertThat(factsStored()).isEqualTo(storedBefore);
    }

    @Test
    void aJobRetriedAfterTheForgetStoresNothing() {
        String user = newUser();
        llm.failExtraction(500);
        jobs.save(user, "s1", "I was born in Lyon.");
        assertThat(process()).isEqualTo(1); // first attempt failed: the job stays, with its attempt counted
        assertThat(keysOf(user)).isNotEmpty();

        given().delete("/v1/users/" + user).then().statusCode(204);
        llm.reset();
        llm.replyToExtraction("User was born in Lyon", "fact");
        drain();

        assertThat(keysOf(user)).isEmpty();
        assertThat(recallTexts(user, null)).isEmpty();
    }

    @Test
    void aTurnWaitingForTheModelWhileTheUserIsForgottenSavesNothing() throws Exception {
        String user = newUser();
        store(user, "User is vegetarian", "preference", null);
        llm.delayChat(1_500, "Try the lentil curry.");

        CompletableFuture<HttpResponse<String>> turn =
                http.sendAsync(chatRequest(user, "/chat", "application/json"), HttpResponse.BodyHandlers.ofString());
        poll().until(() -> llm.chatRequests().size() == 1);
        given().delete("/v1/users/" + user).then().statusCode(204);
        assertThat(turn)
                .as("the turn was still waiting for the model when the forget returned")
                .isNotDone();

        HttpResponse<String> response = turn.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(response.body()).path("type").asText())
                .isEqualTo("urn:agent-memory:problem:user-erased");
        drain();
        assertThat(keysOf(user)).isEmpty();
        assertThat(llm.extractionRequests()).isEmpty();
    }

    @Test
    void aStreamedTurnWhileTheUserIsForgottenEndsWithAnErrorAndSavesNothing() throws Exception {
        String user = newUser();
        store(user, "User is vegetarian", "preference", null);
        llm.replyToChatSlowly(1_500, "Try ", "the ", "lentil ", "curry.");

        CompletableFuture<HttpResponse<String>> turn = http.sendAsync(
                chatRequest(user, "/chat/stream", "text/event-stream"), HttpResponse.BodyHandlers.ofString());
        poll().until(() -> llm.chatRequests().size() == 1);
        given().delete("/v1/users/" + user).then().statusCode(204);
        assertThat(turn)
                .as("the turn was still streaming when the forget returned")
                .isNotDone();

        HttpResponse<String> response = turn.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> events = events(response.body());
        assertThat(events).doesNotContain("done").endsWith("error");
        JsonNode error = lastData(response.body());
        assertThat(error.path("status").asInt()).isEqualTo(409);
        assertThat(error.path("type").asText()).isEqualTo("urn:agent-memory:problem:user-erased");
        drain();
        assertThat(keysOf(user)).isEmpty();
    }

    @Test
    void whileTheUserIsBeingForgottenEveryWriteIsRefusedAndNoModelIsCalled() {
        String user = newUser();
        String id = store(user, "User is vegetarian", "preference", null);
        llm.replyToChat("Hello!");
        // The forget's first step, left there as by a replica that died in the middle of a forget.
        generations.beginForget(user).await().atMost(Duration.ofSeconds(5));
        try {
            erased(given().contentType(ContentType.JSON)
                    .body(Map.of("text", "User likes tea"))
                    .post("/v1/users/" + user + "/memories"));
            erased(given().contentType(ContentType.JSON)
                    .body(Map.of("text", "User is a vegan"))
                    .patch("/v1/users/" + user + "/memories/" + id));
            erased(given().contentType(ContentType.JSON)
                    .body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .post("/v1/users/" + user + "/sessions/s1/messages"));
            erased(given().contentType(ContentType.JSON)
                    .body(Map.of("message", "Hi"))
                    .post("/v1/users/" + user + "/sessions/s1/chat"));
            assertThat(llm.chatRequests()).isEmpty();
            // Reads and deletes go on.
            assertThat(recallTexts(user, null)).containsExactly("User is vegetarian");
        } finally {
            generations.endForget(user).await().atMost(Duration.ofSeconds(5));
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("text", "User likes tea"))
                .post("/v1/users/" + user + "/memories")
                .then()
                .statusCode(201);
    }

    private static void erased(io.restassured.response.Response response) {
        Api.assertProblem(response.then(), 409)
                .body("type", org.hamcrest.Matchers.equalTo("urn:agent-memory:problem:user-erased"));
    }

    @Test
    void aUserWhoComesBackAfterTheForgetStartsAfresh() {
        String user = newUser();
        jobs.save(user, "s1", "I live in Porto.");
        given().delete("/v1/users/" + user).then().statusCode(204);

        llm.replyToChat("Welcome!");
        llm.replyToExtraction("User lives in Braga", "fact");
        given().contentType(ContentType.JSON)
                .body(Map.of("message", "I live in Braga now."))
                .post("/v1/users/" + user + "/sessions/s9/chat")
                .then()
                .statusCode(200);
        drain();
        assertThat(recallTexts(user, null)).containsExactly("User lives in Braga");
        assertThat(keysOf(user)).isNotEmpty();
    }

    /**
     * Every key whose name holds the user's hash tag, by {@code SCAN} over the whole keyspace (of every master of a
     * cluster: the service's client would scan one node).
     */
    private List<String> keysOf(String user) {
        return RedisTestResource.keys("*{" + user + "}*");
    }

    /** Runs worker rounds until one finds nothing to do. */
    private void drain() {
        poll().until(() -> process() == 0);
    }

    private int process() {
        return worker.processAvailable().await().atMost(Duration.ofSeconds(20));
    }

    private double factsStored() {
        return registry.counter("memory.extraction.facts", "outcome", "stored").count();
    }

    private HttpRequest chatRequest(String user, String path, String accept) throws Exception {
        return HttpRequest.newBuilder(URI.create(base + "v1/users/" + user + "/sessions/s1" + path))
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("message", "What should I cook tonight?"))))
                .build();
    }

    private static List<String> events(String body) {
        return body.lines()
                .filter(line -> line.startsWith("event:"))
                .map(line -> line.substring(6).trim())
                .toList();
    }

    private static JsonNode lastData(String body) throws Exception {
        List<String> data = body.lines()
                .filter(line -> line.startsWith("data:"))
                .map(line -> line.substring(5).trim())
                .toList();
        return JSON.readTree(data.get(data.size() - 1));
    }

    private static String newUser() {
        return "gone-" + UUID.randomUUID();
    }

    private static ConditionFactory poll() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20));
    }
}
