package dev.agentmemory.bench.perf;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible chat-completions server that answers at once, so a benchmark measures the service and
 * not a model: chat requests get a short reply (as SSE chunks when {@code "stream": true}, as one JSON
 * completion otherwise); extraction requests (those with a {@code response_format}) get one fact, drawn from a
 * small fixed set so that repeated turns exercise dedupe instead of growing the store without end.
 */
public final class InstantLlm implements AutoCloseable {

    /** The reply's pieces: one SSE chunk each when streaming. */
    public static final String[] REPLY = {"Sure", ", ", "here is", " a", " quick", " answer", "."};

    private static final String[] FACTS = {
        "User is vegetarian", "User loves spicy food", "User lives in Lisbon", "User plays the cello",
        "User works as a nurse", "User has a dog named Pixel", "User is learning Japanese", "User runs marathons",
    };

    private final HttpServer server;
    private final AtomicLong chats = new AtomicLong();
    private final AtomicLong extractions = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    private InstantLlm(HttpServer server) {
        this.server = server;
    }

    /** Starts the server on a free loopback port, on its own event loop. */
    public static InstantLlm start(Vertx vertx) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"));
        InstantLlm llm = new InstantLlm(server);
        server.connectionHandler(connection -> llm.connections.incrementAndGet());
        server.exceptionHandler(failure -> llm.errors.incrementAndGet());
        server.requestHandler(request -> request.body().onSuccess(body -> llm.answer(request, body)));
        server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return llm;
    }

    /** The base URL to configure as {@code OPENAI_BASE_URL}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1/";
    }

    public int port() {
        return server.actualPort();
    }

    /** The whole reply to a chat request. */
    public static String reply() {
        return String.join("", REPLY);
    }

    public long chats() {
        return chats.get();
    }

    /** Connections accepted so far: a client that reuses connections keeps this small. */
    public long connections() {
        return connections.get();
    }

    /** Connection-level errors (resets, malformed requests) so far. */
    public long errors() {
        return errors.get();
    }

    public long extractions() {
        return extractions.get();
    }

    private void answer(HttpServerRequest request, Buffer body) {
        if (!request.path().endsWith("/chat/completions")) {
            request.response().setStatusCode(404).end();
            return;
        }
        JsonObject json = body.toJsonObject();
        if (json.containsKey("response_format")) {
            long n = extractions.getAndIncrement();
            String facts = new JsonObject()
                    .put(
                            "facts",
                            new JsonArray()
                                    .add(new JsonObject()
                                            .put("text", FACTS[(int) (n % FACTS.length)])
                                            .put("kind", "fact")))
                    .encode();
            json(request, facts);
        } else if (json.getBoolean("stream", false)) {
            chats.incrementAndGet();
            stream(request);
        } else {
            chats.incrementAndGet();
            json(request, String.join("", REPLY));
        }
    }

    private static void json(HttpServerRequest request, String content) {
        JsonObject message = new JsonObject().put("role", "assistant").put("content", content);
        JsonObject completion = completion("chat.completion", "message", message, "stop")
                .put(
                        "usage",
                        new JsonObject()
                                .put("prompt_tokens", 1)
                                .put("completion_tokens", 1)
                                .put("total_tokens", 2));
        request.response().putHeader("Content-Type", "application/json").end(completion.encode());
    }

    private static void stream(HttpServerRequest request) {
        StringBuilder sse = new StringBuilder(1024);
        for (int i = 0; i < REPLY.length; i++) {
            JsonObject delta = new JsonObject();
            if (i == 0) {
                delta.put("role", "assistant");
            }
            delta.put("content", REPLY[i]);
            sse.append("data: ").append(chunk(delta, null).encode()).append("\n\n");
        }
        sse.append("data: ").append(chunk(new JsonObject(), "stop").encode()).append("\n\n");
        sse.append("data: [DONE]\n\n");
        request.response().putHeader("Content-Type", "text/event-stream").end(sse.toString());
    }

    private static JsonObject chunk(JsonObject delta, String finishReason) {
        return completion("chat.completion.chunk", "delta", delta, finishReason);
    }

    /** A completion (or chunk) object with one choice carrying {@code field}. */
    private static JsonObject completion(String object, String field, JsonObject value, String finishReason) {
        return new JsonObject()
                .put("id", "chatcmpl-instant")
                .put("object", object)
                .put("created", 1)
                .put("model", "instant")
                .put(
                        "choices",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("index", 0)
                                        .put(field, value)
                                        .put("finish_reason", finishReason)));
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
