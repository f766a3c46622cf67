package dev.agentmemory.extraction;

import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import io.quarkiverse.langchain4j.RegisterAiService;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads one or more consecutive exchanges of a session and answers the durable facts they reveal about the user.
 * The worker hands it the exchanges of one session that wait together in the queue as one transcript
 * ({@link ExtractionJob#transcript}), so a busy session costs one LLM call per few exchanges, not one per
 * exchange.
 *
 * <p>It runs on its own named model, {@value #MODEL} ({@code quarkus.langchain4j.openai.extraction.*}), which
 * is configured with {@code chat-model.response-format=json_schema} and {@code strict-json-schema=true}: the
 * request carries the JSON schema of {@link ExtractedFacts} as OpenAI structured outputs, and the model's
 * answer must follow it. The chat turn uses the default model, whose requests carry no {@code response_format}.
 *
 * <p>Kinds: {@code preference} (likes, dislikes, habits), {@code fact} (who the user is, what they have),
 * {@code event} (what happened or is planned), {@code decision} (a choice made), {@code goal} (what the user
 * wants to achieve), {@code relationship} (people in the user's life).
 *
 * <p>The call is blocking (an HTTP request to the LLM); callers run it on a worker thread. A reply that does not
 * parse into {@link ExtractedFacts} throws.
 */
@RegisterAiService(
        modelName = FactExtractor.MODEL,
        chatMemoryProviderSupplier = RegisterAiService.NoChatMemoryProviderSupplier.class)
@ApplicationScoped
public interface FactExtractor {

    /** Name of the model configuration used for extraction. */
    String MODEL = "extraction";

    @SystemMessage(
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
            """)
    @UserMessage("{transcript}")
    ExtractedFacts extract(String transcript);
}
