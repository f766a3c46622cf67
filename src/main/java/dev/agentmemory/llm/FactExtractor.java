package dev.agentmemory.llm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.config.MemoryConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Reads one or more consecutive exchanges of a session and answers the durable facts they reveal about the user.
 * The worker hands it the exchanges of one session that wait together in the queue as one transcript
 * ({@link ExtractionJob#transcript}), so a busy session costs one LLM call per few exchanges, not one per
 * exchange.
 *
 * <p>The request carries the JSON schema of {@link ExtractedFacts} as OpenAI structured outputs
 * ({@code response_format} {@code json_schema}, {@code strict}), so the model's answer must follow it; the chat
 * turn's requests carry none. It runs on {@code memory.extraction.model}, else the chat turn's model.
 *
 * <p>Kinds: {@code preference} (likes, dislikes, habits), {@code fact} (who the user is, what they have),
 * {@code event} (what happened or is planned), {@code decision} (a choice made), {@code goal} (what the user
 * wants to achieve), {@code relationship} (people in the user's life).
 *
 * <p>Non-blocking. A reply that does not parse into {@link ExtractedFacts}, an empty one (a refusal) and one without
 * a facts list fail with {@link InvalidExtractionException}; an HTTP failure fails as the client's
 * {@link dev.agentmemory.llm.LlmHttpException}; a call longer than {@code memory.extraction.timeout} fails with a
 * {@link TimeoutException}. The worker retries all of them through its queue.
 */
@ApplicationScoped
public class FactExtractor {

    /** The instructions, sent as the system message; the transcript is the user message. */
    static final String INSTRUCTIONS =
            """
        You read one or more consecutive exchanges between a user and an assistant, oldest first, and \
        extract the durable facts they reveal about the user: facts worth remembering in later conversations.

        Write each fact as one short sentence in the third person, starting with "User", for example \
        "User is vegetarian", "User loves spicy food", "User's sister lives in Lyon", \
        "User moved to Berlin in May 2024".

        Give each fact one kind:
        - preference: a like, dislike or habit ("User loves spicy food")
        - fact: who the user is or what they have ("User is a nurse", "User has two cats")
        - event: something that happened or is planned, with its date when known ("User ran a marathon in April 2025")
        - decision: a choice the user made ("User decided to rent rather than buy")
        - goal: something the user wants to achieve ("User wants to learn Spanish")
        - relationship: a person in the user's life ("User's sister is called Ana")

        Only extract what the user said or confirmed about themselves, never what the assistant suggested \
        or assumed. One fact per sentence; do not repeat a fact. When a later exchange corrects or updates \
        something said earlier, extract only the latest version. Ignore greetings, small talk, questions \
        and passing states ("User is hungry right now"). When nothing is worth remembering, answer an \
        empty list of facts.
        """;

    private final OpenAiChatClient client;
    private final String model;
    private final Duration timeout;
    private final ObjectNode responseFormat;
    private final ObjectReader reader;

    public FactExtractor(OpenAiChatClient client, ObjectMapper json, MemoryConfig config) {
        this.client = client;
        this.model = config.extraction().model().orElse(null);
        this.timeout = config.extraction().timeout();
        this.responseFormat = responseFormat(json);
        this.reader = json.readerFor(ExtractedFacts.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The facts in a transcript of exchanges. */
    public Uni<ExtractedFacts> extract(String transcript) {
        return client.complete(List.of(ChatLine.system(INSTRUCTIONS), ChatLine.user(transcript)), model, responseFormat)
                .collect()
                .with(Collectors.joining())
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new TimeoutException("No extraction reply within " + timeout))
                .map(this::parse);
    }

    private ExtractedFacts parse(String reply) {
        if (reply.isBlank()) {
            throw new InvalidExtractionException("The extraction reply is empty");
        }
        try {
            ExtractedFacts facts = reader.readValue(reply);
            facts.requireFacts();
            return facts;
        } catch (IOException e) {
            throw new InvalidExtractionException("The extraction reply is not the facts JSON: " + e.getMessage());
        }
    }

    /**
     * {@code {"type": "json_schema", "json_schema": {"name", "strict": true, "schema"}}} for {@link ExtractedFacts}:
     * strict mode wants every property required and no others allowed.
     */
    private static ObjectNode responseFormat(ObjectMapper json) {
        ObjectNode fact = json.createObjectNode().put("type", "object");
        ObjectNode factProperties = fact.putObject("properties");
        factProperties
                .putObject("text")
                .put("type", "string")
                .put("description", "One short sentence in the third person about the user, starting with \"User\"");
        factProperties
                .putObject("kind")
                .put("type", "string")
                .put("description", "preference, fact, event, decision, goal or relationship");
        fact.putArray("required").add("text").add("kind");
        fact.put("additionalProperties", false);

        ObjectNode schema = json.createObjectNode().put("type", "object");
        schema.putObject("properties")
                .putObject("facts")
                .put("type", "array")
                .put("description", "Durable facts about the user stated in the exchanges; empty when there are none")
                .set("items", fact);
        schema.putArray("required").add("facts");
        schema.put("additionalProperties", false);

        ObjectNode format = json.createObjectNode().put("type", "json_schema");
        format.putObject("json_schema")
                .put("name", "extracted_facts")
                .put("strict", true)
                .set("schema", schema);
        return format;
    }
}
