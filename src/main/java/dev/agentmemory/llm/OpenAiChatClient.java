package dev.agentmemory.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.config.MemoryConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calls to an OpenAI-compatible {@code /chat/completions} endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, LM Studio,
 * …) on a pooled, kept-alive Vert.x HTTP client: non-blocking, one JSON body for a whole reply, server-sent events
 * for a streamed one. The chat turn streams or completes through it; extraction asks it for a reply that follows a
 * JSON schema (OpenAI structured outputs).
 *
 * <p>Settings: {@code memory.llm.base-url}, {@code api-key} and {@code model} ({@code OPENAI_BASE_URL},
 * {@code OPENAI_API_KEY}, {@code OPENAI_MODEL}). A connection goes back to the pool when its response has been
 * read, and is closed only when a caller cancels mid-reply, so a turn does not pay a TCP and TLS handshake.
 *
 * <p>A failed response (status ≥ 400) fails with {@link LlmHttpException}, which carries the status and the
 * server's {@code Retry-After}; this client never retries (the chat turn's retries are its own, extraction's go
 * through its queue).
 *
 * <p>Its HTTP client is created at start-up ({@link Startup}), on a thread of no Vert.x context: one created
 * lazily, on the event loop of the first request that needs it, would belong to that request's HTTP verticle and
 * be closed with it at shutdown, before the extraction worker has finished the calls in hand. It is closed last,
 * with the application's beans.
 */
@Startup
@ApplicationScoped
public class OpenAiChatClient {

    private static final String DONE = "[DONE]";
    private static final int MAX_ERROR_BODY = 2000;

    private final ObjectMapper json;
    private final CompletableFuture<HttpClient> http;
    private final String completionsUri;
    private final String authorization;
    private final String model;
    private final long idleTimeoutMillis;

    @Inject
    public OpenAiChatClient(Vertx vertx, ObjectMapper json, MemoryConfig config) {
        this(
                vertx,
                json,
                config.llm().baseUrl(),
                config.llm().apiKey(),
                config.llm().model(),
                config.llm().timeout(),
                config.llm().maxConnections());
    }

