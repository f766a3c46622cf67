package dev.agentmemory.chat;

import static dev.agentmemory.testing.Api.session;
import static dev.agentmemory.testing.Memories.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The streamed chat turn: event order, failure as an error event, and a client that leaves mid-stream. */
@QuarkusTest
class ChatStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @jakarta.inject.Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    @TestHTTPResource("/")
    URL base;

    OpenAiStub llm;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void resetStub() {
        llm = OpenAiStubResource.stub();
        llm.reset();
    }

    record Event(String name, JsonNode data) {}

    HttpRequest streamRequest(String user, String sessionId, String message) throws Exception {
        return HttpRequest.newBuilder(URI.create(base + "v1/users/" + user + "/sessions/" + sessionId + "/chat/stream"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("message", message))))
                .build();
    }

    List<Event> readAll(String user, String sessionId, String message) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> response =
                http.send(streamRequest(user, sessionId, message), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<Event> events = new ArrayList<>();
        String name = null;
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                events.add(new Event(name, JSON.readTree(line.substring(5).trim())));
            }
        }
        return events;
    }

    @Test
    void eventsArriveAsMemoriesThenTokensThenDone() throws Exception {
        String user = "u-" + UUID.randomUUID();
        store(user, "User is vegetarian", "preference", null);
        llm.replyToChat("How ", "about ", "a ", "lentil ", "curry?");

        List<Event> events = readAll(user, "s1", "Suggest a dinner for me.");

        assertThat(events)
                .extracting(Event::name)
                .containsExactly("memories", "token", "token", "token", "token", "token", "done");
        assertThat(events.get(0).data().get("memories").get(0).get("text").asText())
                .isEqualTo("User is vegetarian");
        assertThat(events.subList(1, 6))
                .extracting(e -> e.data().get("text").asText())
                .containsExactly("How ", "about ", "a ", "lentil ", "curry?");
        assertThat(events.get(6).data().get("reply").asText()).isEqualTo("How about a lentil curry?");
        session(user, "s1")
                .body(
                        "messages.content",
                        org.hamcrest.Matchers.contains("Suggest a dinner for me.", "How about a lentil curry?"));
    }

    @Test
    void llmFailureIsAnErrorEventAndNothingIsSaved() throws Exception {
        String user = "u-" + UUID.randomUUID();
        llm.failChat(500, Map.of());

        List<Event> events = readAll(user, "s1", "Hello?");

        assertThat(events).extracting(Event::name).containsExactly("memories", "error");
        assertThat(events.get(1).data().get("status").asInt()).isEqualTo(503);
        assertThat(events.get(1).data().get("type").asText()).isEqualTo("urn:agent-memory:problem:llm-unavailable");
        session(user, "s1").body("messages", org.hamcrest.Matchers.empty());
    }

    @Test
    void streamCutShortIsAnErrorEventAndNothingIsSaved() throws Exception {
        String user = "u-" + UUID.randomUUID();
        llm.cutChatStream("Half ", "a ");

        List<Event> events = readAll(user, "s1", "Hello?");

        assertThat(events).extracting(Event::name).containsExactly("memories", "token", "token", "error");
        assertThat(events.get(3).data().get("status").asInt()).isEqualTo(503);
        assertThat(events.get(3).data().get("detail").asText()).contains("without a finish reason");
        assertNothingSaved(user);
    }

    @Test
    void streamedRequestAnsweredWithAPlainBodyIsAnErrorEventAndNothingIsSaved() throws Exception {
        String user = "u-" + UUID.randomUUID();
        llm.answerStreamWithJson("A whole reply, not streamed.");

        List<Event> events = readAll(user, "s1", "Hello?");

        assertThat(events).extracting(Event::name).containsExactly("memories", "error");
        assertThat(events.get(1).data().get("status").asInt()).isEqualTo(503);
        assertNothingSaved(user);
    }

    @Test
    void connectionClosedBeforeTheStreamIsRetried() throws Exception {
        String user = "u-" + UUID.randomUUID();
        llm.dropFirstChatConnection("Back again.");

        List<Event> events = readAll(user, "s1", "Hello?");

        assertThat(events).extracting(Event::name).containsExactly("memories", "token", "done");
        assertThat(events.get(2).data().get("reply").asText()).isEqualTo("Back again.");
        assertThat(llm.chatRequests()).hasSize(2);
        session(user, "s1").body("messages.content", org.hamcrest.Matchers.contains("Hello?", "Back again."));
    }

    private void assertNothingSaved(String user) {
        session(user, "s1").body("messages", org.hamcrest.Matchers.empty());
        assertThat(redis.stream(String.class)
                        .xrange("extraction:jobs", io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"))
                        .stream()
                        .filter(m -> user.equals(m.payload().get("userId"))))
                .isEmpty();
    }

    @Test
    void clientLeavingMidStreamLeavesTheHistoryConsistent() throws Exception {
        String user = "u-" + UUID.randomUUID();
        llm.replyToChatSlowly(2_000, "one ", "two ", "three ", "four ", "five ", "six ", "seven ", "eight");

        HttpResponse<java.io.InputStream> response =
                http.send(streamRequest(user, "s1", "Count to eight."), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null && !line.startsWith("event:token")) {
                // read up to the first token, then hang up
            }
            assertThat(line).startsWith("event:token");
        }

        // The abandoned turn is cancelled: once the model would have finished, nothing of it was saved.
        await().pollDelay(Duration.ofMillis(2_500))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertNothingSaved(user));
    }
}
