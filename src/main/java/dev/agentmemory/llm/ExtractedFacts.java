package dev.agentmemory.llm;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.langchain4j.model.output.structured.Description;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * What {@link FactExtractor} answers for the exchanges it read, in the shape of the JSON schema the model is held
 * to (OpenAI structured outputs). A server that ignores the schema may leave things out: a reply without a facts
 * list fails ({@link #requireFacts()}); a fact without text is dropped and one without a valid kind gets the
 * default kind (the worker's part).
 *
 * @param facts the durable facts about the user, empty for small talk
 */
@RegisterForReflection
public record ExtractedFacts(
        @JsonProperty(required = true)
                @Description("Durable facts about the user stated in the exchanges; empty when there are none")
                List<Fact> facts) {

    /**
     * One fact about the user.
     *
     * @param text one short sentence in the third person ("User is vegetarian")
     * @param kind preference, fact, event, decision, goal or relationship
     */
    @RegisterForReflection
    public record Fact(
            @JsonProperty(required = true)
                    @Description("One short sentence in the third person about the user, starting with \"User\"")
                    String text,
            @JsonProperty(required = true) @Description("preference, fact, event, decision, goal or relationship")
                    String kind) {}

    /**
     * The facts, or a failure when the reply did not have the expected shape: a reply without a facts list is a
     * failed attempt, never "nothing to remember".
     */
    public List<Fact> requireFacts() {
        if (facts == null) {
            throw new InvalidExtractionException("The extraction reply has no facts list");
        }
        return facts;
    }
}
