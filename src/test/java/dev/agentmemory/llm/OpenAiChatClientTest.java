package dev.agentmemory.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chat LLM client against a real HTTP server on loopback: replies whole and streamed, errors with their
 * Retry-After, and connections kept for the next call rather than closed after each reply.
 */
class OpenAiChatClientTest {

    private static final List<ChatLine> PROMPT =
            List.of(new ChatLine("system", "Be brief."), new ChatLine("user", "Hi!"));

    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private OpenAiChatClient client;
    private volatile int status = 200;

    @BeforeEach
    void start() throws Exception {
        server = vertx.createHttpServer()
                .connectionHandler(connection -> connections.incrementAndGet())
                .requestHandler(this::answer)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        client = new OpenAiChatClient(
                vertx,
                new ObjectMapper(),
                "http://127.0.0.1:" + server.actualPort() + "/v1",
                "key",
                "test-model",
                Duration.ofSeconds(5),
                4);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void wholeReplyComesInOnePieceFromAPlainRequest() {
        List<String> pieces = client.complete(PROMPT).collect().asList().await().atMost(Duration.ofSeconds(5));

        assertThat(pieces).containsExactly("Hello there!");
        JsonObject request = requests.get(0);
        assertThat(request.getString("model")).isEqualTo("test-model");
        assertThat(request.getBoolean("stream")).isFalse();
        assertThat(request.getJsonArray("messages").getJsonObject(1).getString("role"))
                .isEqualTo("user");
        assertThat(request.getJsonArray("messages").getJsonObject(1).getString("content"))
                .isEqualTo("Hi!");
    }

    @Test
    void streamedReplyComesInItsDeltas() {
        List<String> pieces = client.stream(PROMPT).collect().asList().await().atMost(Duration.ofSeconds(5));

        assertThat(pieces).containsExactly("Hello", " there", "!");
        assertThat(requests.get(0).getBoolean("stream")).isTrue();
    }

    @Test
    void connectionsAreKeptForTheNextCall() {
        for (int i = 0; i < 10; i++) {
            String reply = (i % 2 == 0 ? client.stream(PROMPT) : client.complete(PROMPT))
                    .collect()
                    .with(Collectors.joining())
                    .await()
                    .atMost(Duration.ofSeconds(5));
            assertThat(reply).isEqualTo("Hello there!");
        }
        assertThat(requests).hasSize(10);
        // A call that starts just as the previous one ends may find its connection not yet back in the pool and
        // open a second one; after that the two are reused.
        assertThat(connections.get()).isBetween(1, 2);
    }

    @Test
    void errorStatusFailsWithStatusAndRetryAfter() {
        status = 429;

        assertThatThrownBy(
                        () -> client.stream(PROMPT).collect().asList().await().atMost(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(LlmHttpException.class, failure -> {
                    assertThat(failure.status()).isEqualTo(429);
                    assertThat(failure.retryAfter()).isEqualTo("7");
                    assertThat(failure.getMessage()).contains("slow down");
                });
    }

    private void answer(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            JsonObject json = body.toJsonObject();
            requests.add(json);
            if (status != 200) {
                request.response()
                        .setStatusCode(status)
                        .putHeader("Retry-After", "7")
                        .end("{\"error\":{\"message\":\"slow down\"}}");
            } else if (json.getBoolean("stream")) {
                StringBuilder sse = new StringBuilder();
                for (String piece : List.of("Hello", " there", "!")) {
                    JsonObject delta = new JsonObject().put("content", piece);
                    sse.append("data: ")
                            .append(new JsonObject()
                                    .put("choices", List.of(new JsonObject().put("delta", delta)))
                                    .encode())
                            .append("\n\n");
                }
                sse.append("data: [DONE]\n\n");
                request.response()
                        .putHeader("Content-Type", "text/event-stream")
                        .setChunked(true)
                        .end(sse.toString());
            } else {
                JsonObject message = new JsonObject().put("role", "assistant").put("content", "Hello there!");
                request.response()
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject()
                                .put("choices", List.of(new JsonObject().put("message", message)))
                                .encode());
            }
        });
    }
}