    /**
     * @param timeout longest silence of the server during a call (connecting included) before it fails
     * @param maxConnections most connections open to the server at once
     */
    public OpenAiChatClient(
            Vertx vertx,
            ObjectMapper json,
            String baseUrl,
            String apiKey,
            String model,
            Duration timeout,
            int maxConnections) {
        this.json = json;
        this.completionsUri = (baseUrl.endsWith("/") ? baseUrl : baseUrl + "/") + "chat/completions";
        this.authorization = "Bearer " + apiKey;
        this.model = model;
        this.idleTimeoutMillis = timeout.toMillis();
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeoutMillis))
                .setVerifyHost(true);
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(maxConnections);
        // Off any Vert.x context (see the class comment), and off the start-up path: creating the client costs a
        // few milliseconds that the first ready answer need not wait for.
        this.http = CompletableFuture.supplyAsync(() -> vertx.createHttpClient(options, pool));
    }

    @PreDestroy
    void close() {
        http.thenAccept(HttpClient::close);
    }

    /** The whole reply, in one item; an empty stream when the server sends no text. */
    public Multi<String> complete(List<ChatLine> messages) {
        return call(messages, false, model, null);
    }

    /** The reply's text deltas as the server streams them. */
    public Multi<String> stream(List<ChatLine> messages) {
        return call(messages, true, model, null);
    }

    /**
     * The whole reply of {@code model} (null: the configured one), held to {@code responseFormat} (sent as the
     * request's {@code response_format}, e.g. a {@code json_schema}); an empty stream when the server sends no text
     * (a refusal).
     */
    public Multi<String> complete(List<ChatLine> messages, String model, ObjectNode responseFormat) {
        return call(messages, false, model == null ? this.model : model, responseFormat);
    }

    private Multi<String> call(List<ChatLine> messages, boolean stream, String model, ObjectNode responseFormat) {
        return Multi.createFrom().emitter(emitter -> {
            Buffer body;
            try {
                body = Buffer.buffer(json.writeValueAsBytes(request(messages, stream, model, responseFormat)));
            } catch (JsonProcessingException e) {
                fail(emitter, e);
                return;
            }
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setAbsoluteURI(completionsUri)
                    .setIdleTimeout(idleTimeoutMillis)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.ACCEPT, stream ? "text/event-stream" : "application/json")
                    .putHeader(HttpHeaders.AUTHORIZATION, authorization);
            HttpClient client = http.getNow(null);
            if (client != null) {
                send(client, options, body, stream, emitter);
            } else {
                http.whenComplete((created, failure) -> {
                    if (failure != null) {
                        fail(emitter, failure);
                    } else {
                        send(created, options, body, stream, emitter);
                    }
                });
            }
        });
    }

    private void send(
            HttpClient client,
            RequestOptions options,
            Buffer body,
            boolean stream,
            MultiEmitter<? super String> emitter) {
        client.request(options).onFailure(failure -> fail(emitter, failure)).onSuccess(request -> {
            // A caller that goes away mid-reply: the rest of the response is unread, so the connection cannot
            // be reused and is reset. A response read to its end has already gone back to the pool.
            AtomicBoolean ended = new AtomicBoolean();
            emitter.onTermination(() -> {
                if (!ended.get()) {
                    request.reset();
                }
            });
            request.send(body)
                    .onFailure(failure -> {
                        ended.set(true); // the request failed as a whole: nothing left to read
                        fail(emitter, failure);
                    })
                    .onSuccess(response -> {
                        if (response.statusCode() >= 400) {
                            failed(response, ended, emitter);
                        } else if (stream) {
                            events(response, ended, emitter);
                        } else {
                            whole(response, ended, emitter);
                        }
                    });
        });
    }

    private ObjectNode request(List<ChatLine> messages, boolean stream, String model, ObjectNode responseFormat) {
        ObjectNode request = json.createObjectNode().put("model", model).put("stream", stream);
        ArrayNode lines = request.putArray("messages");
        for (ChatLine line : messages) {
            lines.addObject().put("role", line.role()).put("content", line.content());
        }
        if (responseFormat != null) {
            request.set("response_format", responseFormat);
        }
        return request;
    }

    private void whole(HttpClientResponse response, AtomicBoolean ended, MultiEmitter<? super String> emitter) {
        response.body()
                .onComplete(read -> ended.set(true))
                .onFailure(failure -> fail(emitter, failure))
                .onSuccess(body -> {
                    try {
                        String text = json.readTree(body.getBytes())
                                .path("choices")
                                .path(0)
                                .path("message")
                                .path("content")
                                .asText("");
                        if (!text.isEmpty()) {
                            emitter.emit(text);
                        }
                        emitter.complete();
                    } catch (java.io.IOException | RuntimeException e) {
                        fail(emitter, new LlmHttpException(response.statusCode(), null, "Unreadable completion: " + e));
                    }
                });
    }

    /** Server-sent events: each {@code data:} line is a chunk whose first choice's delta may carry text. */
    private void events(HttpClientResponse response, AtomicBoolean ended, MultiEmitter<? super String> emitter) {
        RecordParser lines = RecordParser.newDelimited("\n", line -> {
            if (emitter.isCancelled() || line.length() < 5) {
                return;
            }
            String text = line.toString(StandardCharsets.UTF_8).strip();
            if (!text.startsWith("data:")) {
                return; // comments, event names, ids: nothing a chat completion needs
            }
            String data = text.substring(5).strip();
            if (data.isEmpty() || data.equals(DONE)) {
                return;
            }
            try {
                JsonNode chunk = json.readTree(data);
                String delta = chunk.path("choices")
                        .path(0)
                        .path("delta")
                        .path("content")
                        .asText("");
                if (!delta.isEmpty()) {
                    emitter.emit(delta);
                }
            } catch (java.io.IOException e) {
                fail(emitter, new LlmHttpException(response.statusCode(), null, "Unreadable stream chunk: " + e));
            }
        });
        response.exceptionHandler(failure -> {
            ended.set(true);
            fail(emitter, failure);
        });
        response.handler(lines);
        response.endHandler(end -> {
            ended.set(true);
            emitter.complete();
        });
    }

    private void failed(HttpClientResponse response, AtomicBoolean ended, MultiEmitter<? super String> emitter) {
        String retryAfter = response.getHeader("Retry-After");
        response.body().onComplete(body -> {
            ended.set(true);
            String text = body.succeeded() ? body.result().toString(StandardCharsets.UTF_8) : "";
            if (text.length() > MAX_ERROR_BODY) {
                text = text.substring(0, MAX_ERROR_BODY) + "…";
            }
            fail(emitter, new LlmHttpException(response.statusCode(), retryAfter, text));
        });
    }

    /** A caller that went away (the reset that follows) is not a failure to report to anyone. */
    private static void fail(MultiEmitter<? super String> emitter, Throwable failure) {
        if (!emitter.isCancelled()) {
            emitter.fail(failure);
        }
    }
}
