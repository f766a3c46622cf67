package dev.agentmemory.llm;

import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import io.quarkiverse.langchain4j.RegisterAiService;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads one or more consecutive exchanges of a session and answers the durable facts they reveal about the user: an
 * AI service on the extension's named model configuration {@value #MODEL}, which asks for OpenAI structured outputs
 * ({@code response_format} {@code json_schema}, strict, generated from {@link ExtractedFacts}), so the model's answer
 * must follow the record's shape; the chat turn's requests carry none. The worker hands it the exchanges of one
 * session that wait together in the queue as one transcript, so a busy session costs one LLM call per few
 * exchanges.
 *
 * <p>Kinds: {@code preference} (likes, dislikes, habits), {@code fact} (who the user is, what they have),
 * {@code event} (what happened or is planned), {@code decision} (a choice made), {@code goal} (what the user wants
 * to achieve), {@code relationship} (people in the user's life).
 *
 * <p>No chat memory: every call stands alone. A blocking call; {@link FactExtraction} makes it off the event loop
 * with a time limit and checks the reply.
 */
@ApplicationScoped
@RegisterAiService(
        modelName = FactExtractor.MODEL,
        chatMemoryProviderSupplier = RegisterAiService.NoChatMemoryProviderSupplier.class)
public interface FactExtractor {

    /** The extension's named model configuration for extraction ({@code quarkus.langchain4j.openai.extraction.*}). */
    String MODEL = "extraction";

    /** The instructions, sent as the system message; the transcript is the user message. */
    String INSTRUCTIONS =
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

    @SystemMessage(INSTRUCTIONS)
    @UserMessage("{transcript}")
    ExtractedFacts extract(String transcript);
}
