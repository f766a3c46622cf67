package dev.agentmemory.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Many streamed turns at once, more than the LLM client has connections: each one waits for a connection that
 * another stream has just finished with, and must get one that is still open.
 */
@QuarkusTest
@TestProfile(ConcurrentStreamsTest.FewConnections.class)
class ConcurrentStreamsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TURNS = 24;
    private static final Pattern LAST_EVENT = Pattern.compile("(?s).*event:\\s*(\\w+)");

    public static class FewConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("memory.llm.max-connections", "2");
        }
    }

    @TestHTTPResource("/")
    URL base;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyConcurrentStreamedTurnEndsWithDoneWithoutARetriedCall() throws Exception {
        OpenAiStub llm = OpenAiStubResource.stub();
        llm.reset();
        llm.replyToChat("All ", "good.");

        List<CompletableFuture<HttpResponse<String>>> turns = IntStream.range(0, TURNS)
                .mapToObj(i -> http.sendAsync(request("u-" + UUID.randomUUID()), HttpResponse.BodyHandlers.ofString()))
                .toList();

        for (CompletableFuture<HttpResponse<String>> turn : turns) {
            HttpResponse<String> response = turn.get();
            assertThat(response.statusCode()).isEqualTo(200);
            Matcher last = LAST_EVENT.matcher(response.body());
            assertThat(last.find()).isTrue();
            assertThat(last.group(1)).as(response.body()).isEqualTo("done");
        }
        assertThat(llm.chatRequests()).hasSize(TURNS);
    }

    private HttpRequest request(String user) {
        try {
            return HttpRequest.newBuilder(URI.create(base + "v1/users/" + user + "/sessions/s1/chat/stream"))
                    .header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("message", "Hi"))))
                    .build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
