package dev.agentmemory.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stub OpenAI-compatible server (WireMock) for the tests, so the real HTTP client code runs: chat
 * completions plain and streamed (SSE), structured-output extraction replies, and failures.
 *
 * <p>Extraction requests are told apart from chat requests by their {@code response_format}.
 */
public final class OpenAiStub {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMPLETIONS = "/v1/chat/completions";
    private static final String EMBEDDINGS = "/v1/embeddings";

    private final WireMockServer server;

    OpenAiStub() {
        this.server = new WireMockServer(wireMockConfig()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .extensions(new CodeWordFacts(), new StubEmbeddings()));
    }

    /** A stub of its own, started (for a test that runs the service as a process); {@link #stop()} it. */
    public static OpenAiStub started() {
        OpenAiStub stub = new OpenAiStub();
        stub.start();
        return stub;
    }

    void start() {
        server.start();
        answerEmbeddings();
    }

    public void stop() {
        server.stop();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1/";
    }

    public void reset() {
        server.resetAll();
        answerEmbeddings();
    }

    /**
     * Embedding requests ({@code /embeddings}) get a vector per input, made from the text's hash: of the request's
     * {@code dimensions} when it has them, else of {@value StubEmbeddings#NATIVE} dimensions; a model whose name has
     * {@value StubEmbeddings#FIXED_SIZE} in it ignores {@code dimensions}, as older models do; one with
     * {@value StubEmbeddings#SLOW} in it answers after {@value StubEmbeddings#SLOW_MILLIS} ms.
     */
    private void answerEmbeddings() {
        server.stubFor(post(urlPathEqualTo(EMBEDDINGS))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withTransformers(StubEmbeddings.NAME)));
    }

    public List<LoggedRequest> embeddingRequests() {
        return server.findAll(WireMock.postRequestedFor(urlPathEqualTo(EMBEDDINGS)));
    }

    /** Chat requests (no response_format) get this reply, streamed in the given pieces when asked to stream. */
    public void replyToChat(String... pieces) {
        String content = String.join("", pieces);
        server.stubFor(chat().withRequestBody(matchingJsonPath("$.stream", WireMock.equalTo("true")))
                .atPriority(5)
                .willReturn(stream(pieces)));
        server.stubFor(chat().atPriority(6).willReturn(json(completion(content))));
    }

    /** Like {@link #replyToChat}, but the stream's pieces trickle out over {@code millis}. */
    public void replyToChatSlowly(int millis, String... pieces) {
        server.stubFor(chat().withRequestBody(matchingJsonPath("$.stream", WireMock.equalTo("true")))
                .atPriority(5)
                .willReturn(stream(pieces).withChunkedDribbleDelay(pieces.length * 4, millis)));
    }

    /** Chat requests fail with this status (and headers), streamed or not. */
    public void failChat(int status, Map<String, String> headers) {
        ResponseDefinitionBuilder response = aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"stub failure\",\"type\":\"server_error\"}}");
        headers.forEach(response::withHeader);
        server.stubFor(chat().atPriority(1).willReturn(response));
    }

    /**
     * The first chat request finds its connection closed before any reply (the server drops it); later ones
     * get this reply.
     */
    public void dropFirstChatConnection(String reply) {
        String scenario = "drop-first";
        server.stubFor(chat().inScenario(scenario)
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willSetStateTo("dropped")
                .atPriority(1)
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.EMPTY_RESPONSE)));
        replyToChat(reply);
    }

    /** Streamed chat requests get these pieces, then the stream just ends: no finish reason, no {@code [DONE]}. */
    public void cutChatStream(String... pieces) {
        server.stubFor(chat().withRequestBody(matchingJsonPath("$.stream", WireMock.equalTo("true")))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(chunks(pieces).toString())));
    }

    /** Chat requests get a 200 completion whose {@code choices} are empty. */
    public void replyToChatWithoutChoices() {
        server.stubFor(chat().atPriority(1)
                .willReturn(json("{\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion\",\"created\":1,"
                        + "\"model\":\"stub\",\"choices\":[]}")));
    }

    /** Streamed chat requests are answered with a plain JSON completion instead of an event stream. */
    public void answerStreamWithJson(String content) {
        server.stubFor(chat().withRequestBody(matchingJsonPath("$.stream", WireMock.equalTo("true")))
                .atPriority(1)
                .willReturn(json(completion(content))));
    }

    /** Chat requests answer only after this delay. */
    public void delayChat(int millis, String reply) {
        server.stubFor(chat().atPriority(1).willReturn(json(completion(reply)).withFixedDelay(millis)));
    }

    /** Extraction requests (with response_format) get these facts: pairs of text and kind. */
    public void replyToExtraction(String... textKindPairs) {
        replyToExtractionRaw(facts(textKindPairs));
    }

    /** Extraction requests get these facts only after this delay (a job still running when it is reclaimed). */
    public void delayExtraction(int millis, String... textKindPairs) {
        server.stubFor(extraction()
                .atPriority(1)
                .willReturn(json(completion(facts(textKindPairs))).withFixedDelay(millis)));
    }

    private static String facts(String... textKindPairs) {
        StringBuilder facts = new StringBuilder("{\"facts\":[");
        for (int i = 0; i + 1 < textKindPairs.length; i += 2) {
            if (i > 0) {
                facts.append(',');
            }
            facts.append("{\"text\":")
                    .append(quote(textKindPairs[i]))
                    .append(",\"kind\":")
                    .append(quote(textKindPairs[i + 1]))
                    .append('}');
        }
        facts.append("]}");
        return facts.toString();
    }

    /**
     * Extraction requests get, after this delay, one fact per code word their exchanges mention ("my code word is
     * X" → "User's code word is X"): each exchange's facts are its own, so a test can tell that every saved
     * exchange was extracted, and its facts stored once. Requests without a code word get no fact, at once.
     */
    public void replyToExtractionWithCodeWords(int millis) {
        server.stubFor(extraction()
                .withRequestBody(WireMock.containing("code word is"))
                .atPriority(1)
                .willReturn(json("").withFixedDelay(millis).withTransformers(CodeWordFacts.NAME)));
        // Jobs other tests left in a shared server are answered at once, with no fact, not to hold these up.
        server.stubFor(extraction().atPriority(2).willReturn(json(completion(facts()))));
    }

    /** The fact {@link #replyToExtractionWithCodeWords} answers for a code word. */
    public static String codeWordFact(String word) {
        return "User's code word is " + word;
    }

    /** Extraction requests get this content verbatim (for unparseable replies). */
    public void replyToExtractionRaw(String content) {
        server.stubFor(extraction().atPriority(2).willReturn(json(completion(content))));
    }

    /** Extraction requests fail with this status. */
    public void failExtraction(int status) {
        server.stubFor(extraction()
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"stub failure\"}}")));
    }

    public List<LoggedRequest> chatRequests() {
        return server.findAll(WireMock.postRequestedFor(urlPathEqualTo(COMPLETIONS))
                .withRequestBody(WireMock.notContaining("\"response_format\"")));
    }

    public List<LoggedRequest> extractionRequests() {
        return server.findAll(WireMock.postRequestedFor(urlPathEqualTo(COMPLETIONS))
                .withRequestBody(WireMock.containing("\"response_format\"")));
    }

    private static MappingBuilder chat() {
        return post(urlPathEqualTo(COMPLETIONS)).withRequestBody(WireMock.notContaining("\"response_format\""));
    }

    private static MappingBuilder extraction() {
        return post(urlPathEqualTo(COMPLETIONS)).withRequestBody(WireMock.containing("\"response_format\""));
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    private static ResponseDefinitionBuilder stream(String... pieces) {
        StringBuilder body = chunks(pieces);
        body.append("data: {\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion.chunk\",\"created\":1,")
                .append("\"model\":\"stub\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n")
                .append("data: [DONE]\n\n");
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody(body.toString());
    }

    /** One event per piece, as a model streams its deltas, without the end of the reply. */
    private static StringBuilder chunks(String... pieces) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pieces.length; i++) {
            String role = i == 0 ? "\"role\":\"assistant\"," : "";
            body.append("data: {\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion.chunk\",\"created\":1,")
                    .append("\"model\":\"stub\",\"choices\":[{\"index\":0,\"delta\":{")
                    .append(role)
                    .append("\"content\":")
                    .append(quote(pieces[i]))
                    .append("},\"finish_reason\":null}]}\n\n");
        }
        return body;
    }

    private static String completion(String content) {
        return "{\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"stub\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + quote(content)
                + "},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";
    }

    /** Answers an extraction request with a fact per code word of its transcript. */
    private static final class CodeWordFacts implements ResponseDefinitionTransformerV2 {

        static final String NAME = "code-word-facts";
        private static final Pattern CODE_WORD = Pattern.compile("code word is (\\w+)");

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Set<String> words = new LinkedHashSet<>();
            Matcher matcher = CODE_WORD.matcher(event.getRequest().getBodyAsString());
            while (matcher.find()) {
                words.add(matcher.group(1));
            }
            List<String> pairs = new ArrayList<>();
            words.forEach(word -> {
                pairs.add(codeWordFact(word));
                pairs.add("fact");
            });
            return ResponseDefinitionBuilder.like(event.getResponseDefinition())
                    .but()
                    .withBody(completion(facts(pairs.toArray(String[]::new))))
                    .build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    /** Answers an embedding request: see {@link #answerEmbeddings()}. */
    private static final class StubEmbeddings implements ResponseDefinitionTransformerV2 {

        static final String NAME = "stub-embeddings";
        static final int NATIVE = 8;
        static final String FIXED_SIZE = "fixed-size";
        static final String SLOW = "slow";
        static final int SLOW_MILLIS = 6000;

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            try {
                com.fasterxml.jackson.databind.JsonNode request =
                        JSON.readTree(event.getRequest().getBodyAsString());
                boolean fixed = request.path("model").asText().contains(FIXED_SIZE);
                int dimensions = fixed || !request.has("dimensions")
                        ? NATIVE
                        : request.get("dimensions").asInt();
                List<String> inputs = new ArrayList<>();
                request.path("input").forEach(input -> inputs.add(input.asText()));
                if (request.path("input").isTextual()) {
                    inputs.add(request.get("input").asText());
                }
                StringBuilder body = new StringBuilder("{\"object\":\"list\",\"data\":[");
                for (int i = 0; i < inputs.size(); i++) {
                    java.util.Random random = new java.util.Random(inputs.get(i).hashCode());
                    body.append(i == 0 ? "" : ",")
                            .append("{\"object\":\"embedding\",\"index\":")
                            .append(i);
                    body.append(",\"embedding\":[");
                    for (int d = 0; d < dimensions; d++) {
                        body.append(d == 0 ? "" : ",").append(random.nextGaussian());
                    }
                    body.append("]}");
                }
                body.append("],\"model\":").append(quote(request.path("model").asText()));
                body.append(",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}");
                ResponseDefinitionBuilder response = ResponseDefinitionBuilder.like(event.getResponseDefinition())
                        .but()
                        .withBody(body.toString());
                if (request.path("model").asText().contains(SLOW)) {
                    response.withFixedDelay(SLOW_MILLIS);
                }
                return response.build();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
