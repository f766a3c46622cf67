package dev.agentmemory.llm.stub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.config.MemoryConfig;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A stand-in LLM for dev mode without an API key: an OpenAI-compatible {@code /chat/completions} endpoint on
 * the service itself, so the real client code runs end to end. Chat replies say plainly that they come from a
 * stub and echo what the model was given; extraction requests (those with a {@code response_format}) get the
 * facts {@link StubFacts} finds with simple first-person patterns. Served only when {@code memory.llm.stub}
 * is true.
 */
@ApplicationScoped
public class StubLanguageModel {

    static final String PATH = "/stub-llm/v1";
    private static final Logger LOG = Logger.getLogger(StubLanguageModel.class);

    private final ObjectMapper json;
    private final boolean enabled;

    public StubLanguageModel(ObjectMapper json, MemoryConfig config) {
        this.json = json;
        this.enabled = config.llm().stub();
    }

    void install(@Observes Router router) {
        if (!enabled) {
            return;
        }
        LOG.warn("No OPENAI_API_KEY or OPENAI_BASE_URL: chat replies come from the built-in stub model at " + PATH);
        router.post(PATH + "/chat/completions").handler(BodyHandler.create()).handler(this::complete);
    }

    private void complete(RoutingContext context) {
        JsonNode request;
        try {
            request = json.readTree(context.body().asString());
        } catch (Exception e) {
            context.response().setStatusCode(400).end();
            return;
        }
        boolean extraction = request.hasNonNull("response_format");
        String content = extraction ? facts(lastUserText(request)) : reply(request);
        if (request.path("stream").asBoolean(false)) {
            stream(context.response(), content);
        } else {
            ObjectNode message =
                    json.createObjectNode().put("role", "assistant").put("content", content);
            ObjectNode choice = json.createObjectNode().put("index", 0).put("finish_reason", "stop");
            choice.set("message", message);
            ObjectNode body = completion("chat.completion");
            body.putArray("choices").add(choice);
            body.putObject("usage")
                    .put("prompt_tokens", 0)
                    .put("completion_tokens", 0)
                    .put("total_tokens", 0);
            context.response().putHeader("Content-Type", "application/json").end(body.toString());
        }
    }

    private String reply(JsonNode request) {
        String system = "";
        for (JsonNode message : request.path("messages")) {
            if ("system".equals(message.path("role").asText()) && system.isEmpty()) {
                system = message.path("content").asText();
            }
        }
        int known = system.indexOf("What you know about the user:");
        String facts = known < 0
                ? " I know nothing about you yet."
                : " " + system.substring(known).replace('\n', ' ');
        return "[stub model: not a real LLM; set OPENAI_API_KEY or OPENAI_BASE_URL for real replies] You said: \""
                + lastUserText(request) + "\"." + facts;
    }

    private String facts(String text) {
        ObjectNode body = json.createObjectNode();
        ArrayNode facts = body.putArray("facts");
        for (StubFacts.Fact fact : StubFacts.find(text)) {
            facts.addObject().put("text", fact.text()).put("kind", fact.kind());
        }
        return body.toString();
    }

    private static String lastUserText(JsonNode request) {
        String text = "";
        for (JsonNode message : request.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                JsonNode content = message.path("content");
                text = content.isTextual()
                        ? content.asText()
                        : content.path(0).path("text").asText();
            }
        }
        return text;
    }

    private void stream(HttpServerResponse response, String content) {
        response.setChunked(true).putHeader("Content-Type", "text/event-stream");
        for (String piece : pieces(content)) {
            ObjectNode chunk = completion("chat.completion.chunk");
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
            choice.putObject("delta").put("content", piece);
            choice.putNull("finish_reason");
            response.write("data: " + chunk + "\n\n");
        }
        ObjectNode last = completion("chat.completion.chunk");
        ObjectNode choice = last.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("delta");
        response.write("data: " + last + "\n\n");
        response.end("data: [DONE]\n\n");
    }

    /** Word by word, keeping the spaces, like a real model's deltas. */
    private static List<String> pieces(String content) {
        return List.of(content.split("(?<= )"));
    }

    private ObjectNode completion(String object) {
        return json.createObjectNode()
                .put("id", "chatcmpl-stub")
                .put("object", object)
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", "stub");
    }
}
